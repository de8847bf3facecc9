import { Injectable, OnModuleInit } from '@nestjs/common';
import { markdownToText } from '../common/markdown.js';
import { DeliveryEntity, DeliveryKind } from '../mail/delivery.entity.js';
import { EssaysRepository } from '../essays/essays.repository.js';
import { InterestService } from '../interest/interest.service.js';
import { MailComposers, type MailComposer } from '../mail/mail.composers.js';
import type { ComposedMail } from '../mail/mail.layout.js';
import { ResponsesRepository, type ListedForReview } from '../responses/responses.repository.js';
import { UsersService } from '../users/users.service.js';
import { LinkTokens } from '../mail/link-tokens.js';
import { MailLinks } from '../mail/mail-links.js';
import { MailTemplates } from '../mail/templates/mail-templates.js';
import { NotificationSettingsService } from './notification-settings.service.js';

const LISTED = 10;
const UNANSWERED_AFTER_HOURS = 48;

interface InterestRow {
  id: string;
  writer: string;
  building: string;
  title: string;
  total: number;
}

interface ResponseRow {
  id: string;
  body: string;
  writer: string;
  title: string;
  slug: string;
  canonical_url: string | null;
  total: number;
}

/**
 * The author's daily review digest: new responses, new collaborator interest,
 * public responses left without an author reply for 48 hours, and (moderation)
 * responses held for review and open reports, as they stand. Nothing to
 * report → no email.
 */
@Injectable()
export class ReviewDigestMail implements MailComposer, OnModuleInit {
  constructor(
    private readonly responseRows: ResponsesRepository,
    private readonly essays: EssaysRepository,
    private readonly interestRows: InterestService,
    private readonly users: UsersService,
    private readonly composers: MailComposers,
    private readonly templates: MailTemplates,
    private readonly links: MailLinks,
    private readonly tokens: LinkTokens,
    private readonly notificationSettings: NotificationSettingsService,
  ) {}

  onModuleInit(): void {
    this.composers.register(DeliveryKind.AUTHOR_DIGEST, this);
  }

  async compose(delivery: DeliveryEntity): Promise<ComposedMail | null> {
    const author = delivery.userId ? await this.users.findById(delivery.userId) : null;
    if (!author || !(await this.notificationSettings.forUser(author.id)).reviewDigestEnabled)
      return null;
    const start = delivery.windowStart!;
    const end = delivery.windowEnd!;
    const [fresh, interests, unanswered, held, reported] = await Promise.all([
      this.responses(this.responseRows.newForReview(start, end, LISTED)),
      this.interests(start, end),
      this.responses(
        this.responseRows.unansweredPublic(
          new Date(end.getTime() - UNANSWERED_AFTER_HOURS * 3_600_000),
          LISTED,
        ),
      ),
      // Moderation: what waits for the author now, whenever it came in.
      this.responses(this.responseRows.heldForReview(end, LISTED)),
      this.responses(this.responseRows.reportedForReview(end, LISTED)),
    ]);
    const lists = [fresh, interests, unanswered, held, reported];
    if (lists.every((rows) => rows.length === 0)) return null;
    const count = (rows: { total: number }[]) => rows[0]?.total ?? 0;
    const unsubscribeUrl = this.links.notificationsOff(
      'review',
      this.tokens.sign('review', author.id, author.email),
    );
    const summary = [
      `${count(fresh)} new ${count(fresh) === 1 ? 'response' : 'responses'}`,
      `${count(interests)} new collaborator ${count(interests) === 1 ? 'offer' : 'offers'}`,
      `${count(unanswered)} waiting for a reply`,
      ...(held.length > 0 ? [`${count(held)} held for review`] : []),
      ...(reported.length > 0
        ? [`${count(reported)} reported ${count(reported) === 1 ? 'response' : 'responses'}`]
        : []),
    ].join(', ');
    const item = (row: ResponseRow) => ({
      text: `${row.writer} on “${row.title}”: ${markdownToText(row.body).slice(0, 160)}`,
      url: this.links.response({ slug: row.slug, canonicalUrl: row.canonical_url }, row.id),
    });
    return {
      subject: `Review digest: ${summary}`,
      headers: this.links.bulkHeaders(unsubscribeUrl, 'review'),
      ...this.templates.notice({
        preview: summary,
        heading: 'What needs your attention',
        paragraphs: [summary + '.'],
        lists: [
          { title: `New responses (${count(fresh)})`, items: fresh.map(item) },
          {
            title: `New collaborator offers (${count(interests)})`,
            items: interests.map((row) => ({
              text: `${row.writer} on “${row.title}”: ${row.building}`,
            })),
          },
          {
            title: `No reply from you for ${UNANSWERED_AFTER_HOURS} hours (${count(unanswered)})`,
            items: unanswered.map(item),
          },
          { title: `Held for your review (${count(held)})`, items: held.map(item) },
          { title: `Reported by readers (${count(reported)})`, items: reported.map(item) },
        ].filter((list) => list.items.length > 0),
        unsubscribeUrl,
        postalAddress: this.links.postalAddress,
      }),
    };
  }

  /** Collaborator offers received in the window, with their writer and essay. */
  private async interests(start: Date, end: Date): Promise<InterestRow[]> {
    const { interests, total } = await this.interestRows.receivedBetween(start, end, LISTED);
    if (interests.length === 0) return [];
    const [writers, essays] = await Promise.all([
      this.users.findByIds([...new Set(interests.map((interest) => interest.readerId))]),
      this.essays.findByIds([...new Set(interests.map((interest) => interest.essayId))]),
    ]);
    const writerById = new Map(writers.map((writer) => [writer.id, writer]));
    const essayById = new Map(essays.map((essay) => [essay.id, essay]));
    return interests.map((interest) => ({
      id: interest.id,
      writer: writerById.get(interest.readerId)!.displayName,
      building: interest.building,
      title: essayById.get(interest.essayId)!.title,
      total,
    }));
  }

  /** Listed responses with their writer and essay, for the digest's lists. */
  private async responses(listing: Promise<ListedForReview>): Promise<ResponseRow[]> {
    const { responses, total } = await listing;
    if (responses.length === 0) return [];
    const [writers, essays] = await Promise.all([
      this.users.findByIds([...new Set(responses.map((response) => response.authorId))]),
      this.essays.findByIds([...new Set(responses.map((response) => response.essayId))]),
    ]);
    const writerById = new Map(writers.map((writer) => [writer.id, writer]));
    const essayById = new Map(essays.map((essay) => [essay.id, essay]));
    return responses.map((response) => {
      const essay = essayById.get(response.essayId)!;
      return {
        id: response.id,
        body: response.bodyMarkdown,
        writer: writerById.get(response.authorId)!.displayName,
        title: essay.title,
        slug: essay.slug,
        canonical_url: essay.canonicalUrl,
        total,
      };
    });
  }
}
