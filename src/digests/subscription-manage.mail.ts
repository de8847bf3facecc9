import { Injectable, OnModuleInit } from '@nestjs/common';
import { DeliveryEntity, DeliveryKind } from '../mail/delivery.entity.js';
import { MailComposers, type MailComposer } from '../mail/mail.composers.js';
import type { ComposedMail } from '../mail/mail.layout.js';
import { DigestScope, SubscriptionStatus } from './digest-subscription.entity.js';
import { MailLinks } from './mail-links.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { MailTemplates } from './templates/mail-templates.js';

/**
 * Sent when someone subscribes an address that is already subscribed: nothing
 * changed, and the owner gets the link that can change it. Skipped once the
 * subscription is no longer confirmed.
 */
@Injectable()
export class SubscriptionManageMail implements MailComposer, OnModuleInit {
  constructor(
    private readonly composers: MailComposers,
    private readonly subscriptions: SubscriptionsService,
    private readonly templates: MailTemplates,
    private readonly links: MailLinks,
  ) {}

  onModuleInit(): void {
    this.composers.register(DeliveryKind.SUBSCRIPTION_MANAGE, this);
  }

  async compose(delivery: DeliveryEntity): Promise<ComposedMail | null> {
    const subscription = delivery.subscriptionId
      ? await this.subscriptions.findById(delivery.subscriptionId)
      : null;
    if (!subscription || subscription.status !== SubscriptionStatus.CONFIRMED) return null;
    const what =
      subscription.scope === DigestScope.ALL_ESSAYS
        ? 'new essays and conversations'
        : "one essay's conversation";
    const token = this.subscriptions.manageToken(subscription);
    return {
      subject: 'Your Rizom Conversations digest: manage your subscription',
      ...this.templates.notice({
        preview: 'You are already subscribed',
        heading: 'You are already subscribed',
        paragraphs: [
          `Someone (we hope you) asked to subscribe this address to a digest of ${what}. It already gets one, so nothing was changed.`,
          'To change how often or when it comes, or to stop it, use the link below. If this was not you, ignore this email.',
        ],
        buttonUrl: this.links.manage(token),
        buttonLabel: 'Manage my subscription',
        manageUrl: this.links.manage(token),
        unsubscribeUrl: this.links.unsubscribe(token),
        postalAddress: this.links.postalAddress,
      }),
    };
  }
}
