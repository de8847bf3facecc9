import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventType } from '../events/event.entity.js';

/** The webhook names of the outbox events that are sent; other events are not. */
export const WEBHOOK_EVENTS: Partial<Record<EventType, string>> = {
  [EventType.RESPONSE_PUBLISHED]: 'response.published',
  [EventType.RESPONSE_HELD]: 'response.held',
  [EventType.INTEREST_RECEIVED]: 'interest.received',
  [EventType.SUBSCRIPTION_CONFIRMED]: 'subscription.confirmed',
  [EventType.REPORT_OPENED]: 'report.opened',
};

export interface WebhookSubject {
  type: EventType;
  subjectId: string;
  essayId: string | null;
}

/**
 * Builds the `data` of an event's webhook from what is stored now; null when
 * the subject is gone (erased, deleted): the delivery is then skipped.
 */
export type WebhookDescriber = (
  manager: EntityManager,
  subject: WebhookSubject,
) => Promise<Record<string, unknown> | null>;

/**
 * Who describes each event: the feature that owns its subject registers a
 * describer at start-up, so webhooks/ reads no feature's tables. An event
 * without one is sent with its ids only.
 */
@Injectable()
export class WebhookPayloads {
  private readonly describers = new Map<EventType, WebhookDescriber>();

  describe(type: EventType, describer: WebhookDescriber): void {
    if (this.describers.has(type))
      throw new Error(`Two webhook describers registered for ${type}.`);
    this.describers.set(type, describer);
  }

  async data(
    manager: EntityManager,
    subject: WebhookSubject,
  ): Promise<Record<string, unknown> | null> {
    const describer = this.describers.get(subject.type);
    return describer ? describer(manager, subject) : {};
  }
}
