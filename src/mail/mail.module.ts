import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { MAIL_QUEUE } from '../queue/queue-names.js';
import { DeliveriesService } from './deliveries.service.js';
import { DevOutboxController } from './dev-outbox.controller.js';
import { LinkTokens } from './link-tokens.js';
import { MailLinks } from './mail-links.js';
import { MailComposers } from './mail.composers.js';
import { MailProcessor } from './mail.processor.js';
import { MailTransport } from './mail.transport.js';
import { MailTemplates } from './templates/mail-templates.js';

const RUNS_WORKER = Symbol('RUNS_WORKER');

/**
 * Mail: the transport, the delivery ledger, the one look every message shares
 * (templates), the links and link tokens messages carry, and (in worker
 * processes) the sender. Composers live in their features and render here.
 */
@Global()
@Module({})
export class MailModule implements OnApplicationBootstrap {
  constructor(
    private readonly composers: MailComposers,
    @Inject(RUNS_WORKER) private readonly runsWorker: boolean,
  ) {}

  /** `devOutbox`: serve GET /dev/outbox (outside production, when mail goes to the outbox folder). */
  static forRoot(options: { worker: boolean; devOutbox?: boolean }): DynamicModule {
    return {
      module: MailModule,
      controllers: options.devOutbox ? [DevOutboxController] : [],
      imports: [BullModule.registerQueue({ name: MAIL_QUEUE })],
      providers: [
        MailTransport,
        MailComposers,
        DeliveriesService,
        MailTemplates,
        MailLinks,
        LinkTokens,
        { provide: RUNS_WORKER, useValue: options.worker },
        ...(options.worker ? [MailProcessor] : []),
      ],
      exports: [
        DeliveriesService,
        MailComposers,
        MailTransport,
        MailTemplates,
        MailLinks,
        LinkTokens,
        BullModule,
      ],
    };
  }

  onApplicationBootstrap(): void {
    if (this.runsWorker) this.composers.assertComplete();
  }
}
