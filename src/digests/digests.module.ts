import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DigestContentService } from './digest-content.service.js';
import { DIGESTS_QUEUE } from '../queue/queue-names.js';
import { DigestPlannerProcessor, DigestSchedule } from './digest-planner.processor.js';
import { DigestMail } from './digest.mail.js';
import { EventsModule } from '../events/events.module.js';
import { DigestsResolver, MeNotificationsResolver } from './digests.resolver.js';
import { LinkTokens } from './link-tokens.js';
import { MailLinks } from './mail-links.js';
import { MultipartFormParser } from './multipart-form.parser.js';
import { NoticesService } from './notices.service.js';
import { DigestPlanner } from './planner.service.js';
import { ReplyNoticeMail } from './reply-notice.mail.js';
import { ReviewDigestMail } from './review-digest.mail.js';
import { SubscriptionConfirmMail } from './subscription-confirm.mail.js';
import { SubscriptionManageMail } from './subscription-manage.mail.js';
import { SubscriptionPagesController } from './subscription-pages.controller.js';
import { SubscriptionAccountData } from './subscription-account-data.js';
import { SubscriptionWebhooks } from './subscription-webhooks.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { MailTemplates } from './templates/mail-templates.js';

/**
 * Digest subscriptions, the planner and the emails built from events. The
 * schedule and the planner's processor run only in worker processes.
 */
@Module({})
export class DigestsModule {
  static forRoot(options: { worker: boolean }): DynamicModule {
    return {
      module: DigestsModule,
      imports: [EventsModule, BullModule.registerQueue({ name: DIGESTS_QUEUE })],
      controllers: [SubscriptionPagesController],
      providers: [
        SubscriptionsService,
        DigestPlanner,
        DigestContentService,
        LinkTokens,
        MailLinks,
        MultipartFormParser,
        NoticesService,
        MailTemplates,
        SubscriptionConfirmMail,
        SubscriptionManageMail,
        DigestMail,
        ReplyNoticeMail,
        ReviewDigestMail,
        DigestsResolver,
        MeNotificationsResolver,
        SubscriptionWebhooks,
        SubscriptionAccountData,
        ...(options.worker ? [DigestPlannerProcessor, DigestSchedule] : []),
      ],
      exports: [SubscriptionsService, DigestPlanner, BullModule],
    };
  }
}
