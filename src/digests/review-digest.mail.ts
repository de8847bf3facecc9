import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { markdownToText } from '../common/markdown.js';
import { DeliveryEntity, DeliveryKind } from '../mail/delivery.entity.js';
import { EssaysRepository } from '../essays/essays.repository.js';
import { MailComposers, type MailComposer } from '../mail/mail.composers.js';
import type { ComposedMail } from '../mail/mail.layout.js';
import { ResponsesRepository, type ListedForReview } from '../responses/responses.repository.js';
import { UserEntity } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { LinkTokens } from './link-tokens.js';
import { MailLinks } from './mail-links.js';
import { MailTemplates } from './templates/mail-templates.js';

const LISTED = 10;
const UNANSWERED_AFTER_HOURS = 48;

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
 * and public responses left without an author reply for 48 hours. Nothing to
 * report → no email.
 */
@Injectable()
export class ReviewDigestMail implements MailComposer, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly responseRows: ResponsesRepository,
    private readonly essays: EssaysRepository,
    private readonly users: UsersService,
    private readonly composers: MailComposers,
    private readonly templates: MailTemplates,
    private readonly links: MailLinks,
    private readonly tokens: LinkTokens,
  ) {}

  onModuleInit(): void {
    this.composers.register(DeliveryKind.AUTHOR_DIGEST, this);
  }

  async compose(delivery: DeliveryEntity): Promise<ComposedMail | null> {
    const author = delivery.userId
      ? await this.dataSource.getRepository(UserEntity).findOneBy({ id: delivery.userId })
      : null;
    if (!author || !author.reviewDigestEnabled) return null;
    const start = delivery.windowStart!;
    const end = delivery.windowEnd!;
    const [fresh, interests, unanswered] = await Promise.all([
      this.responses(this.responseRows.newForReview(start, end, LISTED)),
      this.dataSource.query(
        `SELECT i.id, u.display_name AS writer, i.building, es.title, es.slug, es.canonical_url,
                count(*) OVER ()::int AS total
           FROM collaborator_interests i JOIN users u ON u.id = i.reader_id JOIN essays es ON es.id = i.essay_id
          WHERE i.created_at > $1 AND i.created_at <= $2
          ORDER BY i.created_at DESC LIMIT ${LISTED}`,
        [start, end],
      ) as Promise<
        {
          id: string;
          writer: string;
          building: string;
          title: string;
          slug: string;
          canonical_url: string | null;
          total: number;
        }[]
      >,
      this.responses(
        this.responseRows.unansweredPublic(
          new Date(end.getTime() - UNANSWERED_AFTER_HOURS * 3_600_000),
          LISTED,
        ),
      ),
    ]);
    if (fresh.length === 0 && interests.length === 0 && unanswered.length === 0) return null;
    const count = (rows: { total: number }[]) => rows[0]?.total ?? 0;
    const unsubscribeUrl = this.links.notificationsOff(
      'review',
      this.tokens.sign('review', author.id, author.email),
    );
    const summary = [
      `${count(fresh)} new ${count(fresh) === 1 ? 'response' : 'responses'}`,
      `${count(interests)} new collaborator ${count(interests) === 1 ? 'offer' : 'offers'}`,
      `${count(unanswered)} waiting for a reply`,
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
        ].filter((list) => list.items.length > 0),
        unsubscribeUrl,
        postalAddress: this.links.postalAddress,
      }),
    };
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
