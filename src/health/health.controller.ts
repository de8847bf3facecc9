import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { MAIL_QUEUE } from '../mail/deliveries.service.js';
import { queueBackend } from '../queue/queue.config.js';

/** GET /health: 200 when PostgreSQL and the queue backend answer, 503 otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectQueue(MAIL_QUEUE) private readonly mailQueue: Queue,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(2000),
      () =>
        this.indicators
          .check('queue')
          .attempt(async () => {
            const counts = await this.mailQueue.getJobCounts(
              'waiting',
              'active',
              'delayed',
              'failed',
            );
            return { backend: queueBackend(this.config), mail: counts };
          })
          .withTimeout(2000),
    ]);
  }
}
