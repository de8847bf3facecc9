import { Module } from '@nestjs/common';
import { EventsService } from './events.service.js';

/** The event outbox, for any feature that records what happened. */
@Module({ providers: [EventsService], exports: [EventsService] })
export class DigestsEventsModule {}
