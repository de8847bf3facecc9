import { createHash, createHmac } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { entityRowMapper, type EntityRowMapper } from '../database/entity-rows.js';
import { DeliveryEntity, DeliveryKind, DeliveryState } from './delivery.entity.js';
import { MailComposers } from './mail.composers.js';
import type { ComposedMail } from './mail.layout.js';
import { MailTransport } from './mail.transport.js';
import { MAIL_QUEUE } from '../queue/queue-names.js';
import { Batches } from './batches.js';
import { DeliveryClaims, type ClaimOutcome, type Marked } from './delivery-claim.js';
import { Limiter } from './limiter.js';

export const SEND_JOB = 'send';

/** A send job names the ledger rows it sends (up to MAIL_JOB_SIZE). */
export interface SendJob {
  deliveryIds?: string[];
  /** Jobs queued before send jobs named several rows named one. */
  deliveryId?: string;
}

export interface DeliveryDecision {
  kind: DeliveryKind;
  recipient: string;
  reasonKey: string;
  subscriptionId?: string | null;
  userId?: string | null;
}

export type DeliveryOutcome = 'SENT' | 'SKIPPED' | 'ALREADY_HANDLED';

/** What a send job's rows came to. */
export type DeliveryCounts = Record<DeliveryOutcome, number>;

/** How long an outcome waits for others to share its write. */
const BATCH_LINGER_MS = 2;
/** Outcome writes running at once per process. */
const RUNNING_BATCHES = 2;
/** Jobs queued in one round trip to the queue. */
const JOBS_PER_ADD = 100;

/**
 * The delivery ledger. A row is the decision to send; the job only carries its
 * id; the worker claims the row, sends, and marks it, so a retried or
 * duplicated job never sends twice.
 */
@Injectable()
export class DeliveriesService implements OnApplicationShutdown {
  private readonly logger = new Logger(DeliveriesService.name);
  private readonly toDelivery: EntityRowMapper<DeliveryEntity>;
  private readonly messageIdHost: string;
  private readonly claims: DeliveryClaims;
  private readonly sending: Limiter;
  private readonly finishing: Batches<Marked, boolean>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue<SendJob>,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly composers: MailComposers,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
  ) {
    this.toDelivery = entityRowMapper(dataSource, DeliveryEntity);
    this.messageIdHost = new URL(config.publicUrl).hostname;
    this.claims = new DeliveryClaims(config.databaseUrl, dataSource, (error) =>
      this.logger.error(`the session holding this worker's claims failed: ${messageOf(error)}`),
    );
    this.sending = new Limiter(config.mail.concurrency);
    this.finishing = new Batches({
      maxSize: config.mail.concurrency,
      maxRunning: RUNNING_BATCHES,
      lingerMs: BATCH_LINGER_MS,
      run: async (marked) => {
        const written = await this.claims.finish(marked);
        return marked.map((m) => ({ ok: true, value: written.has(m.id) }));
      },
    });
  }

  /** The emails decided for a person (their address, or about them): kind, state and time only. */
  async forRecipient(
    manager: EntityManager,
    person: { email: string; userId: string },
  ): Promise<{ kind: DeliveryKind; state: DeliveryState; createdAt: Date; sentAt: Date | null }[]> {
    const rows = await manager
      .getRepository(DeliveryEntity)
      .createQueryBuilder('delivery')
      .where('delivery.recipient = :email OR delivery.user_id = :userId', person)
      .orderBy('delivery.created_at', 'ASC')
      .getMany();
    return rows.map(({ kind, state, createdAt, sentAt }) => ({ kind, state, createdAt, sentAt }));
  }

  /**
   * For a deleted account: pending emails to them are skipped, and their rows
   * keep only what proves nothing was sent twice — kind, reason, state, times,
   * and the recipient as a keyed hash instead of the address.
   */
  async forgetRecipient(
    manager: EntityManager,
    person: { email: string; userId: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE deliveries
          SET state = CASE WHEN state = 'PENDING' THEN 'SKIPPED'::delivery_state ELSE state END,
              recipient = $3, user_id = NULL, subscription_id = NULL, last_error = NULL,
              updated_at = $4
        WHERE recipient = $1 OR user_id = $2`,
      [person.email, person.userId, this.recipientHash(person.email), this.clock.now()],
    );
  }

  /** An address as the ledger keeps it once its owner is gone: HMAC-SHA256, keyed with the session secret. */
  recipientHash(email: string): string {
    return `hmac-sha256:${createHmac('sha256', this.config.jwtSecret).update(email).digest('hex')}`;
  }

  /** Records the decision inside the caller's transaction; null when it was already decided. */
  async decide(manager: EntityManager, decision: DeliveryDecision): Promise<string | null> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(DeliveryEntity)
      .values({ ...decision, state: DeliveryState.PENDING, enqueuedAt: this.clock.now() })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as { id: string }[])[0]?.id ?? null;
  }

  /**
   * Queues send jobs for decided rows, MAIL_JOB_SIZE rows per job. A job's id
   * follows from its rows (a job of one row has the row's id), so queueing
   * the same rows again collapses into the job already queued; a re-queue
   * (the job was lost) gets ids of its own. Extra jobs are harmless: a row is
   * sent only while it is pending and unclaimed.
   */
  async enqueue(deliveryIds: string[], requeuedAt?: Date): Promise<void> {
    const size = this.config.mail.jobSize;
    const jobs = [];
    for (let i = 0; i < deliveryIds.length; i += size) {
      const batch = deliveryIds.slice(i, i + size);
      const jobId = batch.length === 1 ? batch[0]! : `batch-${batchKey(batch)}`;
      jobs.push({
        name: SEND_JOB,
        data: { deliveryIds: batch } satisfies SendJob,
        opts: {
          jobId: requeuedAt ? `${jobId}-r${requeuedAt.getTime()}` : jobId,
          attempts: 5,
          backoff: { type: 'exponential', delay: 5_000 },
          // The ledger is the record. Keeping finished jobs would cost a trim
          // per job (a scan of the kept ones on the PostgreSQL backend).
          removeOnComplete: true,
          removeOnFail: { count: 5000 },
        },
      });
    }
    for (let i = 0; i < jobs.length; i += JOBS_PER_ADD) {
      await this.queue.addBulk(jobs.slice(i, i + JOBS_PER_ADD));
    }
  }

  /**
   * Sends a job's deliveries: claims its pending rows in one statement, then
   * composes and sends each, MAIL_CONCURRENCY messages in flight per process
   * (whichever jobs they come from), and writes each outcome as soon as it is
   * known (outcomes known together in one statement). A row is sent only
   * while pending, by the one worker that claimed it; one waiting its turn is
   * composed only then, so an unsubscribe before it skips it. Throws when
   * any row failed: the job's retry sends the rows still pending (the failed
   * ones) and no other.
   */
  async deliver(deliveryIds: string[], isFinalAttempt: boolean): Promise<DeliveryCounts> {
    const leaseMinutes = this.config.digests.requeueAfterMinutes;
    const rows = await this.claims.take(deliveryIds, leaseMinutes);
    // A row still waiting its turn when half its lease is gone is left for
    // the retry, so that no send can outlast the lease (another worker may
    // take the row once it has run out).
    const turnBy = performance.now() + (leaseMinutes * 60_000) / 2;
    const results = await Promise.allSettled(
      rows.map((row) =>
        this.sending.run(async () => {
          const delivery = this.toDelivery(row);
          if (performance.now() <= turnBy) return this.send(delivery, isFinalAttempt);
          await this.recordFailure(
            delivery.id,
            false,
            new Error('its turn came too late in the lease'),
          );
          throw new Error(
            `delivery ${delivery.id}: its turn came too late in its lease; left for the retry`,
          );
        }),
      ),
    );
    const counts: DeliveryCounts = {
      SENT: 0,
      SKIPPED: 0,
      ALREADY_HANDLED: deliveryIds.length - rows.length,
    };
    const failures: unknown[] = [];
    for (const result of results) {
      if (result.status === 'fulfilled') counts[result.value] += 1;
      else failures.push(result.reason);
    }
    if (failures.length === 1 && deliveryIds.length === 1) throw failures[0];
    if (failures.length) {
      throw new AggregateError(
        failures,
        `${failures.length} of ${deliveryIds.length} deliveries failed, first: ${messageOf(failures[0])}`,
      );
    }
    return counts;
  }

  /** Composes and sends one claimed row, and records what became of it. */
  private async send(delivery: DeliveryEntity, isFinalAttempt: boolean): Promise<DeliveryOutcome> {
    const deliveryId = delivery.id;
    let finished = false;
    const finish = async (outcome: ClaimOutcome) => {
      const written = await this.finishing.add({ id: deliveryId, outcome });
      finished = true;
      if (!written) {
        this.logger.error(
          `delivery ${deliveryId}: its claim was released while it was in flight (lease ran out?); recorded nothing`,
        );
      }
    };
    try {
      let failure: { error: unknown } | undefined;
      let composed: ComposedMail | null = null;
      try {
        composed = await this.composers.get(delivery.kind).compose(delivery);
      } catch (error) {
        failure = { error };
      }
      if (!failure && !composed) {
        await finish({ state: 'SKIPPED' });
        return 'SKIPPED';
      }
      if (!failure) {
        const messageId = this.messageIdFor(deliveryId);
        try {
          await this.transport.send({ to: delivery.recipient, messageId, ...composed! });
        } catch (error) {
          failure = { error };
        }
        if (!failure) {
          await finish({ state: 'SENT', messageId, sentAt: this.clock.now() });
          return 'SENT';
        }
      }
      await finish({
        state: isFinalAttempt ? 'FAILED' : 'PENDING',
        lastError: messageOf(failure.error),
      });
      throw failure.error;
    } catch (error) {
      if (!finished) await this.recordFailure(deliveryId, isFinalAttempt, error);
      this.logger.warn(
        `delivery ${deliveryId} failed${isFinalAttempt ? ' for good' : ''}: ${messageOf(error)}`,
      );
      throw error;
    }
  }

  /** A failure whose outcome could not be written with the others (the claim is released). */
  private async recordFailure(
    deliveryId: string,
    isFinalAttempt: boolean,
    error: unknown,
  ): Promise<void> {
    try {
      await this.claims.release(deliveryId, messageOf(error), isFinalAttempt);
    } catch (recordError) {
      this.logger.error(
        `could not record delivery ${deliveryId} failing: ${messageOf(recordError)}`,
      );
    }
  }

  /** After the mail worker has finished its sends (it stops before shutdown hooks run). */
  async onApplicationShutdown(): Promise<void> {
    await this.claims.close();
  }

  /** Stable per delivery, so a resend is recognisably the same message. */
  messageIdFor(deliveryId: string): string {
    return `<${deliveryId}@${this.messageIdHost}>`;
  }
}

/** Names a batch of rows: the same rows, the same key. */
function batchKey(deliveryIds: string[]): string {
  return createHash('sha256').update(deliveryIds.join(',')).digest('hex').slice(0, 32);
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}
