import { UserEntity, UserRole } from '../users/user.entity.js';
import { moderationAllows, moderationAllowsSql } from './moderation/moderation-state.js';
import { ResponseEntity, ResponseVisibility, ReviewStatus } from './response.entity.js';

/** The platform's author reviews every essay's conversation. */
export function isAuthor(viewer: UserEntity | null): boolean {
  return viewer?.role === UserRole.AUTHOR;
}

/**
 * Who may see a response: the author sees everything; others see public
 * responses that are not marked spam, and private threads they own.
 */
export function canSeeResponse(viewer: UserEntity | null, response: ResponseEntity): boolean {
  if (isAuthor(viewer)) return true;
  if (response.reviewStatus === ReviewStatus.SPAM) return false;
  if (!moderationAllows(viewer, response)) return false; // moderation: held, rejected, banned
  if (response.visibility === ResponseVisibility.PUBLIC) return true;
  return viewer !== null && response.threadOwnerId === viewer.id;
}

/** May see review fields, edit history and private details: the author only. */
export function canReview(viewer: UserEntity | null): boolean {
  return isAuthor(viewer);
}

/**
 * The same rule as canSeeResponse, as SQL over `alias`, with its parameters.
 * Essays that are not published are the author's alone, too.
 */
export function visibleResponsesSql(
  alias: string,
  viewer: UserEntity | null,
): { sql: string; params: Record<string, unknown> } {
  if (isAuthor(viewer)) return { sql: 'TRUE', params: {} };
  const ownThreads = viewer ? ` OR ${alias}.thread_owner_id = :viewerId` : '';
  return {
    sql: `(${alias}.review_status <> 'SPAM' AND (${alias}.visibility = 'PUBLIC'${ownThreads})
      AND ${moderationAllowsSql(alias, viewer ? 'viewerId' : null)}
      AND EXISTS (SELECT 1 FROM essays e WHERE e.id = ${alias}.essay_id AND e.status = 'PUBLISHED'))`,
    params: viewer ? { viewerId: viewer.id } : {},
  };
}
