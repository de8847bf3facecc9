import { publishedEssaySql } from '../essays/essays.repository.js';
import { UserEntity, UserRole } from '../users/user.entity.js';
import { moderationAllowsSql } from './moderation/moderation-state.js';

/** The platform's author reviews every essay's conversation. */
export function isAuthor(viewer: UserEntity | null): boolean {
  return viewer?.role === UserRole.AUTHOR;
}

/** May see review fields, edit history and private details: the author only. */
export function canReview(viewer: UserEntity | null): boolean {
  return isAuthor(viewer);
}

export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Who may see a response: the one definition, as an SQL condition over the
 * responses table aliased `alias`. Every read path applies it (GraphQL,
 * hosted pages, live updates, digests). The author sees everything; anyone
 * else sees a response only when every rule below holds, so a new rule is
 * one more line here.
 */
export function visibleResponsesSql(alias: string, viewer: UserEntity | null): SqlCondition {
  if (isAuthor(viewer)) return { sql: 'TRUE', params: {} };
  const rules = [
    // What the author marked as spam is gone for everyone else.
    `${alias}.review_status <> 'SPAM'`,
    // A private thread is the author's and its writer's.
    viewer
      ? `(${alias}.visibility = 'PUBLIC' OR ${alias}.thread_owner_id = :viewerId)`
      : `${alias}.visibility = 'PUBLIC'`,
    // Drafts and archived essays are the author's alone, with their conversations.
    publishedEssaySql(`${alias}.essay_id`),
    // Held, rejected and ban-hidden responses are their writer's (and the author's) alone.
    moderationAllowsSql(alias, viewer ? 'viewerId' : null),
  ];
  return { sql: `(${rules.join(' AND ')})`, params: viewer ? { viewerId: viewer.id } : {} };
}
