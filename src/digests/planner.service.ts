import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { DeliveriesService } from '../mail/deliveries.service.js';
import { insertLedgerRowsSql, releaseStale } from '../mail/delivery-claim.js';
import { USERS_VIEW_SQL } from '../users/users.repository.js';
import { MAX_UUID, NIL_UUID, WHOLE_RANGE, type IdRange } from './id-ranges.js';
import { latestSlot, type Frequency } from './slots.js';

export interface PlanResult {
  at: string;
  created: number;
  requeued: number;
  /** When nothing was created: why. */
  reason?: string;
}

interface ScheduleRow {
  frequency: Frequency;
  timezone: string;
  send_hour: number;
  weekday: number;
}

/**
 * Decides which digests are due, in PostgreSQL: one ledger row per
 * subscription and slot, written set-based and in batches. Re-queues rows
 * whose jobs were lost. Safe to run twice, or from several instances at once.
 */
@Injectable()
export class DigestPlanner {
  private readonly logger = new Logger(DigestPlanner.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly deliveries: DeliveriesService,
  ) {}

  async plan(at: Date): Promise<PlanResult> {
    // A batch's jobs are queued while the next batch is decided, so the
    // ledger (PostgreSQL) and the queue work at the same time.
    const queue = this.queueing();
    let subscriberDigests: number;
    let reviewDigests: string[];
    try {
      subscriberDigests = await this.planSubscriberDigests(at, WHOLE_RANGE, queue.enqueue);
      reviewDigests = await this.planReviewDigests(at);
      void queue.enqueue(reviewDigests); // awaited by queue.done() below
    } finally {
      await queue.done();
    }
    const requeued = await this.requeueStale(at);
    const result: PlanResult = {
      at: at.toISOString(),
      created: subscriberDigests + reviewDigests.length,
      requeued: requeued.length,
    };
    if (result.created || result.requeued) this.logger.log(`planned ${JSON.stringify(result)}`);
    if (result.created === 0) result.reason = await this.whyNothing(at);
    return result;
  }

  /**
   * The subscriber digests of one share of a pass: the subscriptions whose
   * id is in `range`. Planners given the ranges of `splitIdRange(n)`, on any
   * workers and at the same time, decide together what one pass would (and
   * overlapping or repeated ranges decide nothing twice). Answers how many
   * digests it decided.
   */
  async planSubscriptionRange(at: Date, range: IdRange): Promise<number> {
    const queue = this.queueing();
    try {
      return await this.planSubscriberDigests(at, range, queue.enqueue);
    } finally {
      await queue.done();
    }
  }

  private queueing() {
    let queued = Promise.resolve();
    return {
      /** Resolves once these ids (and all before them) are queued. */
      enqueue: (ids: string[]) => {
        queued = queued.then(() => this.deliveries.enqueue(ids));
        // Awaited in done(); until then a failure must not count as unhandled.
        queued.catch(() => undefined);
        return queued;
      },
      done: () => queued,
    };
  }

  private async whyNothing(at: Date): Promise<string> {
    const [{ confirmed }]: { confirmed: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS confirmed FROM digest_subscriptions WHERE status = 'CONFIRMED'`,
    );
    return confirmed === 0
      ? 'there is no confirmed subscription (and no review digest of the author is due)'
      : `no confirmed subscription has a slot due at ${at.toISOString()} that it has not had (and no review digest of the author is due)`;
  }

  /**
   * Every distinct schedule (frequency, zone, hour, weekday) gets its latest
   * slot computed once; then one statement per page of subscriptions (in id
   * order, from where the last page ended: nothing is held in memory but a
   * page's new ledger ids) joins them, inserts the ledger rows and moves each
   * window on. Answers how many digests it decided.
   */
  private async planSubscriberDigests(
    at: Date,
    range: IdRange,
    enqueue: (ids: string[]) => Promise<void>,
  ): Promise<number> {
    const schedules: ScheduleRow[] = await this.dataSource.query(
      `SELECT DISTINCT frequency, timezone, send_hour, weekday FROM digest_subscriptions WHERE status = 'CONFIRMED'`,
    );
    if (schedules.length === 0) return 0;
    const slots = schedules.map((row) =>
      latestSlot(
        {
          frequency: row.frequency,
          timezone: row.timezone,
          sendHour: row.send_hour,
          weekday: row.weekday,
        },
        at,
      ),
    );
    let created = 0;
    let after = range.after;
    let queuedBefore = Promise.resolve();
    for (;;) {
      const [page]: { last: string | null; ids: string[] }[] = await this.dataSource.query(
        `WITH slots AS (
           SELECT * FROM unnest($1::digest_frequency[], $2::text[], $3::smallint[], $4::smallint[], $5::text[], $6::timestamptz[])
             AS c(frequency, timezone, send_hour, weekday, slot_key, slot_at)
         ), page AS (
           SELECT id FROM digest_subscriptions
            WHERE status = 'CONFIRMED' AND id > $7::uuid AND id <= $8::uuid
            ORDER BY id LIMIT $9
         ), due AS (
           SELECT s.id, s.email, COALESCE(s.window_start, s.confirmed_at) AS window_start, c.slot_key, c.slot_at
             FROM digest_subscriptions s
             JOIN slots c ON c.frequency = s.frequency AND c.timezone = s.timezone AND c.send_hour = s.send_hour
                         AND c.weekday = s.weekday
            WHERE s.id IN (SELECT id FROM page) AND s.status = 'CONFIRMED'
              AND c.slot_at > s.confirmed_at AND c.slot_at > COALESCE(s.window_start, s.confirmed_at)
            ORDER BY s.id
              -- A pass planning another instant at the same moment waits, then sees the window it moved.
              FOR UPDATE OF s
         ), inserted AS (
           ${insertLedgerRowsSql(['kind', 'recipient', 'reason_key', 'subscription_id', 'slot_key', 'window_start', 'window_end', 'enqueued_at'])}
           SELECT 'DIGEST', d.email, 'digest:' || d.id || ':' || d.slot_key, d.id, d.slot_key, d.window_start, d.slot_at, $10
             FROM due d
           ON CONFLICT DO NOTHING
           RETURNING id, subscription_id, window_end
         ), moved AS (
           -- Read by the answer, so each window moves as its row is inserted, while the
           -- subscription's page is still in memory (unread, it would move after all of them).
           UPDATE digest_subscriptions s SET window_start = i.window_end, updated_at = now()
             FROM inserted i WHERE s.id = i.subscription_id
           RETURNING i.id
         )
         SELECT (SELECT id FROM page ORDER BY id DESC LIMIT 1) AS last,
                ARRAY(SELECT id FROM moved) AS ids`,
        [
          schedules.map((s) => s.frequency),
          schedules.map((s) => s.timezone),
          schedules.map((s) => s.send_hour),
          schedules.map((s) => s.weekday),
          slots.map((s) => s.key),
          slots.map((s) => s.at),
          // Bounds without OR, so each page is an index range scan.
          after ?? NIL_UUID,
          range.upTo ?? MAX_UUID,
          this.config.digests.batchSize,
          at,
        ],
      );
      if (!page?.last) return created;
      // At most one page waits for the queue: memory stays flat when the
      // queue is slower than the ledger.
      const queuedNow = enqueue(page.ids);
      await queuedBefore;
      queuedBefore = queuedNow;
      created += page.ids.length;
      after = page.last;
    }
  }

  /**
   * The author's daily review digest, at their hour in their zone. Its
   * settings and window are the author's notification_settings row, made
   * here (with the defaults) for an author who has none yet; until the first
   * digest, the window starts at the author's sign-up.
   */
  private async planReviewDigests(at: Date): Promise<string[]> {
    await this.dataSource.query(
      `INSERT INTO notification_settings (user_id)
       SELECT id FROM ${USERS_VIEW_SQL} u WHERE role = 'AUTHOR' ON CONFLICT (user_id) DO NOTHING`,
    );
    const authors: {
      id: string;
      email: string;
      timezone: string;
      hour: number;
      window_start: Date;
    }[] = await this.dataSource.query(
      `SELECT u.id, u.email, s.review_digest_timezone AS timezone, s.review_digest_hour AS hour,
                COALESCE(s.review_window_start, u.created_at) AS window_start
           FROM ${USERS_VIEW_SQL} u JOIN notification_settings s ON s.user_id = u.id
          WHERE u.role = 'AUTHOR' AND s.review_digest_enabled`,
    );
    const created: string[] = [];
    for (const author of authors) {
      const slot = latestSlot(
        { frequency: 'DAILY', timezone: author.timezone, sendHour: author.hour, weekday: 1 },
        at,
      );
      if (slot.at <= author.window_start) continue;
      // The window is read again under the row's lock: a pass planning
      // another instant at the same moment must not reuse it.
      const rows: { id: string }[] = await this.dataSource.query(
        `WITH author AS (
           SELECT s.user_id AS id, COALESCE(s.review_window_start, u.created_at) AS window_start
             FROM notification_settings s JOIN ${USERS_VIEW_SQL} u ON u.id = s.user_id
            WHERE s.user_id = $2::uuid AND s.review_digest_enabled FOR UPDATE OF s
         ), inserted AS (
           ${insertLedgerRowsSql(['kind', 'recipient', 'reason_key', 'user_id', 'slot_key', 'window_start', 'window_end', 'enqueued_at'])}
           SELECT 'AUTHOR_DIGEST', $1, 'review:' || $2::text || ':' || $3, a.id, $3, a.window_start, $4, $5
             FROM author a WHERE a.window_start < $4
           ON CONFLICT DO NOTHING RETURNING id, window_end
         ), moved AS (
           UPDATE notification_settings SET review_window_start = i.window_end, updated_at = now()
             FROM inserted i WHERE notification_settings.user_id = $2::uuid
         )
         SELECT id FROM inserted`,
        [author.email, author.id, slot.key, slot.at, at],
      );
      created.push(...rows.map((row) => row.id));
    }
    return created;
  }

  /**
   * Pending rows whose job was queued too long ago (Redis lost it, a worker
   * died) are queued again; a claim whose worker is gone (or whose lease ran
   * out) is released with it. A live worker's claim is a send in progress:
   * left alone.
   */
  private async requeueStale(at: Date): Promise<string[]> {
    const before = new Date(at.getTime() - this.config.digests.requeueAfterMinutes * 60_000);
    const ids = await releaseStale(this.dataSource, at, before);
    await this.deliveries.enqueue(ids, at);
    return ids;
  }
}
