import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BullModule } from '@nestjs/bullmq';
import { DIGESTS_QUEUE } from '../queue/queue-names.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** /health and /metrics. */
@Module({
  imports: [
    TerminusModule.forRoot({ logger: false }),
    BullModule.registerQueue({ name: DIGESTS_QUEUE }),
  ],
  controllers: [HealthController, MetricsController],
  providers: [MetricsService],
})
export class HealthModule {}
