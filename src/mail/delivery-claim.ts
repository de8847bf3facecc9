import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import { isUuid } from '../common/uuid.js';

/** Whether a job's delivery id can name a row (ids are UUIDs). */
export function isDeliveryId(id: string): boolean {
  return isUuid(id);
}

/** This process, as it signs the rows it claims: host, pid and a random part. */
export function workerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/** What became of a claimed row's email. */
export type ClaimOutcome =
  | { state: 'SENT'; messageId: string; sentAt: Date }
  | { state: 'SKIPPED' }
  | { state: 'PENDING' | 'FAILED'; lastError: string };

export interface Marked {
  id: string;
  outcome: ClaimOutcome;
}

/**
 * Claims on ledger rows, taken and ended many at a time. A claim marks a
 * PENDING row as in flight (`claimed_by` this worker, `lease_until` a time
 * by the clock) in one statement for a batch of rows, and holds no
 * transaction or connection while the emails go out; each outcome is written
 * as soon as it is known, in one statement for the outcomes known together.
 *
 * A row claimed by a worker that died stays claimed until its lease has run
 * out and the planner's re-queue (which releases it) queues it again, so a
 * row is never sent by two workers at once, and a killed worker leaves in
 * flight only what it had claimed.
 */
export class DeliveryClaims {
  readonly worker = workerId();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims the rows of `ids` that are PENDING and unclaimed, answering them
   * (every column); the others are sent, skipped, failed, or another worker's.
   */
  async take(ids: string[], leaseUntil: Date): Promise<Record<string, unknown>[]> {
    const valid = ids.filter(isDeliveryId);
    if (valid.length === 0) return [];
    return this.dataSource.query(
      `WITH claimed AS (
         UPDATE deliveries SET claimed_by = $2, lease_until = $3, updated_at = now()
          WHERE id = ANY($1::uuid[]) AND state = 'PENDING' AND claimed_by IS NULL
          RETURNING *
       ) SELECT * FROM claimed`,
      [valid, this.worker, leaseUntil],
    );
  }

  /**
   * Writes the outcomes of rows this worker claimed, and ends their claims
   * (a row back to PENDING is free for the retry). A row is written only
   * while this worker holds its claim: whatever state another change gave
   * it meanwhile (an unsubscribe skipping pending mail), a message handed to
   * SMTP is recorded as SENT. Answers the ids written.
   */
  async finish(marked: Marked[]): Promise<Set<string>> {
    if (marked.length === 0) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH outcome AS (
         SELECT * FROM unnest($1::uuid[], $2::delivery_state[], $3::text[], $4::timestamptz[], $5::text[])
           AS o(id, state, message_id, sent_at, last_error)
       ), marked AS (
         UPDATE deliveries d
            SET state = o.state,
                message_id = COALESCE(o.message_id, d.message_id),
                sent_at = COALESCE(o.sent_at, d.sent_at),
                last_error = CASE WHEN o.state = 'SENT' THEN NULL ELSE COALESCE(o.last_error, d.last_error) END,
                attempts = d.attempts + 1,
                claimed_by = CASE WHEN o.state = 'PENDING' THEN NULL ELSE d.claimed_by END,
                lease_until = NULL,
                updated_at = now()
           FROM outcome o
          WHERE d.id = o.id AND d.claimed_by = $6
          RETURNING d.id
       ) SELECT id FROM marked`,
      [
        marked.map((m) => m.id),
        marked.map((m) => m.outcome.state),
        marked.map((m) => (m.outcome.state === 'SENT' ? m.outcome.messageId : null)),
        marked.map((m) => (m.outcome.state === 'SENT' ? m.outcome.sentAt : null)),
        marked.map((m) =>
          m.outcome.state === 'PENDING' || m.outcome.state === 'FAILED'
            ? m.outcome.lastError
            : null,
        ),
        this.worker,
      ],
    );
    return new Set(rows.map((row) => row.id));
  }
}
