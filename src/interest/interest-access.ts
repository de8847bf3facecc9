import { isAuthor } from '../responses/response-access.js';
import { UserEntity } from '../users/user.entity.js';
import { InterestEntity } from './interest.entity.js';

/** Collaborator interest is between the reader who sent it and the author: no one else. */
export function canSeeInterest(viewer: UserEntity | null, interest: InterestEntity): boolean {
  return isAuthor(viewer) || (viewer !== null && viewer.id === interest.readerId);
}

/** The author's private note and the pipeline are the author's alone. */
export function canManageInterest(viewer: UserEntity | null): boolean {
  return isAuthor(viewer);
}
