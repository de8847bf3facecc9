import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { RuntimeConfig } from '../../config/runtime.js';
import { DomainError } from '../errors.js';
import {
  badBytes,
  LIMIT_REJECTED,
  limitError,
  limitExceeded,
  measureOperation,
  type OperationLimits,
} from './operation-limits.js';

const logger = new Logger('GraphQL');

export function operationLimitsOf(config: RuntimeConfig): OperationLimits {
  return { maxDepth: config.graphql.maxDepth, maxNodes: config.graphql.maxCost };
}

/**
 * Refuses an operation over a limit, or with bad bytes, once Apollo has
 * resolved it, before it runs: validation rules cannot see the variables, and
 * `first: $n` counts.
 */
function operationLimitsPlugin(limits: OperationLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const problem =
            badBytes(document, request.variables) ??
            limitExceeded(measureOperation(schema, document, operation, request.variables), limits);
          if (problem) throw limitError(problem);
        },
      };
    },
  };
}

/**
 * Apollo's built-ins this API does not use, turned off: cache control would
 * wrap every field resolver to collect hints nothing reads, and usage
 * reporting would send operations to Apollo's cloud if APOLLO_KEY were set.
 * Then the operation limits.
 */
export function apolloPlugins(config: RuntimeConfig): ApolloServerPlugin[] {
  return [
    ApolloServerPluginCacheControlDisabled(),
    ApolloServerPluginUsageReportingDisabled(),
    operationLimitsPlugin(operationLimitsOf(config)),
  ];
}

/**
 * The one place errors become GraphQL errors: domain errors keep their code
 * and message; anything unexpected is logged and, in production, hidden, as
 * are suggestions of schema names.
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
        extensions: {
          code: 'BAD_USER_INPUT',
          ...(refusedField(formatted, original)
            ? { field: refusedField(formatted, original) }
            : {}),
        },
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
    const message = config.isProduction ? withoutSuggestions(formatted.message) : formatted.message;
    return { ...formatted, message, extensions: { ...extensions, code } };
  };
}

/**
 * graphql-js suggests names it knows (`Did you mean "email"?`) in validation
 * and variable errors: in production that would hand out the schema that
 * introspection is off to keep.
 */
function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean .*\?$/s, '');
}

/** The argument an operation refusal names (operation-limits' Refusal), if any. */
function refusedField(formatted: GraphQLFormattedError, original: unknown): string | undefined {
  const field =
    formatted.extensions?.field ??
    (original instanceof GraphQLError ? original.extensions?.field : undefined);
  return typeof field === 'string' ? field : undefined;
}
