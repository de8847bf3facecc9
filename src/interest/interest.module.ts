import { Module } from '@nestjs/common';
import { DigestsEventsModule } from '../digests/digests-events.module.js';
import { EssaysModule } from '../essays/essays.module.js';
import {
  InterestResolver,
  MeInterestsResolver,
  ResponseInterestResolver,
} from './interest.resolver.js';
import { InterestService } from './interest.service.js';

@Module({
  imports: [EssaysModule, DigestsEventsModule],
  providers: [InterestService, InterestResolver, MeInterestsResolver, ResponseInterestResolver],
  exports: [InterestService],
})
export class InterestModule {}
