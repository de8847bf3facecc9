import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventType } from '../events/event.entity.js';
import { WebhookPayloads, type WebhookSubject } from '../webhooks/webhook-payloads.js';
import { DigestSubscriptionEntity } from './digest-subscription.entity.js';

/** What `subscription.confirmed` carries: the subscription and its address (the author's own systems). */
@Injectable()
export class SubscriptionWebhooks implements OnModuleInit {
  constructor(private readonly payloads: WebhookPayloads) {}

  onModuleInit(): void {
    this.payloads.describe(EventType.SUBSCRIPTION_CONFIRMED, (manager, subject) =>
      this.describe(manager, subject),
    );
  }

  private async describe(
    manager: EntityManager,
    subject: WebhookSubject,
  ): Promise<Record<string, unknown> | null> {
    const subscription = await manager
      .getRepository(DigestSubscriptionEntity)
      .findOneBy({ id: subject.subjectId });
    if (!subscription) return null;
    return {
      subscription: {
        id: subscription.id,
        email: subscription.email,
        scope: subscription.scope,
        essayId: subscription.essayId,
        frequency: subscription.frequency,
        timezone: subscription.timezone,
        sendHour: subscription.sendHour,
        weekday: subscription.weekday,
        status: subscription.status,
        confirmedAt: subscription.confirmedAt?.toISOString() ?? null,
      },
    };
  }
}
