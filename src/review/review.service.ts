import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import { AuditAction } from '../audit/audit-entry.entity.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { Clock } from '../common/clock.js';
import { BadUserInput, NotFound } from '../common/errors.js';
import {
  decodeCursor,
  isRankKey,
  isTimestampKey,
  pageSize,
  toConnection,
  type Connection,
} from '../common/pagination.js';
import { EssayEntity } from '../essays/essay.entity.js';
import { EssayNotFound } from '../essays/essays.errors.js';
import { ResponseEntity, ReviewStatus } from '../responses/response.entity.js';
import { ResponseNotFound } from '../responses/responses.errors.js';
import { UserRole } from '../users/user.entity.js';
import { ReviewOrder } from './dto/review-queue.args.js';

export interface ReviewQueueQuery {
  first?: number;
  after?: string | null;
  order?: ReviewOrder | null;
  filter?: {
    essayId?: string | null;
    promptId?: string | null;
    status?: ReviewStatus | null;
    label?: string | null;
    search?: string | null;
    hasInterest?: boolean | null;
  } | null;
}

export interface ReviewChanges {
  status?: ReviewStatus | null;
  note?: string | null;
  labels?: string[] | null;
}

export const MAX_BULK_REVIEW = 100;
const EXPORT_BATCH = 500;

/** The columns of the CSV export, in order; a row fills the ones that apply to it. */
export const EXPORT_COLUMNS = [
  'record',
  'id',
  'created_at',
  'prompt',
  'parent_id',
  'writer',
  'visibility',
  'review_status',
  'labels',
  'note',
  'body',
  'edited_at',
  'deleted_at',
  'interest_status',
  'areas',
  'building',
  'link',
  'availability',
  'contact_email',
] as const;

export type ExportRow = Partial<Record<(typeof EXPORT_COLUMNS)[number], string>>;

interface ResponseExportRow {
  id: string;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  parent_id: string | null;
  visibility: string;
  review_status: string;
  review_note: string | null;
  labels: string[];
  body_markdown: string;
  prompt: string;
  writer: string;
}

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
const TS_CONFIG = 'english';
const SEARCH_VECTOR = `to_tsvector('${TS_CONFIG}', response.body_markdown)`;
const TIME_KEY = `to_char(response.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

/** The author's triage of what readers wrote. Callers check that the viewer is the author. */
@Injectable()
export class ReviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditLogService,
  ) {}

  async queue(query: ReviewQueueQuery): Promise<Connection<ResponseEntity>> {
    const first = pageSize(query.first);
    const filter = query.filter ?? {};
    const search = filter.search?.trim() || null;
    const order = query.order ?? (search ? ReviewOrder.RELEVANCE : ReviewOrder.NEWEST);
    if (order === ReviewOrder.RELEVANCE && !search) {
      throw new BadUserInput('RELEVANCE order needs filter.search.', 'order');
    }
    const qb = this.dataSource
      .getRepository(ResponseEntity)
      .createQueryBuilder('response')
      .where('response.deleted_at IS NULL')
      // The author's own replies are not for triage.
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM users u WHERE u.id = response.author_id AND u.role = :authorRole)`,
        {
          authorRole: UserRole.AUTHOR,
        },
      );
    this.applyFilter(qb, filter, search);

    if (order === ReviewOrder.RELEVANCE) {
      const rank = `ts_rank(${SEARCH_VECTOR}, websearch_to_tsquery('${TS_CONFIG}', :search))`;
      const after = decodeCursor(query.after, isRankKey);
      qb.addSelect(`${rank}::text`, 'sort_key')
        .orderBy(rank, 'DESC')
        .addOrderBy('response.id', 'DESC');
      if (after)
        qb.andWhere(`(${rank}, response.id) < (:afterKey::real, :afterId::uuid)`, {
          afterKey: after.key,
          afterId: after.id,
        });
      return this.fetch(qb, first, Boolean(after));
    }
    const after = decodeCursor(query.after, isTimestampKey);
    const direction = order === ReviewOrder.OLDEST ? 'ASC' : 'DESC';
    qb.addSelect(TIME_KEY, 'sort_key')
      .orderBy('response.created_at', direction)
      .addOrderBy('response.id', direction);
    if (after) {
      qb.andWhere(
        `(response.created_at, response.id) ${direction === 'DESC' ? '<' : '>'} (:afterKey::timestamp AT TIME ZONE 'UTC', :afterId::uuid)`,
        { afterKey: after.key, afterId: after.id },
      );
    }
    return this.fetch(qb, first, Boolean(after));
  }

  async review(id: string, changes: ReviewChanges): Promise<ResponseEntity> {
    const values = this.reviewValues(changes);
    return this.dataSource.transaction(async (manager) => {
      const before = await manager.getRepository(ResponseEntity).findOneBy({ id });
      const result = await manager
        .createQueryBuilder()
        .update(ResponseEntity)
        .set(values)
        .where('id = :id', { id })
        .returning('id')
        .execute();
      if (!result.affected) throw new ResponseNotFound();
      const after = await manager.getRepository(ResponseEntity).findOneByOrFail({ id });
      await this.audit.record(
        manager,
        AuditAction.RESPONSE_REVIEWED,
        { type: 'response', id },
        reviewBrief(before!),
        reviewBrief(after),
      );
      return after;
    });
  }

  /** Sets one status on many responses: all of them, or none when one is unknown. */
  async reviewMany(ids: string[], status: ReviewStatus): Promise<ResponseEntity[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw new BadUserInput('Give at least one response id.', 'ids');
    if (unique.length > MAX_BULK_REVIEW) {
      throw new BadUserInput(`At most ${MAX_BULK_REVIEW} responses at a time.`, 'ids');
    }
    return this.dataSource.transaction(async (manager) => {
      const before = await manager.getRepository(ResponseEntity).findBy({ id: In(unique) });
      const result = await manager
        .createQueryBuilder()
        .update(ResponseEntity)
        .set({ reviewStatus: status, reviewedAt: this.clock.now() })
        .where('id IN (:...ids)', { ids: unique })
        .execute();
      if (result.affected !== unique.length) {
        throw new NotFound(`${unique.length - (result.affected ?? 0)} of those responses`);
      }
      const rows = await manager.getRepository(ResponseEntity).findBy({ id: In(unique) });
      await this.audit.recordEach(
        manager,
        AuditAction.RESPONSE_REVIEWED,
        before.map((row) => ({
          subject: { type: 'response', id: row.id },
          before: reviewBrief(row),
          after: { ...reviewBrief(row), status },
        })),
      );
      return unique.map((id) => rows.find((row) => row.id === id)!);
    });
  }

  /**
   * Every response and collaborator interest of an essay, as export rows,
   * fetched in batches so a large essay never sits in memory at once.
   */
  async *exportRows(essayId: string): AsyncGenerator<ExportRow> {
    const essay = await this.dataSource.getRepository(EssayEntity).findOneBy({ id: essayId });
    if (!essay) throw new EssayNotFound();
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const batch: ResponseExportRow[] = await this.dataSource.query(
        `SELECT r.id, r.created_at, r.edited_at, r.deleted_at, r.parent_id, r.visibility, r.review_status,
                r.review_note, r.labels, r.body_markdown, p.text AS prompt, u.display_name AS writer
           FROM responses r
           JOIN prompts p ON p.id = r.prompt_id
           JOIN users u ON u.id = r.author_id
          WHERE r.essay_id = $1 AND ($2::timestamptz IS NULL OR (r.created_at, r.id) > ($2, $3::uuid))
          ORDER BY r.created_at, r.id
          LIMIT ${EXPORT_BATCH}`,
        [essayId, after?.createdAt ?? null, after?.id ?? null],
      );
      for (const row of batch) {
        yield {
          record: row.parent_id ? 'reply' : 'response',
          id: row.id,
          created_at: row.created_at.toISOString(),
          prompt: row.prompt,
          parent_id: row.parent_id ?? '',
          writer: row.writer,
          visibility: row.visibility,
          review_status: row.review_status,
          labels: row.labels.join('; '),
          note: row.review_note ?? '',
          body: row.deleted_at ? '' : row.body_markdown,
          edited_at: row.edited_at?.toISOString() ?? '',
          deleted_at: row.deleted_at?.toISOString() ?? '',
        };
      }
      if (batch.length < EXPORT_BATCH) break;
      const last = batch.at(-1)!;
      after = { createdAt: last.created_at, id: last.id };
    }
    const interests: InterestExportRow[] = await this.dataSource.query(
      `SELECT i.id, i.created_at, i.status, i.note, i.areas, i.message, i.building, i.link, i.availability,
              i.contact_email, u.display_name AS writer
         FROM collaborator_interests i JOIN users u ON u.id = i.reader_id
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

  private applyFilter(
    qb: SelectQueryBuilder<ResponseEntity>,
    filter: NonNullable<ReviewQueueQuery['filter']>,
    search: string | null,
  ): void {
    if (filter.essayId) qb.andWhere('response.essay_id = :essayId', { essayId: filter.essayId });
    if (filter.promptId)
      qb.andWhere('response.prompt_id = :promptId', { promptId: filter.promptId });
    if (filter.status) {
      qb.andWhere('response.review_status = :status', { status: filter.status });
    } else {
      qb.andWhere('response.review_status NOT IN (:...hidden)', {
        hidden: [ReviewStatus.ARCHIVED, ReviewStatus.SPAM],
      });
    }
    if (filter.label)
      qb.andWhere(':label = ANY(response.labels)', { label: normalizeLabel(filter.label) });
    if (search)
      qb.andWhere(`${SEARCH_VECTOR} @@ websearch_to_tsquery('${TS_CONFIG}', :search)`, { search });
    if (filter.hasInterest !== undefined && filter.hasInterest !== null) {
      qb.andWhere(
        `${filter.hasInterest ? '' : 'NOT '}EXISTS (SELECT 1 FROM collaborator_interests ci
          WHERE ci.essay_id = response.essay_id AND ci.reader_id = response.author_id)`,
      );
    }
  }

  private async fetch(
    qb: SelectQueryBuilder<ResponseEntity>,
    first: number,
    hadCursor: boolean,
  ): Promise<Connection<ResponseEntity>> {
    const { entities, raw } = await qb.limit(first + 1).getRawAndEntities<{ sort_key: string }>();
    const keys = new Map(entities.map((row, index) => [row.id, raw[index]!.sort_key]));
    return toConnection(
      entities,
      first,
      hadCursor,
      (row) => ({ key: keys.get(row.id)!, id: row.id }),
      (row) => row,
    );
  }

  private reviewValues(
    changes: ReviewChanges,
  ): Partial<Pick<ResponseEntity, 'reviewStatus' | 'reviewNote' | 'labels' | 'reviewedAt'>> {
    const values: Partial<
      Pick<ResponseEntity, 'reviewStatus' | 'reviewNote' | 'labels' | 'reviewedAt'>
    > = {
      reviewedAt: this.clock.now(),
    };
    if (changes.status) values.reviewStatus = changes.status;
    if (changes.note !== undefined && changes.note !== null)
      values.reviewNote = changes.note.trim() || null;
    if (changes.labels !== undefined && changes.labels !== null) {
      values.labels = [
        ...new Set(changes.labels.map(normalizeLabel).filter((label) => label.length > 0)),
      ];
    }
    return values;
  }
}

/** Labels are compared trimmed and lower-cased: "Follow up" and "follow up " are one label. */
export function normalizeLabel(label: string): string {
  return label.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** A response's review fields, in brief, for the audit log (the note's text stays out). */
function reviewBrief(response: ResponseEntity) {
  return {
    status: response.reviewStatus,
    labels: response.labels,
    hasNote: Boolean(response.reviewNote),
  };
}
