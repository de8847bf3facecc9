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
import { UsersService } from '../users/users.service.js';
import { NotificationSettingsService } from './notification-settings.service.js';

/** Notifications decided as part of a change: the reply notice, and "your response is live" once approved. */
@Injectable()
export class NoticesService implements EventHandler, OnModuleInit {
  constructor(
    private readonly deliveries: DeliveriesService,
    private readonly events: EventsService,
    private readonly notificationSettings: NotificationSettingsService,
    private readonly responses: ResponsesRepository,
    private readonly users: UsersService,
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
    const readerId = await this.responses.parentWriterOf(manager, reply.subjectId);
    const reader = readerId ? await this.users.findById(readerId, manager) : null;
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

  /**
   * Moderation: a response the author approved after a hold is published
   * now; its writer hears it is live, as a reply notice (off with them). A
   * response that was never held has no approval and sends nothing: one
   * written in this very transaction is not even looked up.
   */
  private async approvalNotice(
    manager: EntityManager,
    published: RecordedEvent,
  ): Promise<AfterCommit | void> {
    if (published.subjectIsNew) return;
    const [response] = await this.responses.findByIds([published.subjectId], manager);
    if (!response || response.approvedAt === null) return;
    const writer = await this.users.findById(response.authorId, manager);
    if (!writer || !writer.email.includes('@')) return;
    if (!(await this.notificationSettings.forUser(writer.id, manager)).replyEmails) return;
    const deliveryId = await this.deliveries.decide(manager, {
      kind: DeliveryKind.REPLY_NOTICE,
      recipient: writer.email,
      reasonKey: `approved:${published.subjectId}`,
      userId: writer.id,
    });
    if (deliveryId) return () => this.deliveries.enqueue([deliveryId]);
  }
}
