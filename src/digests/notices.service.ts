import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EventType } from '../events/event.entity.js';
import {
  EventsService,
  type AfterCommit,
  type EventHandler,
  type RecordedEvent,
} from '../events/events.service.js';
import { DeliveriesService } from '../mail/deliveries.service.js';
import { DeliveryKind } from '../mail/delivery.entity.js';
import { ResponsesRepository } from '../responses/responses.repository.js';
import { UserEntity } from '../users/user.entity.js';

/** Notifications decided as part of a change: today, the reply notice. */
@Injectable()
export class NoticesService implements EventHandler, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deliveries: DeliveriesService,
    private readonly events: EventsService,
    private readonly responses: ResponsesRepository,
  ) {}

  onModuleInit(): void {
    this.events.on(EventType.AUTHOR_REPLIED, this);
  }

  /**
   * In the reply's own transaction: when the author replies to a reader, that
   * reader gets one email (unless they turned reply emails off).
   */
  async handle(manager: EntityManager, reply: RecordedEvent): Promise<AfterCommit | void> {
    const readerId = await this.responses.parentWriterOf(manager, reply.subjectId);
    const reader = readerId
      ? await manager.getRepository(UserEntity).findOneBy({ id: readerId })
      : null;
    if (!reader || !reader.replyEmails) return;
    const deliveryId = await this.deliveries.decide(manager, {
      kind: DeliveryKind.REPLY_NOTICE,
      recipient: reader.email,
      reasonKey: `reply:${reply.subjectId}`,
      userId: reader.id,
    });
    if (deliveryId) return () => this.deliveries.enqueue([deliveryId]);
  }

  /** Turns reply emails on or off for a user; off also skips the ones still pending. */
  async setReplyEmails(userId: string, enabled: boolean): Promise<UserEntity> {
    return this.dataSource.transaction(async (manager) => {
      await manager.getRepository(UserEntity).update(userId, { replyEmails: enabled });
      if (!enabled) {
        await manager.query(
          `UPDATE deliveries SET state = 'SKIPPED', last_error = 'reply emails turned off', updated_at = now()
            WHERE user_id = $1 AND kind = 'REPLY_NOTICE' AND state = 'PENDING'`,
          [userId],
        );
      }
      return manager.getRepository(UserEntity).findOneByOrFail({ id: userId });
    });
  }
}
