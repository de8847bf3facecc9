import { Injectable, OnModuleInit } from '@nestjs/common';
import { DeliveryEntity, DeliveryKind } from '../mail/delivery.entity.js';
import { MailComposers } from '../mail/mail.composers.js';
import type { ComposedMail } from '../mail/mail.layout.js';
import { MailLinks } from '../mail/mail-links.js';
import { MailTemplates, type NoticeView } from '../mail/templates/mail-templates.js';
import {
  DigestScope,
  DigestSubscriptionEntity,
  SubscriptionStatus,
} from './digest-subscription.entity.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** One email about a subscription itself, sent only while the subscription is in `status`. */
interface SubscriptionMessage {
  kind: DeliveryKind;
  status: SubscriptionStatus;
  subject: string;
  notice(subscription: DigestSubscriptionEntity): NoticeView;
}

/**
 * The emails about a subscription: the double opt-in (skipped once it is
 * confirmed or cancelled), and "you are already subscribed" with the manage
 * link (sent when someone subscribes a confirmed address; skipped once it is
 * no longer confirmed). Both load the subscription, check its status, render.
 */
@Injectable()
export class SubscriptionMail implements OnModuleInit {
  constructor(
    private readonly composers: MailComposers,
    private readonly subscriptions: SubscriptionsService,
    private readonly templates: MailTemplates,
    private readonly links: MailLinks,
  ) {}

  onModuleInit(): void {
    for (const message of [this.confirmation(), this.alreadySubscribed()]) {
      this.composers.register(message.kind, {
        compose: (delivery) => this.compose(delivery, message),
      });
    }
  }

  private async compose(
    delivery: DeliveryEntity,
    message: SubscriptionMessage,
  ): Promise<ComposedMail | null> {
    const subscription = delivery.subscriptionId
      ? await this.subscriptions.findById(delivery.subscriptionId)
      : null;
    if (!subscription || subscription.status !== message.status) return null;
    return { subject: message.subject, ...this.templates.notice(message.notice(subscription)) };
  }

  private confirmation(): SubscriptionMessage {
    return {
      kind: DeliveryKind.SUBSCRIPTION_CONFIRM,
      status: SubscriptionStatus.PENDING,
      subject: 'Confirm your Rizom Conversations digest',
      notice: (subscription) => ({
        preview: 'One click to start your digest',
        heading: 'Confirm your subscription',
        paragraphs: [
          `Someone (we hope you) asked for a ${subscription.frequency === 'DAILY' ? 'daily' : 'weekly'} digest of ${what(subscription)} at this address.`,
          'Nothing will be sent until you confirm. If this was not you, ignore this email.',
        ],
        buttonUrl: this.links.confirm(this.subscriptions.confirmToken(subscription)),
        buttonLabel: 'Confirm my subscription',
      }),
    };
  }

  private alreadySubscribed(): SubscriptionMessage {
    return {
      kind: DeliveryKind.SUBSCRIPTION_MANAGE,
      status: SubscriptionStatus.CONFIRMED,
      subject: 'Your Rizom Conversations digest: manage your subscription',
      notice: (subscription) => {
        const token = this.subscriptions.manageToken(subscription);
        return {
          preview: 'You are already subscribed',
          heading: 'You are already subscribed',
          paragraphs: [
            `Someone (we hope you) asked to subscribe this address to a digest of ${what(subscription)}. It already gets one, so nothing was changed.`,
            'To change how often or when it comes, or to stop it, use the link below. If this was not you, ignore this email.',
          ],
          buttonUrl: this.links.manage(token),
          buttonLabel: 'Manage my subscription',
          manageUrl: this.links.manage(token),
          unsubscribeUrl: this.links.unsubscribe(token),
          postalAddress: this.links.postalAddress,
        };
      },
    };
  }
}

function what(subscription: DigestSubscriptionEntity): string {
  return subscription.scope === DigestScope.ALL_ESSAYS
    ? 'new essays and conversations'
    : "one essay's conversation";
}
