import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { EventEntity, EventType } from './event.entity.js';

export interface NewEvent {
  type: EventType;
  essayId: string | null;
  subjectId: string;
  actorId?: string | null;
  /**
   * The subject was written in this same transaction (a new response), so
   * handlers know it has no earlier state to look up.
   */
  subjectIsNew?: boolean;
}

export type RecordedEvent = Required<NewEvent> & { id: string; occurredAt: Date };

/** Work a handler leaves for after the writer's transaction commits (e.g. enqueueing a mail job). */
export type AfterCommit = () => Promise<void>;

/**
 * A consumer whose decision must be atomic with the change: it runs inside the
 * writer's transaction, so if it fails the change is rolled back too.
 */
export interface EventHandler {
  handle(manager: EntityManager, event: RecordedEvent): Promise<AfterCommit | void>;
}

const nothingAfterCommit: AfterCommit = async () => {};

/**
 * The outbox. Writers record what happened inside their own transaction;
 * consumers register a handler per event type (one each, checked at start-up)
 * or read the `events` table later, as the digests do.
 */
@Injectable()
export class EventsService {
  private readonly handlers = new Map<EventType, EventHandler>();

  constructor(private readonly clock: Clock) {}

  /** Called by consumers while the application starts; a second handler for a type fails start-up. */
  on(type: EventType, handler: EventHandler): void {
    if (this.handlers.has(type)) throw new Error(`Two event handlers registered for ${type}.`);
    this.handlers.set(type, handler);
  }

  /** For a deleted account: events keep what happened, no longer who did it. */
  async forgetActor(manager: EntityManager, userId: string): Promise<void> {
    await manager.getRepository(EventEntity).update({ actorId: userId }, { actorId: null });
  }

  /** Whether an event of this type was recorded about the subject (approving publishes once). */
  hasRecorded(manager: EntityManager, type: EventType, subjectId: string): Promise<boolean> {
    return manager.getRepository(EventEntity).existsBy({ type, subjectId });
  }

  /**
   * Writes the event and runs its handler in the caller's transaction. The
   * writer runs what this returns once that transaction has committed.
   */
  async record(manager: EntityManager, event: NewEvent): Promise<AfterCommit> {
    const values = {
      type: event.type,
      essayId: event.essayId,
      subjectId: event.subjectId,
      actorId: event.actorId ?? null,
      occurredAt: this.clock.now(),
    };
    // Plain SQL: every write records one, and TypeORM's insert costs more than the statement.
    const [{ id }] = await manager.query<[{ id: string }]>(
      `INSERT INTO events (type, essay_id, subject_id, actor_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [values.type, values.essayId, values.subjectId, values.actorId, values.occurredAt],
    );
    const handler = this.handlers.get(event.type);
    if (!handler) return nothingAfterCommit;
    const afterCommit = await handler.handle(manager, {
      ...values,
      id,
      subjectIsNew: event.subjectIsNew ?? false,
    });
    return afterCommit ?? nothingAfterCommit;
  }

  /**
   * Writes events that happened earlier (a seeded history), in the caller's
   * transaction. No handler runs: nothing is decided now about the past.
   */
  async recordHistory(
    manager: EntityManager,
    events: (NewEvent & { occurredAt: Date })[],
  ): Promise<void> {
    if (events.length === 0) return;
    await manager.getRepository(EventEntity).insert(
      events.map((event) => ({
        type: event.type,
        essayId: event.essayId,
        subjectId: event.subjectId,
        actorId: event.actorId ?? null,
        occurredAt: event.occurredAt,
      })),
    );
  }
}
