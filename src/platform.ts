import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { INestApplicationContext } from '@nestjs/common';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppModule, type PlatformOptions } from './app.module.js';
import { AnonymousReadCache } from './common/anonymous-read-cache.js';
import { serveAnonymousReadsFromCache } from './common/anonymous-read-cache.hooks.js';
import { proxyTrust } from './common/client-address.js';
import { refuseCrossSiteForms } from './common/cross-site-forms.hook.js';
import { BODY_LIMIT_BYTES } from './common/graphql/operation-limits.js';
import { PinoNestLogger } from './common/logger.js';
import { serveWebAssets } from './pages/web-assets.plugin.js';
import type { RuntimeConfig } from './config/runtime.js';

export interface Platform {
  app: INestApplicationContext;
  /** The HTTP server, when this process serves the API. */
  http?: NestFastifyApplication;
  close(): Promise<void>;
}

/**
 * Builds the platform for `config.role`: an HTTP server for `all` and `api`,
 * a worker-only application context for `worker`.
 */
export async function createPlatform(
  config: RuntimeConfig,
  logger: Logger,
  options: PlatformOptions = {},
): Promise<Platform> {
  const module = AppModule.forRoot(config, options);
  const nestLogger = new PinoNestLogger(logger);
  if (config.role === 'worker') {
    const app = await NestFactory.createApplicationContext(module, { logger: nestLogger });
    await app.init();
    return { app, close: () => app.close() };
  }
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new OneLinePerRequest(),
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy === false ? false : proxyTrust(config.trustProxy),
    bodyLimit: BODY_LIMIT_BYTES,
  });
  const http = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: nestLogger,
  });
  const fastify = http.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  refuseCrossSiteForms(fastify, config.publicUrl);
  serveAnonymousReadsFromCache(fastify, http.get(AnonymousReadCache));
  await serveWebAssets(http);
  if (config.redisUrl && options.queueBoard !== false) {
    // Loaded only when used: Bull Board pulls in @fastify/static.
    const { mountQueueBoard } = await import('./admin/queue-board.js');
    await mountQueueBoard(http);
  }
  await http.init();
  return { app: http, http, close: () => http.close() };
}

/** One log line per request, written when it completes, with its request id. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      url: request.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (error) request.log.error({ ...line, err: error }, 'request failed');
    else request.log.info(line, 'request');
  }
}
