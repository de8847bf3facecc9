import { Module } from '@nestjs/common';
import { EssaysModule } from '../essays/essays.module.js';
import { EventsModule } from '../events/events.module.js';
import { InterestModule } from '../interest/interest.module.js';
import { ResponsesModule } from '../responses/responses.module.js';
import { DemoService } from './demo.service.js';

@Module({
  imports: [EssaysModule, ResponsesModule, InterestModule, EventsModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
