import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { EssaysResolver } from './essays.resolver.js';
import { EssaysService } from './essays.service.js';
import { PromptsResolver } from './prompts.resolver.js';

@Module({
  imports: [EventsModule],
  providers: [EssaysService, EssaysResolver, PromptsResolver],
  exports: [EssaysService],
})
export class EssaysModule {}
