import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { EssaysRepository } from './essays.repository.js';
import { EssaysResolver } from './essays.resolver.js';
import { EssaysService } from './essays.service.js';
import { PromptsResolver } from './prompts.resolver.js';

@Module({
  imports: [EventsModule],
  providers: [EssaysService, EssaysRepository, EssaysResolver, PromptsResolver],
  exports: [EssaysService, EssaysRepository],
})
export class EssaysModule {}
