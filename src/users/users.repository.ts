import { UserRole } from './user.entity.js';

/*
 * The users table's part of other features' statements. Where one statement
 * must span features (a keyset page, an export batch, a row described in full),
 * the other feature splices these in instead of naming `users` itself
 * (src/table-ownership.spec.ts): users decides what it shares.
 */

/**
 * The columns of `users` other features may read in their own statements
 * (`JOIN ${USERS_VIEW_SQL} u ON u.id = r.author_id`). PostgreSQL folds the
 * derived table into the join, so it costs what `JOIN users` costs.
 */
export const USERS_VIEW_SQL = '(SELECT id, display_name, email, role, created_at FROM users)';

/** SQL true when the user `userIdColumn` names is the author. */
export function isAuthorSql(userIdColumn: string): string {
  return `EXISTS (SELECT 1 FROM users u WHERE u.id = ${userIdColumn} AND u.role = '${UserRole.AUTHOR}')`;
}
