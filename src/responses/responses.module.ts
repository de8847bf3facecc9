import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { EssaysModule } from '../essays/essays.module.js';
import { ExportSections } from './export-sections.js';
import { MarkdownPreviewResolver } from './markdown-preview.resolver.js';
import { EssayResponsesResolver, PromptResponsesResolver } from './prompt-responses.resolver.js';
import { DeskResponseAddedResolver } from './desk-response-added.resolver.js';
import { ResponseAddedResolver } from './response-added.resolver.js';
import { ResponseLimits } from './response-limits.js';
import { ResponseAccountData } from './response-account-data.js';
import { ResponseWebhooks } from './response-webhooks.js';
import { ResponsesPubSub } from './responses.pubsub.js';
import { ResponsesRepository } from './responses.repository.js';
import { ResponsesResolver } from './responses.resolver.js';
import { ResponsesService } from './responses.service.js';
import { ReviewExportController } from './review-export.controller.js';
import { ReviewResolver } from './review.resolver.js';
import { ReviewService } from './review.service.js';

@Module({
  imports: [EssaysModule, EventsModule],
  providers: [
    ResponsesService,
    ResponsesRepository,
    ResponseLimits,
    ResponsesPubSub,
    ResponsesResolver,
    PromptResponsesResolver,
    EssayResponsesResolver,
    ResponseAddedResolver,
    DeskResponseAddedResolver,
    MarkdownPreviewResolver,
    ReviewService,
    ReviewResolver,
    ExportSections,
    ResponseWebhooks,
    ResponseAccountData,
  ],
  controllers: [ReviewExportController],
  exports: [ResponsesService, ResponsesRepository, ResponsesPubSub, ExportSections],
})
export class ResponsesModule {}
