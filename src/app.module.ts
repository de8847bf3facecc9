import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from './auth/auth.module.js';
import { ViewerGuard } from './auth/viewer.guard.js';
import { Clock } from './common/clock.js';
import { CommonModule } from './common/common.module.js';
import type { GraphQLContext } from './common/graphql-context.js';
import { formatErrorFor, operationLimits } from './common/graphql.config.js';
import { validationPipe } from './common/validation.js';
import { ConfigModule } from './config/config.module.js';
import type { RuntimeConfig } from './config/runtime.js';
import { dataSourceOptions } from './database/data-source.js';
import { DigestsEventsModule } from './digests/digests-events.module.js';
import { EssaysModule } from './essays/essays.module.js';
import { HealthModule } from './health/health.module.js';
import { MailModule } from './mail/mail.module.js';
import { queueConnection } from './queue/queue.config.js';
import { UsersModule } from './users/users.module.js';

export interface PlatformOptions {
  clock?: Clock;
  /** Which parts run; by default `config.role` decides. The CLI runs neither. */
  parts?: { api: boolean; workers: boolean };
}

interface FastifyLikeRequest {
  id?: string;
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
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
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl)),
        BullModule.forRoot({ connection: queueConnection(config), prefix: config.queuePrefix }),
        MailModule.forRoot({ worker: runsWorkers }),
        DigestsEventsModule,
        UsersModule,
        AuthModule,
        EssaysModule,
        ...(servesApi ? [graphqlModule(config), HealthModule] : []),
      ],
      providers: servesApi
        ? [
            { provide: APP_GUARD, useExisting: ViewerGuard },
            { provide: APP_PIPE, useFactory: validationPipe },
          ]
        : [],
    };
  }
}

function graphqlModule(config: RuntimeConfig): DynamicModule {
  return GraphQLModule.forRoot<ApolloDriverConfig>({
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    graphiql: !config.isProduction,
    introspection: !config.isProduction,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    validationRules: operationLimits(config),
    formatError: formatErrorFor(config),
    context: (request: FastifyLikeRequest): GraphQLContext => ({
      authorization: headerValue(request.headers.authorization),
      requestId: request.id,
      clientIp: request.ip,
    }),
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
