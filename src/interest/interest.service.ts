import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isURL } from 'class-validator';
import { Brackets, DataSource, EntityManager, type SelectQueryBuilder } from 'typeorm';
import { AuditAction } from '../audit/audit-entry.entity.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { Clock } from '../common/clock.js';
import { BadUserInput } from '../common/errors.js';
import {
  fetchPage,
  keysetPage,
  timeOrder,
  type Connection,
  type PageQuery,
} from '../common/pagination.js';
import { RateLimits, type RateRule } from '../common/rate-limits.js';
import { isUuid } from '../common/uuid.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { EventType } from '../events/event.entity.js';
import { EventsService, type AfterCommit } from '../events/events.service.js';
import { EssayStatus } from '../essays/essay.entity.js';
import { EssaysRepository, publishedEssaySql } from '../essays/essays.repository.js';
import { EssayNotFound } from '../essays/essays.errors.js';
import { EssaysService } from '../essays/essays.service.js';
import {
  ExportSections,
  type ExportRow,
  type ExportSection,
} from '../responses/export-sections.js';
import { BansService } from '../users/bans.service.js';
import { UserEntity } from '../users/user.entity.js';
import { USERS_VIEW_SQL } from '../users/users.repository.js';
import { ReviewQueueInterest } from '../responses/review-queue-interest.js';
import { interestExistsSql } from './interest.repository.js';
import { normalizeEmail } from '../common/email-address.js';
import { INTEREST_LIMITS } from './interest.limits.js';
import { InterestEntity, InterestStatus } from './interest.entity.js';
import { InterestNotFound } from './interest.errors.js';

export interface InterestOffer {
  essayId: string;
  message: string;
  areas?: string[] | null;
  building: string;
  link?: string | null;
  availability?: string | null;
  contactEmail: string;
  consentToContact: boolean;
}

export interface InterestFilter {
  essayId?: string | null;
  status?: InterestStatus | null;
  area?: string | null;
  search?: string | null;
}

/** The reader's part of an interest, as stored: what a resend replaces. */
type OfferValues = Pick<
  InterestEntity,
  'message' | 'areas' | 'building' | 'link' | 'availability' | 'contactEmail' | 'consentToContact'
>;

/** Newest first. */
const NEWEST = timeOrder('interest.created_at', 'interest.id', true);

interface InterestExportRow {
  id: string;
  created_at: Date;
  status: string;
  note: string | null;
  areas: string[];
  message: string;
  building: string;
  link: string | null;
  availability: string | null;
  contact_email: string;
  writer: string;
}

/** Collaborator interest: readers offer, the author works the pipeline. */
@Injectable()
export class InterestService implements ExportSection, OnModuleInit {
  private readonly hourly: RateRule;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: RuntimeConfig,
    private readonly essays: EssaysService,
    private readonly essayRows: EssaysRepository,
    private readonly events: EventsService,
    private readonly rateLimits: RateLimits,
    private readonly exportSections: ExportSections,
    private readonly reviewQueueInterest: ReviewQueueInterest,
    private readonly clock: Clock,
    private readonly audit: AuditLogService,
    private readonly bans: BansService,
  ) {
    this.hourly = {
      name: 'interest-hourly',
      points: config.rateLimits.interestPerHour,
      durationSeconds: 3600,
    };
  }

  onModuleInit(): void {
    this.exportSections.register(this);
    this.reviewQueueInterest.supply({ existsSql: interestExistsSql });
  }

  /** An essay's interests as rows of its CSV export, oldest first. */
  async *exportRows(essayId: string): AsyncGenerator<ExportRow> {
    const interests: InterestExportRow[] = await this.dataSource.query(
      `SELECT i.id, i.created_at, i.status, i.note, i.areas, i.message, i.building, i.link, i.availability,
              i.contact_email, u.display_name AS writer
         FROM collaborator_interests i JOIN ${USERS_VIEW_SQL} u ON u.id = i.reader_id
        WHERE i.essay_id = $1 ORDER BY i.created_at, i.id`,
      [essayId],
    );
    for (const row of interests) {
      yield {
        record: 'interest',
        id: row.id,
        created_at: row.created_at.toISOString(),
        writer: row.writer,
        interest_status: row.status,
        note: row.note ?? '',
        areas: row.areas.join('; '),
        body: row.message,
        building: row.building,
        link: row.link ?? '',
        availability: row.availability ?? '',
        contact_email: row.contact_email,
      };
    }
  }

  /**
   * A reader offers to collaborate on a published essay. Sending again
   * replaces their offer (status and note stay); only the first writes an
   * INTEREST_RECEIVED event. Input and essay are checked before the rate
   * limit counts, so refused input costs nothing.
   */
  async express(viewer: UserEntity, offer: InterestOffer): Promise<InterestEntity> {
    const values = validOffer(offer);
    const essay = await this.essays.getVisible(viewer, offer.essayId);
    if (essay.status !== EssayStatus.PUBLISHED) throw new EssayNotFound();
    if (essay.authorId === viewer.id) {
      throw new BadUserInput('You cannot offer to collaborate on your own essay.', 'essayId');
    }
    await this.bans.refuseBanned(viewer); // moderation
    await this.rateLimits.consume(this.hourly, viewer.id);
    let afterCommit: AfterCommit | undefined;
    const interest = await this.dataSource.transaction(async (manager) => {
      await this.lockPublishedEssay(manager, essay.id);
      const now = this.clock.now();
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(InterestEntity)
        .values({
          ...values,
          essayId: essay.id,
          readerId: viewer.id,
          createdAt: now,
          updatedAt: now,
        })
        .orUpdate(
          [
            'message',
            'areas',
            'building',
            'link',
            'availability',
            'contact_email',
            'consent_to_contact',
            'updated_at',
          ],
          ['essay_id', 'reader_id'],
        )
        // xmax is 0 only on a row this statement inserted (not one it updated).
        .returning('id, (xmax = 0) AS inserted')
        .execute();
      const [row] = result.raw as { id: string; inserted: boolean }[];
      if (row!.inserted) {
        afterCommit = await this.events.record(manager, {
          type: EventType.INTEREST_RECEIVED,
          essayId: essay.id,
          subjectId: row!.id,
          actorId: viewer.id,
        });
      }
      return manager.getRepository(InterestEntity).findOneByOrFail({ id: row!.id });
    });
    await afterCommit?.();
    return interest;
  }

  /**
   * The author moves an interest through the pipeline. `note` left out keeps
   * the note; null or blank clears it.
   */
  async updateStatus(
    actorId: string,
    id: string,
    status: InterestStatus,
    note: string | null | undefined,
  ): Promise<InterestEntity> {
    const newNote = note === undefined ? undefined : validNote(note);
    if (!isUuid(id)) throw new InterestNotFound();
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(InterestEntity);
      const interest = await repository
        .createQueryBuilder('interest')
        .setLock('pessimistic_write')
        .where('interest.id = :id', { id })
        .getOne();
      if (!interest) throw new InterestNotFound();
      await this.audit.record(
        manager,
        actorId,
        AuditAction.INTEREST_STATUS_CHANGED,
        { type: 'interest', id },
        { status: interest.status },
        { status },
      );
      interest.status = status;
      if (newNote !== undefined) interest.note = newNote;
      interest.updatedAt = this.clock.now();
      return repository.save(interest);
    });
  }

  /** Every interest, newest first, for the author's queue. */
  list(filter: InterestFilter, query: PageQuery): Promise<Connection<InterestEntity>> {
    const qb = this.query();
    if (filter.essayId) qb.andWhere('interest.essay_id = :essayId', { essayId: filter.essayId });
    if (filter.status) qb.andWhere('interest.status = :status', { status: filter.status });
    const area = filter.area?.trim();
    if (area) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM unnest(interest.areas) AS a WHERE lower(a) = lower(:area))',
        {
          area,
        },
      );
    }
    const search = filter.search?.trim();
    if (search) {
      qb.andWhere(
        new Brackets((where) =>
          where
            .where(`interest.message ILIKE :pattern ESCAPE '\\'`)
            .orWhere(`interest.building ILIKE :pattern ESCAPE '\\'`)
            .orWhere(`interest.availability ILIKE :pattern ESCAPE '\\'`),
        ),
        { pattern: `%${search.replace(/[\\%_]/g, '\\$&')}%` },
      );
    }
    return this.page(qb, query);
  }

  /** A reader's own interests on essays they can still see, newest first. */
  listOwn(viewer: UserEntity, query: PageQuery): Promise<Connection<InterestEntity>> {
    const qb = this.query()
      .andWhere('interest.reader_id = :readerId', { readerId: viewer.id })
      .andWhere(publishedEssaySql('interest.essay_id'));
    return this.page(qb, query);
  }

  /** Interests by (essay, reader) pair, in the order asked; null where there is none. */
  async findByEssayAndReader(
    pairs: readonly { essayId: string; readerId: string }[],
  ): Promise<(InterestEntity | null)[]> {
    const rows = await this.query()
      .andWhere(
        '(interest.essay_id, interest.reader_id) IN (SELECT * FROM unnest(:essayIds::uuid[], :readerIds::uuid[]))',
        { essayIds: pairs.map((p) => p.essayId), readerIds: pairs.map((p) => p.readerId) },
      )
      .getMany();
    const byPair = new Map(rows.map((row) => [`${row.essayId}:${row.readerId}`, row]));
    return pairs.map((p) => byPair.get(`${p.essayId}:${p.readerId}`) ?? null);
  }

  /**
   * Writes offers as given, consented, status NEW, skipping readers who
   * already made one on the essay; returns how many were new. For the demo seed.
   */
  async seed(
    manager: EntityManager,
    essayId: string,
    offers: (Omit<OfferValues, 'consentToContact'> & { readerId: string })[],
  ): Promise<number> {
    if (offers.length === 0) return 0;
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(InterestEntity)
      .values(
        offers.map((offer) => ({
          ...offer,
          essayId,
          consentToContact: true,
          status: InterestStatus.NEW,
        })),
      )
      .orIgnore()
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length;
  }

  /** Offers received in (start, end], newest first, at most `limit`, and how many in all. */
  async receivedBetween(
    start: Date,
    end: Date,
    limit: number,
  ): Promise<{ interests: InterestEntity[]; total: number }> {
    const { entities, raw } = await this.query()
      .addSelect('count(*) OVER ()::int', 'total')
      .where('interest.created_at > :start AND interest.created_at <= :end', { start, end })
      .orderBy('interest.created_at', 'DESC')
      .limit(limit)
      .getRawAndEntities<{ total: number }>();
    return { interests: entities, total: raw[0]?.total ?? 0 };
  }

  private query(): SelectQueryBuilder<InterestEntity> {
    return this.dataSource.getRepository(InterestEntity).createQueryBuilder('interest');
  }

  private page(
    qb: SelectQueryBuilder<InterestEntity>,
    query: PageQuery,
  ): Promise<Connection<InterestEntity>> {
    return fetchPage(qb, keysetPage(NEWEST, query));
  }

  /** Holds the essay published until the offer is written. */
  private async lockPublishedEssay(manager: EntityManager, essayId: string): Promise<void> {
    const essay = await this.essayRows.lockShared(manager, essayId);
    if (essay?.status !== EssayStatus.PUBLISHED) throw new EssayNotFound();
  }
}

/**
 * The offer's semantic rules; its shape and lengths are ExpressInterestInput's
 * (text arrives trimmed and within INTEREST_LIMITS).
 */
function validOffer(offer: InterestOffer): OfferValues {
  if (offer.consentToContact !== true) {
    throw new BadUserInput(
      'consentToContact must be true: the author can only reach you with your consent.',
      'consentToContact',
    );
  }
  return {
    message: offer.message.trim(),
    building: offer.building.trim(),
    availability: offer.availability?.trim() || null,
    link: validLink(offer.link),
    areas: validAreas(offer.areas ?? []),
    contactEmail: normalizeEmail(offer.contactEmail, 'contactEmail'),
    consentToContact: true,
  };
}

function validLink(raw: string | null | undefined): string | null {
  const link = raw?.trim() || null;
  if (link === null) return null;
  if (!isURL(link, { protocols: ['http', 'https'], require_protocol: true })) {
    throw new BadUserInput('link must be an http(s) URL, like https://example.org.', 'link');
  }
  return link;
}

/**
 * Inner whitespace collapsed, blanks and duplicates (ignoring case) dropped,
 * first spelling kept; at most INTEREST_LIMITS.areas distinct ones.
 */
function validAreas(raw: string[]): string[] {
  const areas = new Map<string, string>();
  for (const value of raw) {
    const area = value.trim().replace(/\s+/g, ' ');
    if (area.length === 0) continue;
    if (!areas.has(area.toLowerCase())) areas.set(area.toLowerCase(), area);
  }
  if (areas.size > INTEREST_LIMITS.areas) {
    throw new BadUserInput(`Name at most ${INTEREST_LIMITS.areas} areas.`, 'areas');
  }
  return [...areas.values()];
}

/** A blank note clears it. */
function validNote(raw: string | null): string | null {
  return raw?.trim() || null;
}
