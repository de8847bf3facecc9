import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { EssaysModule } from '../essays/essays.module.js';
import { ExportSections } from './export-sections.js';
import { SPAM_CHECKS_QUEUE } from '../queue/queue-names.js';
import { MarkdownPreviewResolver } from './markdown-preview.resolver.js';
import { AkismetClient } from './moderation/akismet.client.js';
import { BansResolver } from './moderation/bans.resolver.js';
import { EssayResponsesResolver, PromptResponsesResolver } from './prompt-responses.resolver.js';
import { DeskCountsChangedResolver } from './desk-counts-changed.resolver.js';
import { DeskResponseAddedResolver } from './desk-response-added.resolver.js';
import {
  ModerationResolver,
  ResponseModerationResolver,
} from './moderation/moderation.resolver.js';
import { ModerationService } from './moderation/moderation.service.js';
import { ReaderBansService } from './moderation/reader-bans.service.js';
import { ReportAccountData } from './moderation/report-account-data.js';
import { ReportWebhooks } from './moderation/report-webhooks.js';
import { ReportsResolver, ResponseReportsResolver } from './moderation/reports.resolver.js';
import { ReportsService } from './moderation/reports.service.js';
import { SpamChecksService } from './moderation/spam-checks.service.js';
import { ResponseAddedResolver } from './response-added.resolver.js';
import { ResponseLimits } from './response-limits.js';
import { ResponseRemovedResolver } from './response-removed.resolver.js';
import { ResponseAccountData } from './response-account-data.js';
import { ResponseWebhooks } from './response-webhooks.js';
import { ResponsesPubSub } from './responses.pubsub.js';
import { ResponsesRepository } from './responses.repository.js';
import { ResponsesResolver } from './responses.resolver.js';
import { ResponsesService } from './responses.service.js';
import { ReviewQueueInterest } from './review-queue-interest.js';
import { ReviewExportController } from './review-export.controller.js';
import { ReviewResolver } from './review.resolver.js';
import { ReviewService } from './review.service.js';

@Module({
  imports: [EssaysModule, EventsModule, BullModule.registerQueue({ name: SPAM_CHECKS_QUEUE })],
  providers: [
    ResponsesService,
    ResponsesRepository,
    ReviewQueueInterest,
    ResponseLimits,
    ResponsesPubSub,
    ResponsesResolver,
    PromptResponsesResolver,
    EssayResponsesResolver,
    ResponseAddedResolver,
    ResponseRemovedResolver,
    DeskResponseAddedResolver,
    DeskCountsChangedResolver,
    MarkdownPreviewResolver,
    ReviewService,
    ReviewResolver,
    ExportSections,
    ResponseWebhooks,
    ResponseAccountData,
    ReportAccountData,
    ReportWebhooks,
    ModerationService,
    AkismetClient,
    SpamChecksService,
    ModerationResolver,
    ResponseModerationResolver,
    ReaderBansService,
    BansResolver,
    ReportsService,
    ReportsResolver,
    ResponseReportsResolver,
  ],
  controllers: [ReviewExportController],
  exports: [
    ResponsesService,
    ResponsesRepository,
    ResponsesPubSub,
    ExportSections,
    ReviewQueueInterest,
    SpamChecksService,
    AkismetClient,
  ],
})
export class ResponsesModule {}
