import { BadUserInput, Conflict, NotFound } from '../../common/errors.js';

export class NotHeld extends Conflict {
  constructor(action: 'approve' | 'reject', state: string) {
    super(`This response is ${state.toLowerCase()}: there is nothing to ${action}.`);
  }
}

export class ReportNotFound extends NotFound {
  constructor() {
    super('The report');
  }
}

export class AlreadyReported extends Conflict {
  constructor() {
    super('You have already reported this response.');
  }
}

export class AuthorNotBannable extends BadUserInput {
  constructor() {
    super('The author cannot be banned.', 'userId');
  }
}

export class ReportResolved extends Conflict {
  constructor() {
    super('This report is already resolved.');
  }
}
