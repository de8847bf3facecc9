import { createHmac } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
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
import { DeliveryClaim, isDeliveryId } from './delivery-claim.js';

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

/** A pending row read for sending, with its email (null: nothing to send). */
interface Prepared {
  delivery: DeliveryEntity;
  composed: ComposedMail | null;
  failure?: { error: unknown };
}

/** How long a job waits for others to share its reads. */
const PREPARE_LINGER_MS = 2;
/** Reads running at once per process. */
const RUNNING_PREPARATIONS = 2;

/**
 * The delivery ledger. A row is the decision to send; the job only carries its
 * id; the worker claims the row, sends, and marks it, so a retried or
 * duplicated job never sends twice.
 */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);
  private readonly toDelivery: EntityRowMapper<DeliveryEntity>;
  private readonly messageIdHost: string;
  private readonly preparations: Batches<string, Prepared | null>;

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
    this.preparations = new Batches({
      maxSize: config.mail.concurrency,
      maxRunning: RUNNING_PREPARATIONS,
      lingerMs: PREPARE_LINGER_MS,
      run: (ids) => this.prepare(ids),
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
   * Sends one delivery. What the jobs running at the same moment need to read
   * (their rows, what their emails say) is read together; each row is then
   * claimed in a transaction of its own, sent, and marked as that commits, so
   * a row is sent only while pending, by one worker, and a worker that dies
   * leaves pending only what it had not sent.
   */
  async deliver(deliveryId: string, isFinalAttempt: boolean): Promise<DeliveryOutcome> {
    let claim: DeliveryClaim | null = null;
    try {
      const prepared = await this.preparations.add(deliveryId);
      if (!prepared) return 'ALREADY_HANDLED';
      claim = await DeliveryClaim.take(this.dataSource, deliveryId);
      if (!claim) return 'ALREADY_HANDLED';
      return await this.sendClaimed(claim, prepared, isFinalAttempt);
    } catch (error) {
      if (!claim?.finished) await this.recordFailure(deliveryId, isFinalAttempt, error);
      this.logger.warn(
        `delivery ${deliveryId} failed${isFinalAttempt ? ' for good' : ''}: ${messageOf(error)}`,
      );
      throw error;
    }
  }

  private async sendClaimed(
    claim: DeliveryClaim,
    prepared: Prepared,
    isFinalAttempt: boolean,
  ): Promise<DeliveryOutcome> {
    let failure = prepared.failure;
    if (!failure && !prepared.composed) {
      await claim.finish({ state: 'SKIPPED' });
      return 'SKIPPED';
    }
    if (!failure) {
      const messageId = this.messageIdFor(claim.id);
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
        await claim.finish({ state: 'SENT', messageId, sentAt: this.clock.now() });
        return 'SENT';
      }
    }
    await claim.finish({
      state: isFinalAttempt ? 'FAILED' : 'PENDING',
      lastError: messageOf(failure.error),
    });
    throw failure.error;
  }

  /** Reads the batch's pending rows in one query and composes their emails. */
  private async prepare(ids: string[]): Promise<Settled<Prepared | null>[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM deliveries WHERE id = ANY($1::uuid[]) AND state = 'PENDING'`,
      [ids.filter(isDeliveryId)],
    );
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

  /** A failure the row's own transaction could not record. */
  private async recordFailure(
    deliveryId: string,
    isFinalAttempt: boolean,
    error: unknown,
  ): Promise<void> {
    try {
      await this.dataSource.query(
        `UPDATE deliveries
            SET attempts = attempts + 1, last_error = $2, updated_at = now(),
                state = CASE WHEN $3 THEN 'FAILED'::delivery_state ELSE state END
          WHERE id = $1 AND state = 'PENDING'`,
        [deliveryId, messageOf(error), isFinalAttempt],
      );
    } catch (recordError) {
      this.logger.error(
        `could not record delivery ${deliveryId} failing: ${messageOf(recordError)}`,
      );
    }
  }

  /** Stable per delivery, so a resend is recognisably the same message. */
  messageIdFor(deliveryId: string): string {
    return `<${deliveryId}@${this.messageIdHost}>`;
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}
