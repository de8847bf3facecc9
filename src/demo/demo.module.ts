import { Module } from '@nestjs/common';
import { EssaysModule } from '../essays/essays.module.js';
import { ResponsesModule } from '../responses/responses.module.js';
import { DemoService } from './demo.service.js';

@Module({
  imports: [EssaysModule, ResponsesModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
