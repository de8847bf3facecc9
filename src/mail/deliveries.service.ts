import { createHmac } from 'node:crypto';
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
import { Batches, type Settled } from './batches.js';
import { DeliveryClaims, type ClaimOutcome, type Marked } from './delivery-claim.js';

export const SEND_JOB = 'send';

export interface SendJob {
  deliveryId: string;
}

export interface DeliveryDecision {
  kind: DeliveryKind;
  recipient: string;
  reasonKey: string;
  subscriptionId?: string | null;
  userId?: string | null;
}

export type DeliveryOutcome = 'SENT' | 'SKIPPED' | 'ALREADY_HANDLED';

/** A row claimed for sending, with its email (null: nothing to send). */
interface Prepared {
  delivery: DeliveryEntity;
  composed: ComposedMail | null;
  failure?: { error: unknown };
}

/** How long a job waits for others to share its claim, or an outcome for others to share its write. */
const BATCH_LINGER_MS = 2;
/** Claims (and outcome writes) running at once per process. */
const RUNNING_BATCHES = 2;

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
  private readonly claiming: Batches<string, Prepared | null>;
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
    this.claiming = new Batches({
      maxSize: config.mail.concurrency,
      maxRunning: RUNNING_BATCHES,
      lingerMs: BATCH_LINGER_MS,
      run: (ids) => this.claimAndCompose(ids),
    });
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
   * Queues send jobs for decided rows. The first job's id is the row id, so
   * duplicates collapse; a re-queue (the job was lost) gets an id of its own.
   * Extra jobs are harmless: the worker sends a row only while it is pending.
   */
  async enqueue(deliveryIds: string[], requeuedAt?: Date): Promise<void> {
    for (let i = 0; i < deliveryIds.length; i += 1000) {
      await this.queue.addBulk(
        deliveryIds.slice(i, i + 1000).map((deliveryId) => ({
          name: SEND_JOB,
          data: { deliveryId },
          opts: {
            jobId: requeuedAt ? `${deliveryId}-r${requeuedAt.getTime()}` : deliveryId,
            attempts: 5,
            backoff: { type: 'exponential', delay: 5_000 },
            // The ledger is the record. Keeping finished jobs would cost a trim
            // per job (a scan of the kept ones on the PostgreSQL backend).
            removeOnComplete: true,
            removeOnFail: { count: 5000 },
          },
        })),
      );
    }
  }

  /**
   * Sends one delivery. The jobs running at the same moment claim their rows
   * together (one statement), their emails are composed, each is sent, and
   * each outcome is written as soon as it is known (outcomes known together
   * in one statement), so a row is sent only while pending, by the one worker
   * that claimed it, and a worker that dies leaves in flight only what it
   * had claimed and not recorded.
   */
  async deliver(deliveryId: string, isFinalAttempt: boolean): Promise<DeliveryOutcome> {
    let claimed = false;
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
      const prepared = await this.claiming.add(deliveryId);
      if (!prepared) return 'ALREADY_HANDLED';
      claimed = true;
      let failure = prepared.failure;
      if (!failure && !prepared.composed) {
        await finish({ state: 'SKIPPED' });
        return 'SKIPPED';
      }
      if (!failure) {
        const messageId = this.messageIdFor(deliveryId);
        try {
          await this.transport.send({
            to: prepared.delivery.recipient,
            messageId,
            ...prepared.composed!,
          });
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
      if (claimed && !finished) await this.recordFailure(deliveryId, isFinalAttempt, error);
      this.logger.warn(
        `delivery ${deliveryId} failed${isFinalAttempt ? ' for good' : ''}: ${messageOf(error)}`,
      );
      throw error;
    }
  }

  /** Claims the batch's pending rows in one statement and composes their emails. */
  private async claimAndCompose(ids: string[]): Promise<Settled<Prepared | null>[]> {
    const rows = await this.claims.take(ids, this.config.digests.requeueAfterMinutes);
    const deliveries = new Map(rows.map((row) => [row.id as string, this.toDelivery(row)]));
    return Promise.all(
      ids.map(async (id): Promise<Settled<Prepared | null>> => {
        const delivery = deliveries.get(id);
        if (!delivery) return { ok: true, value: null };
        try {
          const composed = await this.composers.get(delivery.kind).compose(delivery);
          return { ok: true, value: { delivery, composed } };
        } catch (error) {
          return { ok: true, value: { delivery, composed: null, failure: { error } } };
        }
      }),
    );
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

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}
