import type { UserEntity } from '../../users/user.entity.js';
import { UserRole } from '../../users/user.entity.js';

/**
 * Whether a response is out in the conversation. Kept apart from the review
 * status, which is the author's triage of what came in (NEW, READ, ...): a
 * held response still has a review status, and approving it does not mark it
 * read.
 */
export enum ModerationState {
  /** Waiting for the author: seen by its writer and the author only. */
  HELD = 'HELD',
  PUBLISHED = 'PUBLISHED',
  /** Turned down by the author: seen by its writer and the author only. */
  REJECTED = 'REJECTED',
}

/** Why a response is held, for the author's review. */
export enum HeldReason {
  FIRST_TIME = 'FIRST_TIME',
  ALL = 'ALL',
  BLOCKED_TERM = 'BLOCKED_TERM',
  TOO_MANY_LINKS = 'TOO_MANY_LINKS',
  SUSPECTED_SPAM = 'SUSPECTED_SPAM',
  SPAM_CHECK = 'SPAM_CHECK',
  REPORTED = 'REPORTED',
}

/** The facts of a response the moderation rule reads. */
export interface ModeratedRow {
  authorId: string;
  moderationState: ModerationState;
  hiddenByBan: boolean;
}

/**
 * THE moderation part of "who may see a response", in JavaScript: the author
 * sees everything; a response hidden with its writer's ban is the author's
 * alone; held and rejected responses are seen by their writer only.
 */
export function moderationAllows(viewer: UserEntity | null, response: ModeratedRow): boolean {
  if (viewer?.role === UserRole.AUTHOR) return true;
  if (response.hiddenByBan) return false;
  if (response.moderationState === ModerationState.PUBLISHED) return true;
  return viewer !== null && viewer.id === response.authorId;
}

/**
 * The same rule as SQL over `alias` for a viewer who is not the author
 * (`viewerParam` names the viewer's id parameter, or null for anonymous).
 */
export function moderationAllowsSql(alias: string, viewerParam: string | null): string {
  const own = viewerParam ? ` OR ${alias}.author_id = :${viewerParam}` : '';
  return `(NOT ${alias}.hidden_by_ban AND (${alias}.moderation_state = 'PUBLISHED'${own}))`;
}

/**
 * What anyone may see, whoever asks: for the paths that are nobody's in
 * particular (digests, hosted pages, anonymous caches, live events, counts
 * shown to everyone).
 */
export function publishedResponseSql(alias: string): string {
  return moderationAllowsSql(alias, null);
}
