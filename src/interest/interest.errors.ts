import { Forbidden, NotFound } from '../common/errors.js';

export class InterestNotFound extends NotFound {
  constructor() {
    super('The collaborator interest');
  }
}

/** A model was about to be built for someone who may not see it: a bug, never shown as data. */
export class InterestNotVisible extends Forbidden {
  constructor() {
    super('Only the author and the reader who sent it can see this interest.');
  }
}
