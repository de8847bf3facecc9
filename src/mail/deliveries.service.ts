import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { DeliveryEntity, DeliveryKind, DeliveryState } from './delivery.entity.js';
import { MailComposers } from './mail.composers.js';
import { MailTransport } from './mail.transport.js';

export const MAIL_QUEUE = 'mail';
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

/**
 * The delivery ledger. A row is the decision to send; the job only carries its
 * id; the worker claims the row, sends, and marks it, so a retried or
 * duplicated job never sends twice.
 */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger(DeliveriesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(MAIL_QUEUE) private readonly queue: Queue<SendJob>,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly composers: MailComposers,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
  ) {}

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
            removeOnComplete: { count: 1000 },
            removeOnFail: { count: 5000 },
          },
        })),
      );
    }
  }

  /**
   * Sends one delivery. The row stays locked while the message goes out, so
   * two workers holding the same id cannot both send it.
   */
  async deliver(deliveryId: string, isFinalAttempt: boolean): Promise<DeliveryOutcome> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const delivery = await manager
          .getRepository(DeliveryEntity)
          .createQueryBuilder('delivery')
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .where('delivery.id = :id', { id: deliveryId })
          .andWhere('delivery.state = :pending', { pending: DeliveryState.PENDING })
          .getOne();
        if (!delivery) return 'ALREADY_HANDLED';
        const composed = await this.composers.get(delivery.kind).compose(delivery);
        const repository = manager.getRepository(DeliveryEntity);
        if (!composed) {
          await repository.update(delivery.id, {
            state: DeliveryState.SKIPPED,
            attempts: delivery.attempts + 1,
          });
          return 'SKIPPED';
        }
        const messageId = this.messageIdFor(delivery.id);
        await this.transport.send({ to: delivery.recipient, messageId, ...composed });
        await repository.update(delivery.id, {
          state: DeliveryState.SENT,
          messageId,
          sentAt: this.clock.now(),
          attempts: delivery.attempts + 1,
          lastError: null,
        });
        return 'SENT';
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.dataSource
        .getRepository(DeliveryEntity)
        .createQueryBuilder()
        .update()
        .set({
          attempts: () => 'attempts + 1',
          lastError: message.slice(0, 2000),
          ...(isFinalAttempt ? { state: DeliveryState.FAILED } : {}),
        })
        .where('id = :id AND state = :pending', { id: deliveryId, pending: DeliveryState.PENDING })
        .execute();
      this.logger.warn(
        `delivery ${deliveryId} failed${isFinalAttempt ? ' for good' : ''}: ${message}`,
      );
      throw error;
    }
  }

  /** Stable per delivery, so a resend is recognisably the same message. */
  messageIdFor(deliveryId: string): string {
    return `<${deliveryId}@${new URL(this.config.publicUrl).hostname}>`;
  }
}
