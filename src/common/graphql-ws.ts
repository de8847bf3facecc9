import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { Disposable, ServerOptions } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import type { GraphQLContext } from './graphql-context.js';
import { formatErrorFor, operationLimitsOf } from './graphql.config.js';
import { limitError, limitExceeded, measureOperation } from './operation-limits.js';

export const GRAPHQL_PATH = '/graphql';

/**
 * GraphQL over WebSocket (graphql-ws) on /graphql, beside Apollo's HTTP
 * endpoint, held to the same limits.
 */
@Injectable()
export class GraphqlWsServer implements OnApplicationBootstrap, OnModuleDestroy {
  private server?: Disposable;
  private httpServer?: Server;
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    this.upgrade(request, socket, head);
  private readonly sockets = new WebSocketServer({ noServer: true });

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly schemaHost: GraphQLSchemaHost,
  ) {}

  onApplicationBootstrap(): void {
    const schema = this.schemaHost.schema;
    this.server = useServer(
      {
        schema,
        context: ({ connectionParams }): GraphQLContext => ({
          authorization: connectionAuthorization(connectionParams),
        }),
        ...graphqlWsHooks(this.config, () => schema),
      },
      this.sockets,
    );
    this.httpServer = this.adapterHost.httpAdapter.getHttpServer() as Server;
    this.httpServer.on('upgrade', this.onUpgrade);
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== GRAPHQL_PATH) {
      socket.destroy();
      return;
    }
    this.sockets.handleUpgrade(request, socket, head, (webSocket) =>
      this.sockets.emit('connection', webSocket, request),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.httpServer?.off('upgrade', this.onUpgrade);
    await this.server?.dispose();
  }
}

/** graphql-ws passes the client's connectionParams; the token travels there. */
function connectionAuthorization(params: Record<string, unknown> = {}): string | undefined {
  const value = params.authorization ?? params.Authorization;
  if (typeof value === 'string') return value;
  return typeof params.token === 'string' ? `Bearer ${params.token}` : undefined;
}

/**
 * graphql-ws runs operations outside Apollo, so it would skip Apollo's
 * plugins (the operation limits) and formatError (losing `extensions.code`):
 * parse, validate and measure each operation here, and format errors the
 * same way, both those in results and those that end a subscription.
 */
export function graphqlWsHooks(
  config: RuntimeConfig,
  schema: () => GraphQLSchema,
): Pick<ServerOptions, 'onSubscribe' | 'onNext' | 'onError'> {
  const formatError = formatErrorFor(config);
  const format = (error: GraphQLError) => formatError(error.toJSON(), error.originalError ?? error);
  const limits = operationLimitsOf(config);
  return {
    onSubscribe: (_context, _id, payload) => {
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        if (error instanceof GraphQLError) return [error];
        throw error;
      }
      const errors = validate(schema(), document, specifiedRules);
      if (errors.length > 0) return [...errors];
      const operation = getOperationAST(document, payload.operationName);
      if (operation) {
        const problem = limitExceeded(
          measureOperation(schema(), document, operation, payload.variables ?? undefined),
          limits,
        );
        if (problem) return [limitError(problem)];
      }
      return {
        schema: schema(),
        document,
        operationName: payload.operationName,
        variableValues: payload.variables,
      };
    },
    onNext: (_context, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map(format) } : result,
    onError: (_context, _id, _payload, errors) =>
      errors.map((error) =>
        error.originalError || Object.keys(error.extensions).length > 0
          ? format(error)
          : // Neither cause nor code: a plain GraphQL validation or syntax error.
            { ...error.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
      ),
  };
}
