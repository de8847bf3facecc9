import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError, type ValidationContext } from 'graphql';
import type { RuntimeConfig } from '../config/runtime.js';
import { DomainError } from './errors.js';

const logger = new Logger('GraphQL');
const LIMIT_REJECTED = 'LIMIT_REJECTED';

/** Depth and cost limits: an operation over one is refused as BAD_USER_INPUT with the reason. */
export function operationLimits(config: RuntimeConfig) {
  const reject = (context: ValidationContext | null, error: GraphQLError) => {
    context?.reportError(
      new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
        extensions: { [LIMIT_REJECTED]: true },
      }),
    );
  };
  return [
    maxDepthRule({ n: config.graphql.maxDepth, onReject: [reject], propagateOnRejection: false }),
    costLimitRule({
      maxCost: config.graphql.maxCost,
      onReject: [reject],
      propagateOnRejection: false,
    }),
  ];
}

/**
 * Apollo's built-ins this API does not use, turned off: cache control would
 * wrap every field resolver to collect hints nothing reads, and usage
 * reporting would send operations to Apollo's cloud if APOLLO_KEY were set.
 */
export function apolloPlugins(): ApolloServerPlugin[] {
  return [ApolloServerPluginCacheControlDisabled(), ApolloServerPluginUsageReportingDisabled()];
}

/**
 * The one place errors become GraphQL errors: domain errors keep their code
 * and message; anything unexpected is logged and, in production, hidden.
 */
export function formatErrorFor(
  config: RuntimeConfig,
): NonNullable<ApolloDriverConfig['formatError']> {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { ...original.details, code: original.code },
      };
    }
    const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    if (
      formatted.extensions?.[LIMIT_REJECTED] ||
      (original instanceof GraphQLError && original.extensions?.[LIMIT_REJECTED])
    ) {
      return {
        message: formatted.message,
        locations: formatted.locations,
        extensions: { code: 'BAD_USER_INPUT' },
      };
    }
    if (code === 'INTERNAL_SERVER_ERROR') {
      logger.error(
        original instanceof Error ? (original.stack ?? original.message) : String(original),
      );
      if (config.isProduction) {
        return { message: 'Internal server error', path: formatted.path, extensions: { code } };
      }
    }
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions: { ...extensions, code } };
  };
}
