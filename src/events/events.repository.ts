import type { EntityManager } from 'typeorm';
import { EventEntity, EventType } from './event.entity.js';

/*
 * Reads of the outbox for its consumers (digests, the webhook relay), so no
 * other feature names the `events` table (src/table-ownership.spec.ts).
 */

/**
 * The columns of `events` a consumer may read in its own statement (the
 * webhook relay's one INSERT … SELECT). PostgreSQL folds the derived table
 * into the query, so the outbox's indexes serve it as before.
 */
export const EVENTS_VIEW_SQL =
  '(SELECT id, tx_id, type, essay_id, subject_id, actor_id, occurred_at, created_at FROM events)';

/** One event by id, or null. */
export function findEvent(manager: EntityManager, id: string): Promise<EventEntity | null> {
  return manager.getRepository(EventEntity).findOneBy({ id });
}

/** What an event names, as a digest reads it. */
export interface WindowEvent {
  type: EventType;
  essay_id: string;
  subject_id: string;
}

/**
 * The events of `types` that happened in (start, end], about `essayId` when
 * given, newest first: one statement.
 */
export function eventsInWindow(
  manager: EntityManager,
  window: { start: Date; end: Date; essayId: string | null },
  types: readonly EventType[],
): Promise<WindowEvent[]> {
  return manager.query(
    `SELECT e.type, e.essay_id, e.subject_id
       FROM events e
      WHERE e.occurred_at > $1 AND e.occurred_at <= $2
        AND ($3::uuid IS NULL OR e.essay_id = $3::uuid)
        AND e.type = ANY($4::event_type[])
      ORDER BY e.occurred_at DESC, e.id DESC`,
    [window.start, window.end, window.essayId, types],
  );
}
