import { Injectable, OnModuleInit } from '@nestjs/common';
import { markdownToText } from '../common/markdown.js';
import { EssaysRepository } from '../essays/essays.repository.js';
import { DeliveryEntity, DeliveryKind } from '../mail/delivery.entity.js';
import { MailComposers, type MailComposer } from '../mail/mail.composers.js';
import type { ComposedMail } from '../mail/mail.layout.js';
import { ResponsesRepository } from '../responses/responses.repository.js';
import { ModerationState } from '../responses/moderation/moderation-state.js';
import { UsersService } from '../users/users.service.js';
import { LinkTokens } from '../mail/link-tokens.js';
import { MailLinks } from '../mail/mail-links.js';
import { MailTemplates } from '../mail/templates/mail-templates.js';
import { NotificationSettingsService } from './notification-settings.service.js';

/**
 * "The author replied to you", and (reason `approved:`) "your response is
 * live": skipped if the response is gone or the reader turned these off.
 */
@Injectable()
export class ReplyNoticeMail implements MailComposer, OnModuleInit {
  constructor(
    private readonly responses: ResponsesRepository,
    private readonly users: UsersService,
    private readonly essays: EssaysRepository,
    private readonly composers: MailComposers,
    private readonly templates: MailTemplates,
    private readonly links: MailLinks,
    private readonly tokens: LinkTokens,
    private readonly notificationSettings: NotificationSettingsService,
  ) {}

  onModuleInit(): void {
    this.composers.register(DeliveryKind.REPLY_NOTICE, this);
  }

  async compose(delivery: DeliveryEntity): Promise<ComposedMail | null> {
    if (delivery.reasonKey.startsWith('approved:')) return this.composeApproved(delivery);
    const replyId = delivery.reasonKey.replace(/^reply:/, '');
    const [reader, [reply]] = await Promise.all([
      delivery.userId ? this.users.findById(delivery.userId) : null,
      this.responses.findByIds([replyId]),
    ]);
    if (!reader || !reply || reply.deletedAt) return null;
    if (!(await this.notificationSettings.forUser(reader.id)).replyEmails) return null;
    const [essay] = await this.essays.findByIds([reply.essayId]);
    if (!essay) return null;
    const unsubscribeUrl = this.links.notificationsOff(
      'replies',
      this.tokens.sign('replies', reader.id, reader.email),
    );
    return {
      subject: `The author replied to you on “${essay.title}”`,
      headers: this.links.bulkHeaders(unsubscribeUrl, 'notices'),
      ...this.templates.notice({
        preview: 'The author replied to you',
        heading: 'The author replied to you',
        paragraphs: [`On “${essay.title}”:`],
        quote: markdownToText(reply.bodyMarkdown).slice(0, 1000),
        buttonUrl: this.links.response(essay, reply.id),
        buttonLabel: 'Read and reply',
        unsubscribeUrl,
        postalAddress: this.links.postalAddress,
      }),
    };
  }

  private async composeApproved(delivery: DeliveryEntity): Promise<ComposedMail | null> {
    const responseId = delivery.reasonKey.replace(/^approved:/, '');
    const [writer, [response]] = await Promise.all([
      delivery.userId ? this.users.findById(delivery.userId) : null,
      this.responses.findByIds([responseId]),
    ]);
    if (!writer || !response || response.deletedAt) return null;
    if (response.moderationState !== ModerationState.PUBLISHED || response.hiddenByBan) return null;
    if (!(await this.notificationSettings.forUser(writer.id)).replyEmails) return null;
    const [essay] = await this.essays.findByIds([response.essayId]);
    if (!essay) return null;
    const unsubscribeUrl = this.links.notificationsOff(
      'replies',
      this.tokens.sign('replies', writer.id, writer.email),
    );
    return {
      subject: `Your response on “${essay.title}” is live`,
      headers: this.links.bulkHeaders(unsubscribeUrl, 'notices'),
      ...this.templates.notice({
        preview: 'Your response is live',
        heading: 'Your response is live',
        paragraphs: [`The author approved what you wrote on “${essay.title}”:`],
        quote: markdownToText(response.bodyMarkdown).slice(0, 1000),
        buttonUrl: this.links.response(essay, response.id),
        buttonLabel: 'See it in the conversation',
        unsubscribeUrl,
        postalAddress: this.links.postalAddress,
      }),
    };
  }
}
