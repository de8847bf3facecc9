import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import {
  decodeCursor,
  isTimestampKey,
  pageSize,
  toConnection,
  type Connection,
} from '../common/pagination.js';
import { AuditAction, AuditEntryEntity, type AuditState } from './audit-entry.entity.js';

export interface AuditSubject {
  type: string;
  id: string;
}

/**
 * Who acted: the signed-in user's id, passed down from the resolver or route
 * that has the viewer; null for the system (the CLI, the demo, a job, a page
 * an email link opens).
 */
export type AuditActorId = string | null;

export interface AuditFilter {
  action?: AuditAction | null;
  subjectId?: string | null;
  actorId?: string | null;
}

/** The audit log: written in the action's transaction, read by the author, never changed. */
@Injectable()
export class AuditLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Writes one row inside the caller's transaction (the manager), so the
   * action and its record commit or roll back together.
   */
  async record(
    manager: EntityManager,
    actorId: AuditActorId,
    action: AuditAction,
    subject: AuditSubject,
    before: AuditState | null,
    after: AuditState | null,
  ): Promise<void> {
    await manager.getRepository(AuditEntryEntity).insert({
      actorId,
      action,
      subjectType: subject.type,
      subjectId: subject.id,
      before,
      after,
      occurredAt: this.clock.now(),
    });
  }

  /** One action on many objects (a bulk review): one row per object, in one statement. */
  async recordEach(
    manager: EntityManager,
    actorId: AuditActorId,
    action: AuditAction,
    changes: { subject: AuditSubject; before: AuditState | null; after: AuditState | null }[],
  ): Promise<void> {
    if (changes.length === 0) return;
    const occurredAt = this.clock.now();
    await manager.getRepository(AuditEntryEntity).insert(
      changes.map(({ subject, before, after }) => ({
        actorId,
        action,
        subjectType: subject.type,
        subjectId: subject.id,
        before,
        after,
        occurredAt,
      })),
    );
  }

  /** For actions with no transaction of their own (an export). */
  recordNow(
    actorId: AuditActorId,
    action: AuditAction,
    subject: AuditSubject,
    before: AuditState | null,
    after: AuditState | null,
  ): Promise<void> {
    return this.record(this.dataSource.manager, actorId, action, subject, before, after);
  }

  /** Newest first. */
  async list(
    filter: AuditFilter,
    query: { first?: number; after?: string | null },
  ): Promise<Connection<AuditEntryEntity>> {
    const first = pageSize(query.first);
    const after = decodeCursor(query.after, isTimestampKey);
    const qb = this.dataSource
      .getRepository(AuditEntryEntity)
      .createQueryBuilder('entry')
      .addSelect(
        `to_char(entry.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
        'sort_key',
      )
      .orderBy('entry.occurred_at', 'DESC')
      .addOrderBy('entry.id', 'DESC')
      .limit(first + 1);
    if (filter.action) qb.andWhere('entry.action = :action', { action: filter.action });
    if (filter.subjectId)
      qb.andWhere('entry.subject_id = :subjectId', { subjectId: filter.subjectId });
    if (filter.actorId) qb.andWhere('entry.actor_id = :actorId', { actorId: filter.actorId });
    if (after) {
      qb.andWhere(
        `(entry.occurred_at, entry.id) < (:afterKey::timestamp AT TIME ZONE 'UTC', :afterId::uuid)`,
        { afterKey: after.key, afterId: after.id },
      );
    }
    const { entities, raw } = await qb.getRawAndEntities<{ sort_key: string }>();
    const keys = new Map(entities.map((entity, index) => [entity.id, raw[index]!.sort_key]));
    return toConnection(
      entities,
      first,
      Boolean(after),
      (entry) => ({ key: keys.get(entry.id)!, id: entry.id }),
      (entry) => entry,
    );
  }
}
