import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BullModule } from '@nestjs/bullmq';
import { ALL_QUEUES } from '../queue/queue-names.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/** /health and /metrics. */
@Module({
  imports: [
    TerminusModule.forRoot({ logger: false }),
    ...ALL_QUEUES.map((name) => BullModule.registerQueue({ name })),
  ],
  controllers: [HealthController, MetricsController],
  providers: [MetricsService],
})
export class HealthModule {}
