import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isURL } from 'class-validator';
import { Brackets, DataSource, EntityManager, type SelectQueryBuilder } from 'typeorm';
import { Clock } from '../common/clock.js';
import { BadUserInput } from '../common/errors.js';
import {
  decodeCursor,
  isTimestampKey,
  pageSize,
  toConnection,
  type Connection,
} from '../common/pagination.js';
import { RateLimits, type RateRule } from '../common/rate-limits.js';
import { isUuid } from '../common/uuid.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { EventType } from '../events/event.entity.js';
import { EventsService, type AfterCommit } from '../events/events.service.js';
import { EssayEntity, EssayStatus } from '../essays/essay.entity.js';
import { EssayNotFound } from '../essays/essays.errors.js';
import { EssaysService } from '../essays/essays.service.js';
import { BansService } from '../users/bans.service.js';
import { UserEntity } from '../users/user.entity.js';
import { normalizeEmail } from '../common/email-address.js';
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

export interface PageQuery {
  first?: number;
  after?: string | null;
}

/** The reader's part of an interest, as stored: what a resend replaces. */
type OfferValues = Pick<
  InterestEntity,
  'message' | 'areas' | 'building' | 'link' | 'availability' | 'contactEmail' | 'consentToContact'
>;

export const INTEREST_LIMITS = {
  message: 5_000,
  building: 2_000,
  availability: 500,
  link: 2_000,
  note: 5_000,
  areas: 10,
  area: 40,
} as const;

const SORT_KEY = `to_char(interest.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

/** Collaborator interest: readers offer, the author works the pipeline. */
@Injectable()
export class InterestService {
  private readonly hourly: RateRule;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: RuntimeConfig,
    private readonly essays: EssaysService,
    private readonly events: EventsService,
    private readonly rateLimits: RateLimits,
    private readonly clock: Clock,
    private readonly bans: BansService,
  ) {
    this.hourly = {
      name: 'interest-hourly',
      points: config.rateLimits.interestPerHour,
      durationSeconds: 3600,
    };
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
      .andWhere(
        `EXISTS (SELECT 1 FROM essays e WHERE e.id = interest.essay_id AND e.status = :published)`,
        { published: EssayStatus.PUBLISHED },
      );
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

  private query(): SelectQueryBuilder<InterestEntity> {
    return this.dataSource.getRepository(InterestEntity).createQueryBuilder('interest');
  }

  private async page(
    qb: SelectQueryBuilder<InterestEntity>,
    query: PageQuery,
  ): Promise<Connection<InterestEntity>> {
    const first = pageSize(query.first);
    const after = decodeCursor(query.after, isTimestampKey);
    qb.addSelect(SORT_KEY, 'sort_key')
      .orderBy('interest.created_at', 'DESC')
      .addOrderBy('interest.id', 'DESC')
      .limit(first + 1);
    if (after) {
      qb.andWhere(
        `(interest.created_at, interest.id) < (:afterKey::timestamp AT TIME ZONE 'UTC', :afterId::uuid)`,
        { afterKey: after.key, afterId: after.id },
      );
    }
    const { entities, raw } = await qb.getRawAndEntities<{ sort_key: string }>();
    const keys = new Map(entities.map((row, i) => [row.id, raw[i]!.sort_key]));
    return toConnection(
      entities,
      first,
      Boolean(after),
      (row) => ({ key: keys.get(row.id)!, id: row.id }),
      (row) => row,
    );
  }

  /** Holds the essay published until the offer is written. */
  private async lockPublishedEssay(manager: EntityManager, essayId: string): Promise<void> {
    const essay = await manager
      .getRepository(EssayEntity)
      .createQueryBuilder('essay')
      .setLock('pessimistic_read')
      .where('essay.id = :essayId', { essayId })
      .getOne();
    if (essay?.status !== EssayStatus.PUBLISHED) throw new EssayNotFound();
  }
}

function validOffer(offer: InterestOffer): OfferValues {
  if (offer.consentToContact !== true) {
    throw new BadUserInput(
      'consentToContact must be true: the author can only reach you with your consent.',
      'consentToContact',
    );
  }
  return {
    message: requiredText(offer.message, 'message', INTEREST_LIMITS.message),
    building: requiredText(offer.building, 'building', INTEREST_LIMITS.building),
    availability: optionalText(offer.availability, 'availability', INTEREST_LIMITS.availability),
    link: validLink(offer.link),
    areas: validAreas(offer.areas ?? []),
    contactEmail: normalizeEmail(offer.contactEmail, 'contactEmail'),
    consentToContact: true,
  };
}

function requiredText(raw: string, field: string, max: number): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text.length === 0) throw new BadUserInput(`${field} is required.`, field);
  if (text.length > max)
    throw new BadUserInput(`${field} is longer than ${max} characters.`, field);
  return text;
}

function optionalText(raw: string | null | undefined, field: string, max: number): string | null {
  const text = raw?.trim() ?? '';
  if (text.length > max)
    throw new BadUserInput(`${field} is longer than ${max} characters.`, field);
  return text || null;
}

function validLink(raw: string | null | undefined): string | null {
  const link = optionalText(raw, 'link', INTEREST_LIMITS.link);
  if (link === null) return null;
  if (!isURL(link, { protocols: ['http', 'https'], require_protocol: true })) {
    throw new BadUserInput('link must be an http(s) URL, like https://example.org.', 'link');
  }
  return link;
}

/** Trimmed, inner whitespace collapsed, duplicates (ignoring case) dropped, first spelling kept. */
function validAreas(raw: string[]): string[] {
  const areas = new Map<string, string>();
  for (const value of raw) {
    const area = value.trim().replace(/\s+/g, ' ');
    if (area.length === 0) continue;
    if (area.length > INTEREST_LIMITS.area) {
      throw new BadUserInput(`Each area is at most ${INTEREST_LIMITS.area} characters.`, 'areas');
    }
    if (!areas.has(area.toLowerCase())) areas.set(area.toLowerCase(), area);
  }
  if (areas.size > INTEREST_LIMITS.areas) {
    throw new BadUserInput(`Name at most ${INTEREST_LIMITS.areas} areas.`, 'areas');
  }
  return [...areas.values()];
}

function validNote(raw: string | null): string | null {
  return optionalText(raw, 'note', INTEREST_LIMITS.note);
}
