import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { EssaysModule } from '../essays/essays.module.js';
import { SPAM_CHECKS_QUEUE } from '../queue/queue-names.js';
import { MarkdownPreviewResolver } from './markdown-preview.resolver.js';
import { AkismetClient } from './moderation/akismet.client.js';
import { BansResolver } from './moderation/bans.resolver.js';
import { EssayResponsesResolver, PromptResponsesResolver } from './prompt-responses.resolver.js';
import {
  ModerationResolver,
  ResponseModerationResolver,
} from './moderation/moderation.resolver.js';
import { ModerationService } from './moderation/moderation.service.js';
import { ReaderBansService } from './moderation/reader-bans.service.js';
import { ReportsResolver, ResponseReportsResolver } from './moderation/reports.resolver.js';
import { ReportsService } from './moderation/reports.service.js';
import { SpamChecksService } from './moderation/spam-checks.service.js';
import { ResponseAddedResolver } from './response-added.resolver.js';
import { ResponsesPubSub } from './responses.pubsub.js';
import { ResponsesResolver } from './responses.resolver.js';
import { ResponsesService } from './responses.service.js';

@Module({
  imports: [EssaysModule, EventsModule, BullModule.registerQueue({ name: SPAM_CHECKS_QUEUE })],
  providers: [
    ResponsesService,
    ResponsesPubSub,
    ResponsesResolver,
    PromptResponsesResolver,
    EssayResponsesResolver,
    ResponseAddedResolver,
    MarkdownPreviewResolver,
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
  exports: [ResponsesService, ResponsesPubSub, SpamChecksService, AkismetClient],
})
export class ResponsesModule {}
