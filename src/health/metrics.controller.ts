import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { NotFound, Unauthenticated } from '../common/errors.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { isOperator } from './operator-access.js';
import { MetricsService } from './metrics.service.js';

/**
 * GET /metrics in the Prometheus text format, for the operator only: with
 * "Authorization: Bearer $METRICS_TOKEN" (401 without it); not served (404)
 * when METRICS_TOKEN is unset. Delivery and queue counts move when anyone
 * subscribes or asks for a link, so in public they would tell about others.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!this.config.metricsToken) throw new NotFound('/metrics');
    if (!isOperator(this.config, authorization)) {
      void reply.header('www-authenticate', 'Bearer');
      throw new Unauthenticated('Send the metrics token as "Authorization: Bearer <token>".');
    }
    const { contentType, body } = await this.metrics.render();
    void reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  }
}
