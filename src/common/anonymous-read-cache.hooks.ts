import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Kind, parse, type OperationTypeNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { AnonymousReadCache } from './anonymous-read-cache.js';

/** Longer documents are not worth a cache key. */
const MAX_QUERY_LENGTH = 10_000;

const PENDING = Symbol('anonymousReadCache');

interface PendingRead {
  key: string;
  generation: number;
}

type CacheableRequest = FastifyRequest & { [PENDING]?: PendingRead };

/**
 * Serves repeated anonymous GraphQL queries from `cache` before Apollo runs,
 * and stores the error-free answers to the ones it had to run. A request is
 * cacheable only when it carries no Authorization header at all (so its
 * viewer is nobody and it sees public data only), is a JSON POST to `path`,
 * and its operation is a query. The key is the query text, operation name,
 * variables and the Accept header (which picks the response's content type).
 */
export function serveAnonymousReadsFromCache(
  fastify: FastifyInstance,
  cache: AnonymousReadCache,
  path = '/graphql',
): void {
  if (!cache.enabled) return;
  const operationKinds = new LRUCache<string, OperationTypeNode | 'none'>({ max: 1000 });
  const operationKind = (query: string, operationName: string | undefined) => {
    const memo = `${operationName ?? ''}\n${query}`;
    let kind = operationKinds.get(memo);
    if (kind === undefined) {
      kind = parseOperationKind(query, operationName);
      operationKinds.set(memo, kind);
    }
    return kind;
  };

  fastify.addHook('preHandler', async (request: CacheableRequest, reply: FastifyReply) => {
    if (request.method !== 'POST' || request.routeOptions.url !== path) return;
    if (request.headers.authorization !== undefined) return;
    if (!request.headers['content-type']?.startsWith('application/json')) return;
    const body = request.body as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || Array.isArray(body) || body.extensions) return;
    const { query, operationName, variables } = body;
    if (typeof query !== 'string' || query.length > MAX_QUERY_LENGTH) return;
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
      return;
    if (operationKind(query, operationName ?? undefined) !== 'query') return;

    const key = JSON.stringify([
      query,
      operationName ?? null,
      variables ?? null,
      request.headers.accept ?? '',
    ]);
    const hit = cache.get(key);
    if (hit) {
      void reply.header('content-type', hit.contentType).header('x-cache', 'HIT');
      return reply.send(hit.payload);
    }
    request[PENDING] = { key, generation: cache.generation };
    void reply.header('x-cache', 'MISS');
  });

  fastify.addHook('onSend', async (request: CacheableRequest, reply, payload) => {
    const pending = request[PENDING];
    if (!pending || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const contentType = String(reply.getHeader('content-type') ?? '');
    if (!/^application\/(graphql-response\+)?json/.test(contentType)) return payload;
    if (hasErrors(payload)) return payload;
    cache.set(pending.key, pending.generation, { payload, contentType });
    return payload;
  });
}

/** The kind of operation a request runs, or 'none' when Apollo would refuse the document. */
function parseOperationKind(
  query: string,
  operationName: string | undefined,
): OperationTypeNode | 'none' {
  try {
    const operations = parse(query, { noLocation: true }).definitions.filter(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    const operation = operationName
      ? operations.find((definition) => definition.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
    return operation?.operation ?? 'none';
  } catch {
    return 'none';
  }
}

/** Errors (NOT_FOUND, a failed resolver) may be passing: they are not kept. */
function hasErrors(payload: string): boolean {
  try {
    return (JSON.parse(payload) as { errors?: unknown }).errors !== undefined;
  } catch {
    return true;
  }
}
