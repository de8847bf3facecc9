import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { markdownToText } from '../common/markdown.js';
import { DeliveryEntity, DeliveryKind } from '../mail/delivery.entity.js';
import { MailComposers, type MailComposer } from '../mail/mail.composers.js';
import type { ComposedMail } from '../mail/mail.layout.js';
import { publishedResponseSql } from '../responses/moderation/moderation-state.js';
import { UserEntity } from '../users/user.entity.js';
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
 * public responses left without an author reply for 48 hours, and (moderation)
 * responses held for review and open reports, as they stand. Nothing to
 * report → no email.
 */
@Injectable()
export class ReviewDigestMail implements MailComposer, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
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
    const [fresh, interests, unanswered, held, reported] = await Promise.all([
      this.responses(`r.created_at > $1 AND r.created_at <= $2 AND ${publishedResponseSql('r')}`, [
        start,
        end,
      ]),
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
        `r.parent_id IS NULL AND r.visibility = 'PUBLIC' AND r.created_at <= $1
         AND r.review_status NOT IN ('ARCHIVED', 'SPAM') AND ${publishedResponseSql('r')}
         AND NOT EXISTS (SELECT 1 FROM responses a JOIN users au ON au.id = a.author_id
                          WHERE a.root_id = r.id AND a.id <> r.id AND au.role = 'AUTHOR')`,
        [new Date(end.getTime() - UNANSWERED_AFTER_HOURS * 3_600_000)],
      ),
      // Moderation: what waits for the author now, whenever it came in.
      this.responses(`r.moderation_state = 'HELD' AND r.created_at <= $1`, [end]),
      this.responses(
        `EXISTS (SELECT 1 FROM response_reports rr WHERE rr.response_id = r.id AND rr.status = 'OPEN'
                  AND rr.created_at <= $1)`,
        [end],
      ),
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

  private responses(condition: string, params: unknown[]): Promise<ResponseRow[]> {
    return this.dataSource.query(
      `SELECT r.id, r.body_markdown AS body, u.display_name AS writer, es.title, es.slug, es.canonical_url,
              count(*) OVER ()::int AS total
         FROM responses r JOIN users u ON u.id = r.author_id JOIN essays es ON es.id = r.essay_id
        WHERE ${condition} AND r.deleted_at IS NULL AND r.review_status <> 'SPAM' AND u.role <> 'AUTHOR'
        ORDER BY r.created_at DESC LIMIT ${LISTED}`,
      params,
    );
  }
}
