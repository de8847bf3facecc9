import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditAction } from '../audit/audit-entry.entity.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { Clock } from '../common/clock.js';
import { BadUserInput, NotFound } from '../common/errors.js';
import { pageSize, type Connection } from '../common/pagination.js';
import { EssaysRepository } from '../essays/essays.repository.js';
import { EssayNotFound } from '../essays/essays.errors.js';
import { ReviewOrder } from './dto/review-queue.args.js';
import { ExportSections, type ExportRow } from './export-sections.js';
import { ResponseEntity, ReviewStatus } from './response.entity.js';
import { ResponseNotFound } from './responses.errors.js';
import { ResponsesPubSub } from './responses.pubsub.js';
import {
  ResponsesRepository,
  type ReviewQueueCounts,
  type ReviewValues,
} from './responses.repository.js';

export interface ReviewFilter {
  essayId?: string | null;
  promptId?: string | null;
  status?: ReviewStatus | null;
  label?: string | null;
  search?: string | null;
  hasInterest?: boolean | null;
  writerId?: string | null;
  needsReply?: boolean | null;
}

export interface ReviewQueueQuery {
  first?: number;
  after?: string | null;
  order?: ReviewOrder | null;
  filter?: ReviewFilter | null;
}

export interface ReviewChanges {
  status?: ReviewStatus | null;
  note?: string | null;
  labels?: string[] | null;
}

export const MAX_BULK_REVIEW = 100;
const EXPORT_BATCH = 500;

/** The author's triage of what readers wrote. Callers check that the viewer is the author. */
@Injectable()
export class ReviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ResponsesRepository,
    private readonly essays: EssaysRepository,
    private readonly sections: ExportSections,
    private readonly clock: Clock,
    private readonly audit: AuditLogService,
    private readonly pubsub: ResponsesPubSub,
  ) {}

  async queue(query: ReviewQueueQuery): Promise<Connection<ResponseEntity>> {
    pageSize(query.first); // a bad page size is the first thing said
    const filter = query.filter ?? {};
    const search = filter.search?.trim() || null;
    const order = query.order ?? (search ? ReviewOrder.RELEVANCE : ReviewOrder.NEWEST);
    if (order === ReviewOrder.RELEVANCE && !search) {
      throw new BadUserInput('RELEVANCE order needs filter.search.', 'order');
    }
    const label = filter.label ? normalizeLabel(filter.label) : null;
    return this.repository.reviewQueue(
      { ...filter, label },
      search,
      order,
      query,
      this.clock.now(),
    );
  }

  /** How many responses each saved view holds (one statement). */
  counts(): Promise<ReviewQueueCounts> {
    return this.repository.reviewQueueCounts(this.clock.now());
  }

  async review(actorId: string, id: string, changes: ReviewChanges): Promise<ResponseEntity> {
    const values = this.reviewValues(changes);
    const reviewed = await this.dataSource.transaction(async (manager) => {
      const [before] = await this.repository.findByIds([id], manager);
      const response = await this.repository.setReview(manager, id, values);
      if (!response || !before) throw new ResponseNotFound();
      await this.audit.record(
        manager,
        actorId,
        AuditAction.RESPONSE_REVIEWED,
        { type: 'response', id },
        reviewBrief(before),
        reviewBrief(response),
      );
      return response;
    });
    await this.pubsub.announceQueueChange();
    return reviewed;
  }

  /** Sets one status on many responses: all of them, or none when one is unknown. */
  async reviewMany(
    actorId: string,
    ids: string[],
    status: ReviewStatus,
  ): Promise<ResponseEntity[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) throw new BadUserInput('Give at least one response id.', 'ids');
    if (unique.length > MAX_BULK_REVIEW) {
      throw new BadUserInput(`At most ${MAX_BULK_REVIEW} responses at a time.`, 'ids');
    }
    const reviewed = await this.dataSource.transaction(async (manager) => {
      const before = await this.repository.findByIds(unique, manager);
      await this.audit.recordEach(
        manager,
        actorId,
        AuditAction.RESPONSE_REVIEWED,
        before.map((row) => ({
          subject: { type: 'response', id: row.id },
          before: reviewBrief(row),
          after: { ...reviewBrief(row), status },
        })),
      );
      const affected = await this.repository.setReviewMany(manager, unique, {
        reviewStatus: status,
        reviewedAt: this.clock.now(),
      });
      if (affected !== unique.length) {
        throw new NotFound(`${unique.length - affected} of those responses`);
      }
      const rows = await this.repository.findByIds(unique, manager);
      return unique.map((id) => rows.find((row) => row.id === id)!);
    });
    await this.pubsub.announceQueueChange();
    return reviewed;
  }

  /**
   * Every response of an essay, then what other features add (collaborator
   * interest), as export rows, fetched in batches so a large essay never sits
   * in memory at once.
   */
  async *exportRows(essayId: string): AsyncGenerator<ExportRow> {
    const [essay] = await this.essays.findByIds([essayId]);
    if (!essay) throw new EssayNotFound();
    let after: { createdAt: Date; id: string } | null = null;
    for (;;) {
      const batch = await this.repository.exportBatch(essayId, after, EXPORT_BATCH);
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
    yield* this.sections.rows(essayId);
  }

  private reviewValues(changes: ReviewChanges): ReviewValues {
    const values: ReviewValues = { reviewedAt: this.clock.now() };
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
