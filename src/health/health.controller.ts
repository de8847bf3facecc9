import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Get, Headers, Inject, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import {
  DIGESTS_QUEUE,
  MAIL_QUEUE,
  SPAM_CHECKS_QUEUE,
  WEBHOOKS_QUEUE,
} from '../queue/queue-names.js';
import { queueBackend } from '../queue/queue.config.js';
import { isOperator } from './operator-access.js';

/**
 * GET /health: 200 when PostgreSQL and the queue backend answer, 503
 * otherwise. In public it says only that; with the metrics token it also
 * names the queue backend and counts each queue's jobs.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @InjectQueue(MAIL_QUEUE) private readonly mailQueue: Queue,
    @InjectQueue(DIGESTS_QUEUE) private readonly digestsQueue: Queue,
    @InjectQueue(WEBHOOKS_QUEUE) private readonly webhooksQueue: Queue,
    @InjectQueue(SPAM_CHECKS_QUEUE) private readonly spamChecksQueue: Queue,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get()
  @HealthCheck()
  async check(@Headers('authorization') authorization?: string): Promise<HealthCheckResult> {
    const detailed = isOperator(this.config, authorization);
    try {
      const result = await this.checkAll(detailed);
      return detailed ? result : statusOnly(result);
    } catch (error) {
      // Terminus answers 503 with each failure's message (hosts, ports): not for the public.
      if (detailed || !(error instanceof ServiceUnavailableException)) throw error;
      throw new ServiceUnavailableException(statusOnly(error.getResponse() as HealthCheckResult));
    }
  }

  private checkAll(detailed: boolean): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database').withTimeout(2000),
      () =>
        this.indicators
          .check('queue')
          .attempt(async () => {
            const queues = [
              this.mailQueue,
              this.digestsQueue,
              this.webhooksQueue,
              this.spamChecksQueue,
            ];
            const counts = await Promise.all(
              queues.map((queue) => queue.getJobCounts('waiting', 'active', 'delayed', 'failed')),
            );
            if (!detailed) return {};
            return {
              backend: queueBackend(this.config),
              ...Object.fromEntries(queues.map((queue, index) => [queue.name, counts[index]])),
            };
          })
          .withTimeout(2000),
    ]);
  }
}

/** Each check's up or down, nothing else. */
function statusOnly(result: HealthCheckResult): HealthCheckResult {
  const strip = (part: Partial<HealthIndicatorResult> = {}): HealthIndicatorResult =>
    Object.fromEntries(
      Object.entries(part).flatMap(([name, value]) =>
        value ? [[name, { status: value.status }]] : [],
      ),
    );
  return {
    status: result.status,
    info: strip(result.info),
    error: strip(result.error),
    details: strip(result.details),
  };
}
