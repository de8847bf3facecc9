import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { EssaysRepository } from './essays.repository.js';
import { EssaysResolver } from './essays.resolver.js';
import { EssayImportService } from './essay-import.service.js';
import { EssaysService } from './essays.service.js';
import { PromptAnswers } from './prompt-answers.js';
import { PromptsResolver } from './prompts.resolver.js';
import { PromptsService } from './prompts.service.js';

@Module({
  imports: [EventsModule],
  providers: [
    EssaysService,
    EssaysRepository,
    PromptsService,
    PromptAnswers,
    EssayImportService,
    EssaysResolver,
    PromptsResolver,
  ],
  exports: [EssaysService, EssaysRepository, PromptsService, PromptAnswers, EssayImportService],
})
export class EssaysModule {}
