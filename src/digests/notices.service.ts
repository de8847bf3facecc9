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
import { UserEntity } from '../users/user.entity.js';

/** Notifications decided as part of a change: the reply notice, and "your response is live" once approved. */
@Injectable()
export class NoticesService implements EventHandler, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deliveries: DeliveriesService,
    private readonly events: EventsService,
  ) {}

  onModuleInit(): void {
    this.events.on(EventType.AUTHOR_REPLIED, this);
    this.events.on(EventType.RESPONSE_PUBLISHED, this);
  }

  /**
   * In the reply's own transaction: when the author replies to a reader, that
   * reader gets one email (unless they turned reply emails off).
   */
  async handle(manager: EntityManager, event: RecordedEvent): Promise<AfterCommit | void> {
    if (event.type === EventType.RESPONSE_PUBLISHED) return this.approvalNotice(manager, event);
    const reply = event;
    const reader = await manager
      .getRepository(UserEntity)
      .createQueryBuilder('reader')
      .innerJoin('responses', 'parent', 'parent.author_id = reader.id')
      .innerJoin('responses', 'reply', 'reply.parent_id = parent.id')
      .where('reply.id = :replyId', { replyId: reply.subjectId })
      .andWhere('reader.id <> reply.author_id')
      .getOne();
    if (!reader || !reader.replyEmails) return;
    const deliveryId = await this.deliveries.decide(manager, {
      kind: DeliveryKind.REPLY_NOTICE,
      recipient: reader.email,
      reasonKey: `reply:${reply.subjectId}`,
      userId: reader.id,
    });
    if (deliveryId) return () => this.deliveries.enqueue([deliveryId]);
  }

  /**
   * Moderation: a response the author approved after a hold is published
   * now; its writer hears it is live, as a reply notice (off with them). A
   * response that was never held has no approval and sends nothing.
   */
  private async approvalNotice(
    manager: EntityManager,
    published: RecordedEvent,
  ): Promise<AfterCommit | void> {
    const writer = await manager
      .getRepository(UserEntity)
      .createQueryBuilder('writer')
      .innerJoin('responses', 'response', 'response.author_id = writer.id')
      .where('response.id = :id', { id: published.subjectId })
      .andWhere('response.approved_at IS NOT NULL')
      .getOne();
    if (!writer || !writer.replyEmails) return;
    const deliveryId = await this.deliveries.decide(manager, {
      kind: DeliveryKind.REPLY_NOTICE,
      recipient: writer.email,
      reasonKey: `approved:${published.subjectId}`,
      userId: writer.id,
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
