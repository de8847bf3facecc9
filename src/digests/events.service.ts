import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { EventEntity, EventType } from './event.entity.js';

export interface NewEvent {
  type: EventType;
  essayId: string | null;
  subjectId: string;
  actorId?: string | null;
}

/** Writes the outbox; always inside the caller's transaction. */
@Injectable()
export class EventsService {
  constructor(private readonly clock: Clock) {}

  async record(manager: EntityManager, event: NewEvent): Promise<void> {
    await manager.getRepository(EventEntity).insert({
      type: event.type,
      essayId: event.essayId,
      subjectId: event.subjectId,
      actorId: event.actorId ?? null,
      occurredAt: this.clock.now(),
    });
  }
}
