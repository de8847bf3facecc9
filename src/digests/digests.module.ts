import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DigestContentService } from './digest-content.service.js';
import { DIGESTS_QUEUE } from '../queue/queue-names.js';
import { DigestPlannerProcessor, DigestSchedule } from './digest-planner.processor.js';
import { DigestMail } from './digest.mail.js';
import { EventsModule } from '../events/events.module.js';
import { EssaysModule } from '../essays/essays.module.js';
import { InterestModule } from '../interest/interest.module.js';
import { ResponsesModule } from '../responses/responses.module.js';
import { DigestsResolver, MeNotificationsResolver } from './digests.resolver.js';
import { EssaySubscribersResolver } from './essay-subscribers.resolver.js';
import { MultipartFormParser } from './multipart-form.parser.js';
import { NoticesService } from './notices.service.js';
import { NotificationSettingsAccountData } from './notification-settings-account-data.js';
import { NotificationSettingsService } from './notification-settings.service.js';
import { DigestPlanner } from './planner.service.js';
import { ReplyNoticeMail } from './reply-notice.mail.js';
import { ReviewDigestMail } from './review-digest.mail.js';
import { SubscriptionMail } from './subscription.mail.js';
import { SubscriptionPagesController } from './subscription-pages.controller.js';
import { SubscriptionPagesService } from './subscription-pages.service.js';
import { SubscriptionAccountData } from './subscription-account-data.js';
import { SubscriptionWebhooks } from './subscription-webhooks.js';
import { SubscriptionsService } from './subscriptions.service.js';

/**
 * Digest subscriptions, the planner and the emails built from events. The
 * schedule and the planner's processor run only in worker processes.
 */
@Module({})
export class DigestsModule {
  static forRoot(options: { worker: boolean }): DynamicModule {
    return {
      module: DigestsModule,
      imports: [
        EventsModule,
        EssaysModule,
        InterestModule,
        ResponsesModule,
        BullModule.registerQueue({ name: DIGESTS_QUEUE }),
      ],
      controllers: [SubscriptionPagesController],
      providers: [
        SubscriptionsService,
        SubscriptionPagesService,
        DigestPlanner,
        DigestContentService,
        MultipartFormParser,
        NoticesService,
        NotificationSettingsService,
        SubscriptionMail,
        DigestMail,
        ReplyNoticeMail,
        ReviewDigestMail,
        DigestsResolver,
        EssaySubscribersResolver,
        MeNotificationsResolver,
        SubscriptionWebhooks,
        SubscriptionAccountData,
        NotificationSettingsAccountData,
        ...(options.worker ? [DigestPlannerProcessor, DigestSchedule] : []),
      ],
      exports: [SubscriptionsService, DigestPlanner, BullModule],
    };
  }
}
