import { Conflict } from '../common/errors.js';

export class SubscriptionScopeTaken extends Conflict {
  constructor() {
    super('This address already has a subscription with that scope.', { field: 'scope' });
  }
}
