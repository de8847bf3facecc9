import {
  Inject,
  Injectable,
  Logger,
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
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { Disposable, ServerOptions } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import { APP_CONFIG } from '../../config/config.module.js';
import type { RuntimeConfig } from '../../config/runtime.js';
import { clientAddress, proxyTrust } from '../client-address.js';
import type { GraphQLContext } from '../graphql-context.js';
import { RequestLoaders } from '../loaders.js';
import { formatErrorFor, operationLimitsOf } from './graphql.config.js';
import {
  badBytes,
  BODY_LIMIT_BYTES,
  limitError,
  limitExceeded,
  measureOperation,
} from './operation-limits.js';

export const GRAPHQL_PATH = '/graphql';
/**
 * Operations (subscriptions, mostly) one connection may have running at once:
 * a conversation page runs one per open prompt (an essay has at most 20) and
 * one for the responses it takes out.
 */
export const MAX_OPERATIONS_PER_CONNECTION = 21;

/**
 * GraphQL over WebSocket (graphql-ws) on /graphql, beside Apollo's HTTP
 * endpoint, held to the same limits: a message over the HTTP body limit
 * closes the connection (1009) before it is read, each connection runs at
 * most MAX_OPERATIONS_PER_CONNECTION operations at once, and operations see
 * the client's address as HTTP requests do (through TRUST_PROXY), so rate
 * limits count each client apart.
 */
@Injectable()
export class GraphqlWsServer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('GraphQL');
  private server?: Disposable;
  private httpServer?: Server;
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) =>
    this.upgrade(request, socket, head);
  private readonly sockets = new WebSocketServer({ noServer: true, maxPayload: BODY_LIMIT_BYTES });

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly schemaHost: GraphQLSchemaHost,
  ) {}

  onApplicationBootstrap(): void {
    const trust = proxyTrust(this.config.trustProxy);
    this.server = useServer(
      {
        schema: this.schemaHost.schema,
        context: ({ connectionParams, extra }): GraphQLContext => ({
          authorization: connectionAuthorization(connectionParams),
          clientIp: clientAddress(extra.request, trust),
          loaders: new RequestLoaders(),
        }),
        ...graphqlWsHooks(this.config, this.schemaHost.schema),
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
    this.sockets.handleUpgrade(request, socket, head, (webSocket) => {
      this.sockets.emit('connection', webSocket, request);
      // graphql-ws logs any socket error with console.error and a stack trace,
      // though most (a message over maxPayload, a bad frame) are the client's
      // doing and ws has already closed the socket with the right code.
      webSocket.removeAllListeners('error');
      webSocket.on('error', (error) => {
        this.logger.warn(`graphql-ws connection closed: ${error.message}`);
        if (webSocket.readyState === WebSocket.OPEN) webSocket.close(1011, 'Internal server error');
      });
    });
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
function graphqlWsHooks(
  config: RuntimeConfig,
  schema: GraphQLSchema,
): Pick<ServerOptions, 'onSubscribe' | 'onNext' | 'onError'> {
  const formatError = formatErrorFor(config);
  const format = (error: GraphQLError) => formatError(error.toJSON(), error.originalError ?? error);
  const limits = operationLimitsOf(config);
  // As over HTTP (Apollo's `introspection: false`), production hides the schema.
  const rules = config.isProduction
    ? [...specifiedRules, NoSchemaIntrospectionCustomRule]
    : specifiedRules;
  return {
    onSubscribe: (context, _id, payload) => {
      // The operation being subscribed is already among them.
      if (Object.keys(context.subscriptions).length > MAX_OPERATIONS_PER_CONNECTION) {
        return [
          limitError(
            `A connection may run at most ${MAX_OPERATIONS_PER_CONNECTION} operations at once; complete one first.`,
          ),
        ];
      }
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        if (error instanceof GraphQLError) return [error];
        throw error;
      }
      const errors = validate(schema, document, rules);
      if (errors.length > 0) return [...errors];
      const operation = getOperationAST(document, payload.operationName);
      if (operation) {
        const problem =
          badBytes(document, payload.variables) ??
          limitExceeded(
            measureOperation(schema, document, operation, payload.variables ?? undefined),
            limits,
          );
        if (problem) return [limitError(problem)];
      }
      return {
        schema: schema,
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
            formatError(
              { ...error.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
              error,
            ),
      ),
  };
}
