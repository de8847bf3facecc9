import { Injectable, OnModuleInit } from '@nestjs/common';
import { DeliveryEntity, DeliveryKind } from '../mail/delivery.entity.js';
import { MailComposers, type MailComposer } from '../mail/mail.composers.js';
import type { ComposedMail } from '../mail/mail.layout.js';
import { DigestScope, SubscriptionStatus } from './digest-subscription.entity.js';
import { MailLinks } from './mail-links.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { MailTemplates } from './templates/mail-templates.js';

/** The double opt-in email; skipped once the subscription is confirmed or cancelled. */
@Injectable()
export class SubscriptionConfirmMail implements MailComposer, OnModuleInit {
  constructor(
    private readonly composers: MailComposers,
    private readonly subscriptions: SubscriptionsService,
    private readonly templates: MailTemplates,
    private readonly links: MailLinks,
  ) {}

  onModuleInit(): void {
    this.composers.register(DeliveryKind.SUBSCRIPTION_CONFIRM, this);
  }

  async compose(delivery: DeliveryEntity): Promise<ComposedMail | null> {
    const subscription = delivery.subscriptionId
      ? await this.subscriptions.findById(delivery.subscriptionId)
      : null;
    if (!subscription || subscription.status !== SubscriptionStatus.PENDING) return null;
    const what =
      subscription.scope === DigestScope.ALL_ESSAYS
        ? 'new essays and conversations'
        : "one essay's conversation";
    const frequency = subscription.frequency === 'DAILY' ? 'daily' : 'weekly';
    const url = this.links.confirm(this.subscriptions.confirmToken(subscription));
    return {
      subject: 'Confirm your Rizom Conversations digest',
      ...this.templates.notice({
        preview: 'One click to start your digest',
        heading: 'Confirm your subscription',
        paragraphs: [
          `Someone (we hope you) asked for a ${frequency} digest of ${what} at this address.`,
          'Nothing will be sent until you confirm. If this was not you, ignore this email.',
        ],
        buttonUrl: url,
        buttonLabel: 'Confirm my subscription',
      }),
    };
  }
}
