import { Injectable, OnModuleInit } from '@nestjs/common';
import DataLoader from 'dataloader';
import { byKey } from '../common/loaders.js';
import { DeliveryEntity, DeliveryKind } from '../mail/delivery.entity.js';
import { MailComposers, type MailComposer } from '../mail/mail.composers.js';
import type { ComposedMail } from '../mail/mail.layout.js';
import { DigestContentService } from './digest-content.service.js';
import { DigestSubscriptionEntity, SubscriptionStatus } from './digest-subscription.entity.js';
import { MailLinks } from '../mail/mail-links.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { MailTemplates } from '../mail/templates/mail-templates.js';

/** A subscriber's digest for one slot; an empty window sends nothing (the window still moved on). */
@Injectable()
export class DigestMail implements MailComposer, OnModuleInit {
  /**
   * The worker composes a batch of digests at once: their subscriptions load
   * in one query. Not cached, so each digest sees its subscription as it is.
   */
  private readonly subscriptionsById = new DataLoader<string, DigestSubscriptionEntity | null>(
    async (ids) =>
      byKey(ids, await this.subscriptions.findByIds(ids), (subscription) => subscription.id),
    { cache: false },
  );

  constructor(
    private readonly composers: MailComposers,
    private readonly subscriptions: SubscriptionsService,
    private readonly content: DigestContentService,
    private readonly templates: MailTemplates,
    private readonly links: MailLinks,
  ) {}

  onModuleInit(): void {
    this.composers.register(DeliveryKind.DIGEST, this);
  }

  async compose(delivery: DeliveryEntity): Promise<ComposedMail | null> {
    const subscription = delivery.subscriptionId
      ? await this.subscriptionsById.load(delivery.subscriptionId)
      : null;
    if (!subscription || subscription.status !== SubscriptionStatus.CONFIRMED) return null;
    const content = await this.content.forWindow({
      scope: subscription.scope,
      essayId: subscription.essayId,
      start: delivery.windowStart!,
      end: delivery.windowEnd!,
    });
    if (DigestContentService.isEmpty(content)) return null;
    const token = this.subscriptions.manageToken(subscription);
    const unsubscribeUrl = this.links.unsubscribe(token);
    const responses = content.conversations.reduce(
      (sum, c) => sum + c.prompts.reduce((n, p) => n + p.count, 0),
      0,
    );
    const title =
      content.newEssays.length === 1 && responses === 0
        ? `New essay: ${content.newEssays[0]!.title}`
        : `${subscription.frequency === 'DAILY' ? 'Your daily' : 'Your weekly'} digest: ${describe(content.newEssays.length, responses)}`;
    return {
      subject: title,
      headers: this.links.bulkHeaders(unsubscribeUrl, 'digest'),
      ...this.templates.digest({
        preview: title,
        title,
        essays: content.newEssays.map((essay) => ({
          title: essay.title,
          url: this.links.essay(essay),
          excerpt: essay.excerpt,
        })),
        conversations: content.conversations.map((conversation) => ({
          title: conversation.essay.title,
          url: this.links.essay(conversation.essay),
          prompts: conversation.prompts.map((prompt) => ({
            text: prompt.text,
            count: prompt.count,
            one: prompt.count === 1,
            latest: prompt.latest.map((response) => ({
              writer: response.writer,
              excerpt: response.excerpt,
              url: this.links.response(conversation.essay, response.responseId),
            })),
          })),
          authorReplies: conversation.authorReplies.map((reply) => ({
            excerpt: reply.excerpt,
            url: this.links.response(conversation.essay, reply.responseId),
          })),
        })),
        unsubscribeUrl,
        manageUrl: this.links.manage(token),
        postalAddress: this.links.postalAddress,
      }),
    };
  }
}

function describe(essays: number, responses: number): string {
  const parts = [];
  if (essays) parts.push(`${essays} new ${essays === 1 ? 'essay' : 'essays'}`);
  if (responses) parts.push(`${responses} new ${responses === 1 ? 'response' : 'responses'}`);
  return parts.length ? parts.join(' and ') : 'replies from the author';
}
