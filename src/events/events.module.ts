import { Module } from '@nestjs/common';
import { EventsService } from './events.service.js';

/** The outbox, for every feature that records what happened and every one that reacts to it. */
@Module({ providers: [EventsService], exports: [EventsService] })
export class EventsModule {}
