import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
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
import { NotificationSettingsService } from './notification-settings.service.js';

/** Notifications decided as part of a change: today, the reply notice. */
@Injectable()
export class NoticesService implements EventHandler, OnModuleInit {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly events: EventsService,
    private readonly notificationSettings: NotificationSettingsService,
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
    // A deleted account's anonymised responses belong to a stand-in with no address.
    if (!reader || !reader.email.includes('@')) return;
    if (!(await this.notificationSettings.forUser(reader.id, manager)).replyEmails) return;
    const deliveryId = await this.deliveries.decide(manager, {
      kind: DeliveryKind.REPLY_NOTICE,
      recipient: reader.email,
      reasonKey: `reply:${reply.subjectId}`,
      userId: reader.id,
    });
    if (deliveryId) return () => this.deliveries.enqueue([deliveryId]);
  }
}
