import { randomInt } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { isUuid } from '../common/uuid.js';

/** Whether a job's delivery id can name a row (ids are UUIDs). */
export function isDeliveryId(id: string): boolean {
  return isUuid(id);
}

/** The first key of the advisory locks by which claiming workers show they are alive. */
export const WORKER_LOCK_CLASS = 0x5249;

/**
 * The SQL condition "the worker that claimed this row is gone": its session
 * no longer holds its advisory lock (a killed worker's connection closes,
 * and the lock with it), or the lease, by the database's clock, has run out.
 */
export const CLAIM_ABANDONED = `(lease_until < now() OR NOT EXISTS (
  SELECT 1 FROM pg_locks l
   WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND l.classid = ${WORKER_LOCK_CLASS} AND l.objid = split_part(claimed_by, '@', 1)::bigint::oid))`;

/** The ledger's columns a planner sets when it writes new rows. */
export type LedgerColumn =
  | 'kind'
  | 'recipient'
  | 'reason_key'
  | 'subscription_id'
  | 'user_id'
  | 'slot_key'
  | 'window_start'
  | 'window_end'
  | 'enqueued_at';

/**
 * The head of an INSERT of new ledger rows, for a planner that decides a page
 * of emails in one set-based statement (`${insertLedgerRowsSql([...])} SELECT
 * … ON CONFLICT DO NOTHING`): the ledger's unique keys make a second decision
 * of the same email a no-op, so only mail/ names the table.
 */
export function insertLedgerRowsSql(columns: readonly LedgerColumn[]): string {
  return `INSERT INTO deliveries (${columns.join(', ')})`;
}

/**
 * Pending rows whose job was queued before `before` (Redis lost it, a worker
 * died) get a new enqueue time; a claim whose worker is gone (or whose lease
 * ran out) is released with them. A live worker's claim is a send in
 * progress: left alone. Answers the rows to queue again.
 */
export async function releaseStale(
  dataSource: DataSource,
  at: Date,
  before: Date,
): Promise<string[]> {
  // A CTE, so the driver hands back rows (a bare UPDATE answers [rows, count]).
  const rows: { id: string }[] = await dataSource.query(
    `WITH stale AS (
       UPDATE deliveries SET enqueued_at = $1, claimed_by = NULL, lease_until = NULL
        WHERE state = 'PENDING' AND COALESCE(enqueued_at, created_at) < $2
          AND (claimed_by IS NULL OR ${CLAIM_ABANDONED})
        RETURNING id
     ) SELECT id FROM stale`,
    [at, before],
  );
  return rows.map((row) => row.id);
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
 * by the database's clock) in one statement for a batch of rows, and holds
 * no transaction while the emails go out; each outcome is written as soon as
 * it is known, in one statement for the outcomes known together.
 *
 * A row claimed by a worker that died stays claimed until the planner's
 * re-queue finds it abandoned (CLAIM_ABANDONED), releases it and queues it
 * again, so a row is never sent by two live workers, and a killed worker
 * leaves in flight only what it had claimed.
 */
export class DeliveryClaims {
  private session?: Promise<{ client: pg.Client; worker: string }>;

  constructor(
    private readonly databaseUrl: string,
    private readonly dataSource: DataSource,
    private readonly onLost: (error: unknown) => void,
  ) {}

  /**
   * This worker's signature on the rows it claims, `<key>@<host>:<pid>`: the
   * key of the advisory lock its own session holds while the process lives.
   */
  private worker(): Promise<string> {
    this.session ??= this.openSession().catch((error: unknown) => {
      this.session = undefined;
      throw error;
    });
    return this.session.then((session) => session.worker);
  }

  private async openSession(): Promise<{ client: pg.Client; worker: string }> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('error', (error) => {
      // Its lock is gone with it: claims taken from now on get a new key.
      this.session = undefined;
      this.onLost(error);
    });
    await client.connect();
    for (;;) {
      const key = randomInt(1, 2 ** 31);
      const {
        rows: [row],
      } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
        WORKER_LOCK_CLASS,
        key,
      ]);
      if (row!.locked) return { client, worker: `${key}@${hostname()}:${process.pid}` };
    }
  }

  /** Ends the session (and its lock) once nothing of this process sends any more. */
  async close(): Promise<void> {
    const session = await this.session?.catch(() => undefined);
    this.session = undefined;
    await session?.client.end().catch(() => undefined);
  }

  /**
   * Claims the rows of `ids` that are PENDING and unclaimed, for `leaseMinutes`
   * at most by the database's clock, answering them (every column); the
   * others are sent, skipped, failed, or another worker's.
   */
  async take(ids: string[], leaseMinutes: number): Promise<Record<string, unknown>[]> {
    const valid = ids.filter(isDeliveryId);
    if (valid.length === 0) return [];
    return this.dataSource.query(
      `WITH claimed AS (
         UPDATE deliveries
            SET claimed_by = $2, lease_until = now() + $3 * interval '1 minute', updated_at = now()
          WHERE id = ANY($1::uuid[]) AND state = 'PENDING' AND claimed_by IS NULL
          RETURNING *
       ) SELECT * FROM claimed`,
      [valid, await this.worker(), leaseMinutes],
    );
  }

  /** Releases a row this worker claimed whose outcome could not be written with the others. */
  async release(id: string, lastError: string, isFinalAttempt: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE deliveries
          SET attempts = attempts + 1, last_error = $2, updated_at = now(),
              claimed_by = NULL, lease_until = NULL,
              state = CASE WHEN $3 THEN 'FAILED'::delivery_state ELSE state END
        WHERE id = $1 AND state = 'PENDING' AND claimed_by = $4`,
      [id, lastError, isFinalAttempt, await this.worker()],
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
        await this.worker(),
      ],
    );
    return new Set(rows.map((row) => row.id));
  }
}
