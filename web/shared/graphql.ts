import { session } from './storage.js';

// A small GraphQL client: one POST per operation to /graphql on this document's
// origin. The JSON content type is not a "simple" request, which is what Apollo's
// CSRF prevention asks for; the session travels as a Bearer header, never a cookie,
// so no other site can make requests with it.

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; retryAfterSeconds?: number; field?: string };
}

/** An operation that failed: `code` is the API's `extensions.code`, or OFFLINE / NETWORK. */
export class RequestFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const endpoint = '/graphql';

export async function request<T>(query: string, variables: object = {}): Promise<T> {
  if (!navigator.onLine) throw new RequestFailed('OFFLINE', 'offline');
  const token = session.token();
  let answer: Response;
  try {
    answer = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new RequestFailed(navigator.onLine ? 'NETWORK' : 'OFFLINE', 'unreachable');
  }
  let body: { data?: T | null; errors?: GraphQLErrorShape[] };
  try {
    body = await answer.json();
  } catch {
    throw new RequestFailed('NETWORK', `HTTP ${answer.status}`);
  }
  const error = body.errors?.[0];
  if (error) {
    throw new RequestFailed(
      error.extensions?.code ?? 'INTERNAL_SERVER_ERROR',
      error.message,
      error.extensions?.retryAfterSeconds,
    );
  }
  if (!body.data) throw new RequestFailed('NETWORK', `HTTP ${answer.status}`);
  return body.data;
}

/** What went wrong, in words a reader can act on. */
export function describeError(error: unknown): string {
  if (!(error instanceof RequestFailed)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'OFFLINE':
      return 'You are offline. Nothing was lost: try again when you are back online.';
    case 'NETWORK':
      return 'Could not reach the server. Check your connection and try again.';
    case 'RATE_LIMITED': {
      const seconds = error.retryAfterSeconds ?? 60;
      return `Too many tries. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
    }
    case 'UNAUTHENTICATED':
      return 'Please sign in first.';
    case 'BAD_USER_INPUT':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'CONFLICT':
      // The API's own messages are written for people ("Code is wrong or expired.").
      return error.message;
    default:
      return 'Something went wrong on our side. Please try again in a moment.';
  }
}
