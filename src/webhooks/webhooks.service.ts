import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { isUuid } from '../common/uuid.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { EventType } from '../events/event.entity.js';
import { EVENTS_VIEW_SQL, findEvent } from '../events/events.repository.js';
import { WEBHOOKS_QUEUE } from '../queue/queue-names.js';
import { WEBHOOK_EVENTS, WebhookPayloads } from './webhook-payloads.js';
import { webhookSignature } from './webhook-signature.js';
import { WebhookDeliveryEntity, WebhookDeliveryState } from './webhook-delivery.entity.js';

/**
 * The oldest transaction that may still commit an event here: the oldest one
 * the statement's snapshot sees running, leaving out those that sessions of
 * the server's other databases are running (they cannot write this
 * database's events). So a long transaction in a neighbouring database on a
 * shared server does not hold webhooks back. Whether a running transaction
 * is a neighbour's is read from pg_stat_activity; one it cannot place (gone
 * since the snapshot, or hidden from this role) counts as this database's,
 * which only waits longer.
 */
const RELAY_HORIZON_SQL = `(
  SELECT coalesce(min(running.xid::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
    FROM pg_snapshot_xip(pg_current_snapshot()) AS running(xid)
   WHERE NOT EXISTS (
     SELECT 1 FROM pg_stat_activity neighbour
      WHERE neighbour.backend_xid::text::bigint = running.xid::text::bigint % 4294967296
        AND neighbour.datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database())))`;

export const RELAY_JOB = 'relay';
export const SEND_WEBHOOK_JOB = 'send';

export interface SendWebhookJob {
  deliveryId: string;
}

/** Events read per endpoint and transaction from the outbox. */
const RELAY_BATCH = 500;
/** Batches per endpoint and relay pass (the next pass takes the rest). */
const RELAY_BATCHES_PER_PASS = 10;
/** A pending row whose job was queued longer ago than this is queued again (a lost queue). */
const REQUEUE_AFTER_MS = 5 * 60_000;
/** Attempts per delivery, 1 s apart and doubling: the last one about 68 minutes after the first. */
export const WEBHOOK_ATTEMPTS = 13;
const REQUEST_TIMEOUT_MS = 10_000;

export type WebhookOutcome = 'SENT' | 'SKIPPED' | 'ALREADY_HANDLED';

export class WebhookRejected extends Error {}

/**
 * Webhooks built on the outbox. The relay (a repeating job) writes one
 * delivery row per (event, endpoint), idempotently, and queues a send job per
 * new row; the sender POSTs the signed event and marks the row. At least once:
 * a row is SENT only after the receiver answered 2xx, and a row whose job is
 * lost is queued again.
 */
@Injectable()
export class WebhooksService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly payloads: WebhookPayloads,
    private readonly clock: Clock,
  ) {}

  /**
   * Every process (api and worker) registers the configured endpoints as it
   * starts, before it takes requests: an endpoint gets every event recorded
   * from then on, even one recorded before a worker's first relay pass.
   */
  async onApplicationBootstrap(): Promise<void> {
    // Not fatal (migrations may still be pending): every relay pass registers them too.
    await this.registerEndpoints().catch((error: unknown) =>
      this.logger.warn(`could not register the webhook endpoints yet: ${String(error)}`),
    );
  }

  get enabled(): boolean {
    return this.config.webhooks.urls.length > 0;
  }

  /** One relay pass: new events become deliveries, and stale pending ones are queued again. */
  async relay(): Promise<{ created: number; requeued: number }> {
    const urls = this.config.webhooks.urls;
    if (urls.length === 0) return { created: 0, requeued: 0 };
    await this.registerEndpoints();
    const now = this.clock.now();
    const created: string[] = [];
    for (const url of urls) {
      for (let batch = 0; batch < RELAY_BATCHES_PER_PASS; batch += 1) {
        const step = await this.relayBatch(url, now);
        created.push(...step.created);
        if (step.scanned < RELAY_BATCH) break;
      }
    }
    const stale: { id: string }[] = await this.dataSource.query(
      `UPDATE webhook_deliveries SET enqueued_at = $1
        WHERE state = 'PENDING' AND enqueued_at < $2 AND id NOT IN (SELECT unnest($3::uuid[]))
        RETURNING id`,
      [now, new Date(now.getTime() - REQUEUE_AFTER_MS), created],
    );
    await this.enqueue([...created, ...stale.map((row) => row.id)]);
    return { created: created.length, requeued: stale.length };
  }

  /**
   * The next events after one endpoint's cursor become its deliveries, and
   * the cursor moves past them, in one transaction holding the endpoint's row
   * (another relay skips it meanwhile). Events are read in (tx_id, id) order
   * and only from transactions older than every one still running in this
   * database (RELAY_HORIZON_SQL), so an event committed later can never sit
   * behind the cursor. Nothing when another relay holds the row.
   */
  private relayBatch(url: string, now: Date): Promise<{ created: string[]; scanned: number }> {
    return this.dataSource.transaction(async (manager) => {
      const [endpoint] = await manager.query<
        { relayed_tx_id: string; relayed_event_id: string; added_at: Date }[]
      >(
        `SELECT relayed_tx_id, relayed_event_id, added_at FROM webhook_endpoints
          WHERE url = $1 FOR UPDATE SKIP LOCKED`,
        [url],
      );
      if (!endpoint) return { created: [], scanned: 0 };
      const [step] = await manager.query<
        { created: string[]; scanned: number; last_tx_id: string | null; last_id: string | null }[]
      >(
        `WITH batch AS (
           SELECT id, tx_id, type, created_at FROM ${EVENTS_VIEW_SQL} events
            WHERE (tx_id, id) > ($2::bigint, $3::uuid)
              AND tx_id < ${RELAY_HORIZON_SQL}
            ORDER BY tx_id, id
            LIMIT ${RELAY_BATCH}
         ), created AS (
           INSERT INTO webhook_deliveries (event_id, endpoint, enqueued_at)
           SELECT id, $1, $4 FROM batch
            WHERE type = ANY($5::event_type[]) AND created_at >= $6
           ON CONFLICT (event_id, endpoint) DO NOTHING
           RETURNING id
         ), last AS (
           SELECT tx_id, id FROM batch ORDER BY tx_id DESC, id DESC LIMIT 1
         )
         SELECT ARRAY(SELECT id FROM created)::text[] AS created,
                (SELECT count(*)::int FROM batch) AS scanned,
                (SELECT tx_id FROM last) AS last_tx_id,
                (SELECT id FROM last) AS last_id`,
        [
          url,
          endpoint.relayed_tx_id,
          endpoint.relayed_event_id,
          now,
          Object.keys(WEBHOOK_EVENTS),
          endpoint.added_at,
        ],
      );
      if (step!.last_id !== null) {
        await manager.query(
          `UPDATE webhook_endpoints SET relayed_tx_id = $2, relayed_event_id = $3 WHERE url = $1`,
          [url, step!.last_tx_id, step!.last_id],
        );
      }
      return { created: step!.created, scanned: step!.scanned };
    });
  }

  /**
   * A new endpoint's cursor starts at the transactions running in this
   * database as it is added (the relay's own horizon): it gets their events
   * and every later one, none from before.
   */
  private async registerEndpoints(): Promise<void> {
    const urls = this.config.webhooks.urls;
    if (urls.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO webhook_endpoints (url, relayed_tx_id)
       SELECT unnest($1::text[]), ${RELAY_HORIZON_SQL}
       ON CONFLICT (url) DO NOTHING`,
      [urls],
    );
  }

  /** Sends one delivery; throws (so the job retries) while the receiver does not take it. */
  async send(deliveryId: string, isFinalAttempt: boolean): Promise<WebhookOutcome> {
    if (!isUuid(deliveryId)) return 'ALREADY_HANDLED';
    const deliveries = this.dataSource.getRepository(WebhookDeliveryEntity);
    const delivery = await deliveries.findOneBy({ id: deliveryId });
    if (!delivery || delivery.state !== WebhookDeliveryState.PENDING) return 'ALREADY_HANDLED';
    const request = await this.compose(delivery);
    if (!request) {
      await deliveries.update(
        { id: delivery.id, state: WebhookDeliveryState.PENDING },
        { state: WebhookDeliveryState.SKIPPED },
      );
      return 'SKIPPED';
    }
    let failure: string | undefined;
    try {
      const response = await fetch(delivery.endpoint, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.status < 200 || response.status > 299) failure = `HTTP ${response.status}`;
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    await deliveries.update(
      { id: delivery.id, state: WebhookDeliveryState.PENDING },
      failure
        ? {
            attempts: () => 'attempts + 1',
            lastError: failure.slice(0, 500),
            ...(isFinalAttempt ? { state: WebhookDeliveryState.FAILED } : {}),
          }
        : {
            attempts: () => 'attempts + 1',
            state: WebhookDeliveryState.SENT,
            sentAt: this.clock.now(),
            lastError: null,
          },
    );
    if (failure) {
      this.logger.warn(`webhook ${delivery.id} to ${new URL(delivery.endpoint).host}: ${failure}`);
      throw new WebhookRejected(failure);
    }
    return 'SENT';
  }

  private async enqueue(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.queue.addBulk(
      ids.map((deliveryId) => ({
        name: SEND_WEBHOOK_JOB,
        data: { deliveryId } satisfies SendWebhookJob,
        opts: {
          // One job per row: queuing a row whose job still waits (or backs off) adds nothing.
          jobId: `webhook-${deliveryId}`,
          attempts: WEBHOOK_ATTEMPTS,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  /** The signed request for a delivery, built from the event and what it is about now. */
  private async compose(
    delivery: WebhookDeliveryEntity,
  ): Promise<{ headers: Record<string, string>; body: string } | null> {
    const event = await findEvent(this.dataSource.manager, delivery.eventId);
    const name = event ? WEBHOOK_EVENTS[event.type] : undefined;
    if (!event || !name) return null;
    const data = await this.payloads.data(this.dataSource.manager, {
      type: event.type as EventType,
      subjectId: event.subjectId,
      essayId: event.essayId,
    });
    if (!data) return null;
    const body = JSON.stringify({
      id: event.id,
      type: name,
      occurredAt: event.occurredAt.toISOString(),
      essayId: event.essayId,
      subjectId: event.subjectId,
      data,
    });
    // The receiver compares it with its own clock to refuse old replays: wall time, not the app's clock.
    const timestamp = String(Math.floor(Date.now() / 1000));
    return {
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'rizom-conversations-webhooks',
        'x-rizom-event': name,
        'x-rizom-event-id': event.id,
        'x-rizom-timestamp': timestamp,
        'x-rizom-signature': webhookSignature(this.config.webhooks.secret!, timestamp, body),
      },
    };
  }
}
