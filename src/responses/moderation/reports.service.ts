import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditAction } from '../../audit/audit-entry.entity.js';
import { AuditLogService } from '../../audit/audit-log.service.js';
import { Clock } from '../../common/clock.js';
import { BadUserInput } from '../../common/errors.js';
import {
  decodeCursor,
  isTimestampKey,
  pageSize,
  toConnection,
  type Connection,
} from '../../common/pagination.js';
import { RateLimits, type RateRule } from '../../common/rate-limits.js';
import { isUuid } from '../../common/uuid.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { RuntimeConfig } from '../../config/runtime.js';
import { entityRowMapper, positional, type EntityRowMapper } from '../../database/entity-rows.js';
import { isUniqueViolation } from '../../database/unique-violation.js';
import { EventType } from '../../events/event.entity.js';
import { EventsService } from '../../events/events.service.js';
import { BansService } from '../../users/bans.service.js';
import { UserEntity, UserRole } from '../../users/user.entity.js';
import { ResponseEntity } from '../response.entity.js';
import { ResponsesPubSub } from '../responses.pubsub.js';
import { ResponsesRepository } from '../responses.repository.js';
import { ResponsesService } from '../responses.service.js';
import { HeldReason, ModerationState } from './moderation-state.js';
import { AlreadyReported, ReportNotFound, ReportResolved } from './moderation.errors.js';
import { ModerationService } from './moderation.service.js';
import { ReportEntity, ReportReason, ReportStatus } from './report.entity.js';

export const MAX_REPORT_NOTE_LENGTH = 1000;

export enum ReportAction {
  DISMISS = 'DISMISS',
  HIDE = 'HIDE',
}

const SORT_KEY = `to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;

/** Readers report responses; the author sees the reports and resolves them. */
@Injectable()
export class ReportsService {
  private readonly hourly: RateRule;
  private readonly toReport: EntityRowMapper<ReportEntity>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly responses: ResponsesService,
    private readonly responseRows: ResponsesRepository,
    private readonly moderation: ModerationService,
    private readonly bans: BansService,
    private readonly events: EventsService,
    private readonly rateLimits: RateLimits,
    private readonly clock: Clock,
    private readonly audit: AuditLogService,
    private readonly pubsub: ResponsesPubSub,
  ) {
    this.hourly = {
      name: 'report-hourly',
      points: config.rateLimits.reportsPerHour,
      durationSeconds: 3600,
    };
    this.toReport = entityRowMapper(dataSource, ReportEntity);
  }

  /**
   * A reader reports a response they can see, once. Enough reports from
   * distinct readers hold it for the author's review.
   */
  async report(
    viewer: UserEntity,
    input: { id: string; reason: ReportReason; note?: string | null },
  ): Promise<void> {
    const note = validNote(input.note);
    const response = await this.responses.getVisible(viewer, input.id);
    await this.bans.refuseBanned(viewer);
    if (viewer.role === UserRole.AUTHOR) {
      throw new BadUserInput(
        'The author hides responses directly rather than reporting them.',
        'id',
      );
    }
    if (response.authorId === viewer.id) {
      throw new BadUserInput('You cannot report your own response.', 'id');
    }
    if (response.deletedAt) throw new BadUserInput('This response was deleted.', 'id');
    const already = await this.dataSource
      .getRepository(ReportEntity)
      .existsBy({ responseId: response.id, reporterId: viewer.id });
    if (already) throw new AlreadyReported();
    await this.rateLimits.consume(this.hourly, viewer.id);
    let afterCommit = async () => {};
    try {
      await this.dataSource.transaction(async (manager) => {
        const { identifiers } = await manager.getRepository(ReportEntity).insert({
          responseId: response.id,
          reporterId: viewer.id,
          reason: input.reason,
          note,
          createdAt: this.clock.now(),
        });
        afterCommit = await this.events.record(manager, {
          type: EventType.REPORT_OPENED,
          essayId: response.essayId,
          subjectId: (identifiers[0] as { id: string }).id,
          // Readers never learn who reported: not even the outbox names them.
          actorId: null,
        });
        await this.holdWhenReportedEnough(manager, response.id);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'response_reports_reader_key')) throw new AlreadyReported();
      throw error;
    }
    await afterCommit();
    await this.pubsub.announceQueueChange();
  }

  /** Reports for the author, newest first, optionally by status. */
  async list(query: {
    first?: number;
    after?: string | null;
    status?: ReportStatus | null;
  }): Promise<Connection<ReportEntity>> {
    const first = pageSize(query.first);
    const after = decodeCursor(query.after, isTimestampKey);
    const params: Record<string, unknown> = { limit: first + 1 };
    const conditions = ['TRUE'];
    if (query.status) {
      conditions.push('r.status = :status');
      params.status = query.status;
    }
    if (after) {
      conditions.push(
        `(r.created_at, r.id) < (CAST(:afterKey AS timestamp) AT TIME ZONE 'UTC', CAST(:afterId AS uuid))`,
      );
      Object.assign(params, { afterKey: after.key, afterId: after.id });
    }
    const rows = await this.dataSource.query<(Record<string, unknown> & { sort_key: string })[]>(
      ...positional(
        this.dataSource,
        `SELECT r.*, ${SORT_KEY} AS sort_key FROM response_reports r
          WHERE ${conditions.join(' AND ')}
          ORDER BY r.created_at DESC, r.id DESC LIMIT :limit`,
        params,
      ),
    );
    return toConnection(
      rows,
      first,
      Boolean(after),
      (row) => ({ key: row.sort_key, id: String(row.id) }),
      (row) => this.toReport(row),
    );
  }

  /** Open reports per response (for the author's `reportCount`). */
  async openCounts(responseIds: readonly string[]): Promise<number[]> {
    const rows = await this.dataSource.query<{ response_id: string; count: number }[]>(
      `SELECT response_id, COUNT(*)::int AS count FROM response_reports
        WHERE response_id = ANY($1::uuid[]) AND status = 'OPEN' GROUP BY response_id`,
      [[...responseIds]],
    );
    const counts = new Map(rows.map((row) => [row.response_id, row.count]));
    return responseIds.map((id) => counts.get(id) ?? 0);
  }

  findResponses(ids: readonly string[]): Promise<ResponseEntity[]> {
    return this.responseRows.findByIds(ids);
  }

  /**
   * Resolves a report and every other open report of its response: DISMISS
   * leaves the response up (and puts it back if reports held it); HIDE rejects it.
   */
  async resolve(actorId: string, id: string, action: ReportAction): Promise<ReportEntity> {
    if (!isUuid(id)) throw new ReportNotFound();
    const resolved = await this.dataSource.transaction(async (manager) => {
      const report = await manager
        .getRepository(ReportEntity)
        .createQueryBuilder('report')
        .setLock('pessimistic_write')
        .where('report.id = :id', { id })
        .getOne();
      if (!report) throw new ReportNotFound();
      if (report.status !== ReportStatus.OPEN) throw new ReportResolved();
      const status = action === ReportAction.HIDE ? ReportStatus.HIDDEN : ReportStatus.DISMISSED;
      await manager
        .getRepository(ReportEntity)
        .update(
          { responseId: report.responseId, status: ReportStatus.OPEN },
          { status, resolvedAt: this.clock.now() },
        );
      await this.audit.record(
        manager,
        actorId,
        AuditAction.REPORT_RESOLVED,
        { type: 'report', id: report.id },
        { status: ReportStatus.OPEN },
        { status, responseId: report.responseId },
      );
      const responses = manager.getRepository(ResponseEntity);
      if (action === ReportAction.HIDE) {
        await responses.update(
          {
            id: report.responseId,
            moderationState: In([ModerationState.PUBLISHED, ModerationState.HELD]),
          },
          { moderationState: ModerationState.REJECTED, rejectionReason: 'Hidden after a report.' },
        );
      } else {
        await responses.update(
          {
            id: report.responseId,
            moderationState: ModerationState.HELD,
            heldReason: HeldReason.REPORTED,
          },
          { moderationState: ModerationState.PUBLISHED, heldReason: null },
        );
      }
      return manager.getRepository(ReportEntity).findOneByOrFail({ id });
    });
    await this.pubsub.announceQueueChange();
    return resolved;
  }

  private async holdWhenReportedEnough(manager: EntityManager, responseId: string): Promise<void> {
    const [{ reporters }] = await manager.query<{ reporters: number }[]>(
      `SELECT COUNT(DISTINCT reporter_id)::int AS reporters FROM response_reports
        WHERE response_id = $1 AND status = 'OPEN'`,
      [responseId],
    );
    if (reporters >= this.config.moderation.reportsToHide) {
      await this.moderation.holdForReview(manager, responseId);
    }
  }
}

function validNote(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null) return null;
  const note = String(raw).trim();
  if (note.length > MAX_REPORT_NOTE_LENGTH) {
    throw new BadUserInput(`The note is longer than ${MAX_REPORT_NOTE_LENGTH} characters.`, 'note');
  }
  return note.length > 0 ? note : null;
}
