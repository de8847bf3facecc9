import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { EssaysModule } from '../essays/essays.module.js';
import { ResponsesModule } from '../responses/responses.module.js';
import {
  InterestResolver,
  MeInterestsResolver,
  ResponseInterestResolver,
} from './interest.resolver.js';
import { InterestAccountData } from './interest-account-data.js';
import { InterestWebhooks } from './interest-webhooks.js';
import { InterestService } from './interest.service.js';

@Module({
  imports: [EssaysModule, EventsModule, ResponsesModule],
  providers: [
    InterestService,
    InterestResolver,
    MeInterestsResolver,
    ResponseInterestResolver,
    InterestWebhooks,
    InterestAccountData,
  ],
  exports: [InterestService],
})
export class InterestModule {}
