import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventType } from '../events/event.entity.js';
import { WebhookPayloads, type WebhookSubject } from '../webhooks/webhook-payloads.js';
import { InterestEntity } from './interest.entity.js';

/** What `interest.received` carries: the offer with its contact details (the author's own systems). */
@Injectable()
export class InterestWebhooks implements OnModuleInit {
  constructor(private readonly payloads: WebhookPayloads) {}

  onModuleInit(): void {
    this.payloads.describe(EventType.INTEREST_RECEIVED, (manager, subject) =>
      this.describe(manager, subject),
    );
  }

  private async describe(
    manager: EntityManager,
    subject: WebhookSubject,
  ): Promise<Record<string, unknown> | null> {
    const interest = await manager
      .getRepository(InterestEntity)
      .findOneBy({ id: subject.subjectId });
    if (!interest) return null;
    return {
      interest: {
        id: interest.id,
        essayId: interest.essayId,
        readerId: interest.readerId,
        message: interest.message,
        areas: interest.areas,
        building: interest.building,
        link: interest.link,
        availability: interest.availability,
        contactEmail: interest.contactEmail,
        consentToContact: interest.consentToContact,
        createdAt: interest.createdAt.toISOString(),
      },
    };
  }
}
