import pg from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { isUuid } from '../common/uuid.js';

/** Whether a job's delivery id can name a row (ids are UUIDs). */
export function isDeliveryId(id: string): boolean {
  return isUuid(id);
}

/** What became of a claimed row's email, written as its transaction commits. */
export type ClaimOutcome =
  | { state: 'SENT'; messageId: string; sentAt: Date }
  | { state: 'SKIPPED' }
  | { state: 'PENDING' | 'FAILED'; lastError: string };

/**
 * One ledger row, locked while it is PENDING (FOR UPDATE SKIP LOCKED) in a
 * transaction of its own until its outcome commits: a worker that dies
 * mid-send leaves only that row pending, never one it already sent.
 *
 * This runs once per email, so each end of the transaction is one round trip
 * to PostgreSQL: "BEGIN; SELECT … FOR UPDATE" and "UPDATE …; COMMIT" go as
 * simple queries, which take no parameters; their values are escaped
 * literals, and the id must be a UUID.
 */
export class DeliveryClaim {
  /** Whether the outcome committed. */
  finished = false;

  private constructor(
    private readonly runner: QueryRunner,
    private readonly client: pg.PoolClient,
    readonly id: string,
  ) {}

  /** The row's claim, or null when it is not pending or another worker holds it. */
  static async take(dataSource: DataSource, id: string): Promise<DeliveryClaim | null> {
    if (!isDeliveryId(id)) return null;
    const runner = dataSource.createQueryRunner();
    const client = (await runner.connect()) as pg.PoolClient;
    try {
      const [, claimed] = (await client.query(
        `BEGIN; SELECT id FROM deliveries WHERE id = '${id}' AND state = 'PENDING' FOR UPDATE SKIP LOCKED`,
      )) as unknown as pg.QueryResult[];
      if (claimed!.rowCount === 1) return new DeliveryClaim(runner, client, id);
      await client.query('ROLLBACK');
      await runner.release();
      return null;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      await runner.release();
      throw error;
    }
  }

  /** Records the outcome and commits, which releases the row. Once only. */
  async finish(outcome: ClaimOutcome): Promise<void> {
    if (this.runner.isReleased) throw new Error(`the claim on delivery ${this.id} has ended`);
    try {
      await this.client.query(`${this.update(outcome)}; COMMIT`);
      this.finished = true;
      await this.runner.release();
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      await this.runner.release();
      throw error;
    }
  }

  private update(outcome: ClaimOutcome): string {
    const literal = pg.escapeLiteral;
    const set =
      outcome.state === 'SENT'
        ? `state = 'SENT', message_id = ${literal(outcome.messageId)}, sent_at = ${literal(outcome.sentAt.toISOString())}, last_error = NULL`
        : outcome.state === 'SKIPPED'
          ? `state = 'SKIPPED'`
          : `state = '${outcome.state}', last_error = ${literal(outcome.lastError)}`;
    return `UPDATE deliveries SET ${set}, attempts = attempts + 1, updated_at = now() WHERE id = '${this.id}'`;
  }
}
