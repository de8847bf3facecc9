import type { SelectQueryBuilder } from 'typeorm';
import { ResponseEntity, ResponseVisibility } from './response.entity.js';
import { isAuthorSql } from '../users/users.repository.js';
import type { ModerationState } from './moderation/moderation-state.js';

/** "Needs a reply": public responses this old without a reply from the author. */
export const NEEDS_REPLY_AFTER_MS = 48 * 3_600_000;

/**
 * "Reported": an open report on the response. Reports are the moderation
 * feature's table, read here in the one statement.
 */
export const openReportSql = (alias: string) =>
  `EXISTS (SELECT 1 FROM response_reports rr WHERE rr.response_id = ${alias}.id AND rr.status = 'OPEN')`;

/**
 * "Needs a reply", with its parameters (`needsReplyVisibility`,
 * `needsReplyBefore`: see needsReplyParams).
 */
export const needsReplySql = (alias: string) =>
  `${alias}.visibility = :needsReplyVisibility AND ${alias}.created_at < :needsReplyBefore
   AND NOT EXISTS (SELECT 1 FROM responses reply
     WHERE reply.parent_id = ${alias}.id AND reply.deleted_at IS NULL
       AND ${isAuthorSql('reply.author_id')})`;

export const needsReplyParams = (now: Date) => ({
  needsReplyVisibility: ResponseVisibility.PUBLIC,
  needsReplyBefore: new Date(now.getTime() - NEEDS_REPLY_AFTER_MS),
});

/**
 * The desk's filters beyond the basic ones: by writer, "needs a reply", by
 * moderation state ("Held") and by open reports ("Reported").
 */
export function applyDeskConditions(
  qb: SelectQueryBuilder<ResponseEntity>,
  filter: {
    writerId?: string | null;
    needsReply?: boolean | null;
    moderationState?: ModerationState | null;
    reported?: boolean | null;
  },
  now: Date,
): void {
  if (filter.writerId) qb.andWhere('response.author_id = :writerId', { writerId: filter.writerId });
  if (filter.moderationState)
    qb.andWhere('response.moderation_state = :moderationState', {
      moderationState: filter.moderationState,
    });
  if (filter.reported !== undefined && filter.reported !== null) {
    qb.andWhere(`${filter.reported ? '' : 'NOT '}${openReportSql('response')}`);
  }
  if (filter.needsReply === true) qb.andWhere(needsReplySql('response'), needsReplyParams(now));
}
