import { BadUserInput, Conflict, Forbidden, NotFound } from '../common/errors.js';

export class ResponseNotFound extends NotFound {
  constructor() {
    super('The response');
  }
}

export class PromptNotOpen extends BadUserInput {
  constructor(reason: 'closed' | 'unpublished') {
    super(
      reason === 'closed'
        ? 'This prompt is closed: it no longer takes responses.'
        : 'This essay is not published: its prompts do not take responses yet.',
      'promptId',
    );
  }
}

export class ThreadTooDeep extends BadUserInput {
  constructor(maxDepth: number) {
    super(
      `Replies nest at most ${maxDepth} levels deep: reply further up the thread.`,
      'responseId',
    );
  }
}

export class ReplyToDeleted extends BadUserInput {
  constructor() {
    super('That response was deleted: it takes no replies.', 'responseId');
  }
}

export class DuplicateResponse extends Conflict {
  constructor() {
    super('You posted the same text on this prompt a moment ago.');
  }
}

export class NotYourResponse extends Forbidden {
  constructor(action: string) {
    super(`Only the writer can ${action} this response.`);
  }
}
