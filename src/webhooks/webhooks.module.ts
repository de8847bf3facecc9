import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { WEBHOOKS_QUEUE } from '../queue/queue-names.js';
import { WebhookPayloads } from './webhook-payloads.js';
import { WebhookRelaySchedule, WebhooksProcessor } from './webhooks.processor.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Signed webhooks from the outbox. Global so that each feature can describe
 * its own events (WebhookPayloads); the relay and the sender run only in
 * worker processes.
 */
@Global()
@Module({})
export class WebhooksModule {
  static forRoot(options: { worker: boolean }): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [BullModule.registerQueue({ name: WEBHOOKS_QUEUE })],
      providers: [
        WebhookPayloads,
        WebhooksService,
        ...(options.worker ? [WebhooksProcessor, WebhookRelaySchedule] : []),
      ],
      exports: [WebhookPayloads, WebhooksService],
    };
  }
}
