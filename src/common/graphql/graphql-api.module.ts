import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { RuntimeConfig } from '../../config/runtime.js';
import type { GraphQLContext } from '../graphql-context.js';
import { RequestLoaders } from '../loaders.js';
import { GraphiqlModule, graphiqlLandingPage } from './graphiql.js';
import { apolloPlugins, formatErrorFor } from './graphql.config.js';
import { GRAPHQL_PATH, GraphqlWsServer } from './graphql-ws.js';
import { JitExecution } from './jit-executor.js';

interface FastifyLikeRequest {
  id?: string;
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The GraphQL API: Apollo over HTTP on /graphql, graphql-ws on the same path,
 * and GraphiQL outside production. Each operation gets a context of its own
 * with a fresh set of loaders; the resolvers come from the feature modules.
 */
@Module({})
export class GraphqlApiModule {
  static forRoot(config: RuntimeConfig): DynamicModule {
    return {
      module: GraphqlApiModule,
      imports: [apollo(config), ...(config.isProduction ? [] : [GraphiqlModule])],
      providers: [GraphqlWsServer],
    };
  }
}

function apollo(config: RuntimeConfig): DynamicModule {
  const jit = new JitExecution();
  // Nest hands its options to Apollo Server as they are; its type leaves out `gateway`.
  return GraphQLModule.forRoot<
    ApolloDriverConfig & Pick<ApolloServerOptionsWithGateway<BaseContext>, 'gateway'>
  >({
    driver: ApolloDriver,
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    transformSchema: jit.capture,
    gateway: jit.gateway,
    graphiql: false, // served from our own dependencies instead (graphiql.ts)
    introspection: !config.isProduction,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError: formatErrorFor(config),
    plugins: [
      ...apolloPlugins(config),
      ...(config.isProduction ? [] : [graphiqlLandingPage(GRAPHQL_PATH)]),
    ],
    // Subscriptions: GraphqlWsServer, on the same path.
    context: (request: FastifyLikeRequest): GraphQLContext => ({
      authorization: headerValue(request.headers.authorization),
      requestId: request.id,
      clientIp: request.ip,
      loaders: new RequestLoaders(),
    }),
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
