import { Conflict, NotFound } from '../common/errors.js';

export class EssayNotFound extends NotFound {
  constructor() {
    super('The essay');
  }
}

export class PromptNotFound extends NotFound {
  constructor() {
    super('The prompt');
  }
}

export class SlugTaken extends Conflict {
  constructor(slug: string) {
    super(`An essay with the slug "${slug}" already exists.`, { field: 'slug' });
  }
}
