import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  GraphQLError,
  printSchema,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Compiled = CompiledQuery | Awaited<ReturnType<GatewayExecutor>>;

/**
 * Runs Apollo's operations with graphql-jit: each parsed and validated
 * document (Apollo keeps them in its document store, so the same object
 * comes back for the same query) is compiled once into a function that
 * resolves exactly its fields; graphql-js would walk the document again on
 * every request. Measured on `bench:api`'s page, graphql-js's execution was a
 * tenth of the API's CPU.
 *
 * It plugs in through Apollo Server's gateway interface, whose executor
 * replaces graphql-js's `execute` after Apollo has parsed, validated and run
 * its plugins; the schema is the one Nest built (`capture`, from
 * `transformSchema`). Subscriptions do not pass here (graphql-ws).
 */
export class JitExecution {
  private schema?: GraphQLSchema;
  /** Per document, per operation name: compiled queries, or the errors compiling gave. */
  private readonly compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();

  /** Nest's `transformSchema`: keeps the schema it built, unchanged. */
  readonly capture = (schema: GraphQLSchema): GraphQLSchema => {
    this.schema = schema;
    return schema;
  };

  /** The gateway Apollo Server takes (`gateway` in its options). */
  readonly gateway: GatewayInterface = {
    onSchemaLoadOrUpdate: (callback) => {
      const schema = this.built();
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    load: () => Promise.resolve({ executor: this.execute }),
    stop: () => Promise.resolve(),
  };

  private readonly execute: GatewayExecutor = async (request) => {
    const { document, operation, operationName, context, schema } = request;
    const variables = request.request.variables ?? {};
    // graphql-js's coercion first, for its errors: Apollo answers them with
    // 400 BAD_USER_INPUT by the variable definitions they name.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { errors: coerced.errors };
    const query = this.compile(document, operationName);
    if (!isCompiledQuery(query)) return { errors: query.errors?.map(upstreamError) };
    const result = await query.query(undefined, context, variables);
    return result.errors ? { ...result, errors: result.errors.map(upstreamError) } : result;
  };

  private compile(document: DocumentNode, operationName: string | null): Compiled {
    let byName = this.compiled.get(document);
    if (!byName) this.compiled.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let query = byName.get(key);
    if (!query) {
      query = compileQuery(this.built(), document, operationName ?? undefined);
      byName.set(key, query);
    }
    return query;
  }

  private built(): GraphQLSchema {
    if (!this.schema) throw new Error('the GraphQL schema was not built before Apollo started');
    return this.schema;
  }
}

/**
 * graphql-jit's errors as graphql-js's own: Apollo's error formatting reads
 * `extensions` as graphql-js always sets it, and finds a resolver's error
 * through `originalError`.
 */
function upstreamError(error: GraphQLError | GraphQLFormattedError): GraphQLError {
  const jitError = error as Partial<GraphQLError>;
  const upstream = new GraphQLError(error.message, {
    path: error.path,
    originalError: jitError.originalError ?? undefined,
    extensions: error.extensions,
  });
  if (error.locations) Object.assign(upstream, { locations: error.locations });
  return upstream;
}
