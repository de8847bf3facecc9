import { Module } from '@nestjs/common';
import { EventsService } from './events.service.js';
import { NoticesService } from './notices.service.js';

/** The event outbox and the notices decided with a change, for any feature that records what happened. */
@Module({ providers: [EventsService, NoticesService], exports: [EventsService, NoticesService] })
export class DigestsEventsModule {}
