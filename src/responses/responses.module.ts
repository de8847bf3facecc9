import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { EssaysModule } from '../essays/essays.module.js';
import { MarkdownPreviewResolver } from './markdown-preview.resolver.js';
import { EssayResponsesResolver, PromptResponsesResolver } from './prompt-responses.resolver.js';
import { ResponseAddedResolver } from './response-added.resolver.js';
import { ResponseAccountData } from './response-account-data.js';
import { ResponseWebhooks } from './response-webhooks.js';
import { ResponsesPubSub } from './responses.pubsub.js';
import { ResponsesResolver } from './responses.resolver.js';
import { ResponsesService } from './responses.service.js';

@Module({
  imports: [EssaysModule, EventsModule],
  providers: [
    ResponsesService,
    ResponsesPubSub,
    ResponsesResolver,
    PromptResponsesResolver,
    EssayResponsesResolver,
    ResponseAddedResolver,
    MarkdownPreviewResolver,
    ResponseWebhooks,
    ResponseAccountData,
  ],
  exports: [ResponsesService, ResponsesPubSub],
})
export class ResponsesModule {}
