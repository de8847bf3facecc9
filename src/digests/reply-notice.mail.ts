import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { markdownToText } from '../common/markdown.js';
import { EssayEntity } from '../essays/essay.entity.js';
import { DeliveryEntity, DeliveryKind } from '../mail/delivery.entity.js';
import { MailComposers, type MailComposer } from '../mail/mail.composers.js';
import type { ComposedMail } from '../mail/mail.layout.js';
import { ModerationState } from '../responses/moderation/moderation-state.js';
import { ResponseEntity } from '../responses/response.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { LinkTokens } from './link-tokens.js';
import { MailLinks } from './mail-links.js';
import { MailTemplates } from './templates/mail-templates.js';

/**
 * "The author replied to you", and (reason `approved:`) "your response is
 * live": skipped if the response is gone or the reader turned these off.
 */
@Injectable()
export class ReplyNoticeMail implements MailComposer, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly composers: MailComposers,
    private readonly templates: MailTemplates,
    private readonly links: MailLinks,
    private readonly tokens: LinkTokens,
  ) {}

  onModuleInit(): void {
    this.composers.register(DeliveryKind.REPLY_NOTICE, this);
  }

  async compose(delivery: DeliveryEntity): Promise<ComposedMail | null> {
    if (delivery.reasonKey.startsWith('approved:')) return this.composeApproved(delivery);
    const replyId = delivery.reasonKey.replace(/^reply:/, '');
    const [reader, reply] = await Promise.all([
      delivery.userId
        ? this.dataSource.getRepository(UserEntity).findOneBy({ id: delivery.userId })
        : null,
      this.dataSource.getRepository(ResponseEntity).findOneBy({ id: replyId }),
    ]);
    if (!reader || !reader.replyEmails || !reply || reply.deletedAt) return null;
    const essay = await this.dataSource
      .getRepository(EssayEntity)
      .findOneByOrFail({ id: reply.essayId });
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
    const [writer, response] = await Promise.all([
      delivery.userId
        ? this.dataSource.getRepository(UserEntity).findOneBy({ id: delivery.userId })
        : null,
      this.dataSource.getRepository(ResponseEntity).findOneBy({ id: responseId }),
    ]);
    if (!writer || !writer.replyEmails || !response || response.deletedAt) return null;
    if (response.moderationState !== ModerationState.PUBLISHED || response.hiddenByBan) return null;
    const essay = await this.dataSource
      .getRepository(EssayEntity)
      .findOneByOrFail({ id: response.essayId });
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
