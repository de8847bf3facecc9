import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountModule } from './account/account.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ViewerGuard } from './auth/viewer.guard.js';
import { AnonymousReadCache, anonymousCacheChannel } from './common/anonymous-read-cache.js';
import { Clock } from './common/clock.js';
import { CommonModule } from './common/common.module.js';
import { HttpErrorsFilter } from './common/http-errors.filter.js';
import { InvalidateAnonymousCacheInterceptor } from './common/invalidate-anonymous-cache.interceptor.js';
import { GraphqlApiModule } from './common/graphql/graphql-api.module.js';
import { validationPipe } from './common/validation.js';
import { APP_CONFIG, ConfigModule } from './config/config.module.js';
import type { RuntimeConfig } from './config/runtime.js';
import { dataSourceOptions } from './database/data-source.js';
import { DemoModule } from './demo/demo.module.js';
import { DigestsModule } from './digests/digests.module.js';
import { EventsModule } from './events/events.module.js';
import { EssaysModule } from './essays/essays.module.js';
import { HealthModule } from './health/health.module.js';
import { InterestModule } from './interest/interest.module.js';
import { MailModule } from './mail/mail.module.js';
import { PagesModule } from './pages/pages.module.js';
import { queueConnection } from './queue/queue.config.js';
import { ResponsesModule } from './responses/responses.module.js';
import { SpamChecksWorkerModule } from './responses/moderation/spam-checks.module.js';
import { ResponsesPubSub } from './responses/responses.pubsub.js';
import { UsersModule } from './users/users.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

export interface PlatformOptions {
  clock?: Clock;
  /** Which parts run; by default `config.role` decides. The CLI runs neither. */
  parts?: { api: boolean; workers: boolean };
  /** Sees every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
  /**
   * Mount Bull Board at /admin/queues (Redis backend only; default on). Jest's
   * module loader cannot load its dependencies, so in-process tests turn it
   * off and a process-level test covers it.
   */
  queueBoard?: boolean;
}

@Module({})
export class AppModule {
  /** The whole platform; `config.role` decides whether it serves the API, runs workers, or both. */
  static forRoot(config: RuntimeConfig, options: PlatformOptions = {}): DynamicModule {
    const servesApi = options.parts?.api ?? config.role !== 'worker';
    const runsWorkers = options.parts?.workers ?? config.role !== 'api';
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(options.clock),
        TypeOrmModule.forRoot(
          dataSourceOptions(config.databaseUrl, {
            onQuery: options.onQuery,
            // Each mail job holds a connection while its message goes out; the rest still need some.
            poolSize: runsWorkers ? Math.max(10, config.mail.concurrency + 4) : 10,
          }),
        ),
        BullModule.forRoot({ connection: queueConnection(config), prefix: config.queuePrefix }),
        MailModule.forRoot({
          worker: runsWorkers,
          devOutbox: servesApi && !config.isProduction && !config.smtpUrl,
        }),
        EventsModule,
        WebhooksModule.forRoot({ worker: runsWorkers }),
        AuditModule,
        AccountModule,
        UsersModule,
        AuthModule,
        EssaysModule,
        ResponsesModule,
        InterestModule,
        DemoModule,
        DigestsModule.forRoot({ worker: runsWorkers }),
        ...(runsWorkers ? [SpamChecksWorkerModule] : []),
        ...(servesApi ? [GraphqlApiModule.forRoot(config), HealthModule, PagesModule] : []),
      ],
      providers: servesApi
        ? [
            { provide: APP_GUARD, useExisting: ViewerGuard },
            { provide: APP_PIPE, useFactory: validationPipe },
            { provide: APP_FILTER, useClass: HttpErrorsFilter },
            {
              provide: AnonymousReadCache,
              inject: [APP_CONFIG, ResponsesPubSub],
              useFactory: (settings: RuntimeConfig, pubsub: ResponsesPubSub) =>
                new AnonymousReadCache({
                  ttlMs: settings.graphql.anonymousCacheTtlMs,
                  // Clears reach the other api instances the way live responses do.
                  engine: pubsub.engine,
                  channel: anonymousCacheChannel(settings.queuePrefix),
                }),
            },
            { provide: APP_INTERCEPTOR, useClass: InvalidateAnonymousCacheInterceptor },
          ]
        : [],
    };
  }
}
