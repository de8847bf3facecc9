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
    /** The session the request was sent with. */
    readonly token: string | null = null,
  ) {
    super(message);
  }
}

export const endpoint = '/graphql';

/** Called when the API no longer accepts the stored session (it is then forgotten). */
export const onSessionLost: { handler: () => void } = { handler: () => undefined };

/** Sends `query`; `T` and `V` are its result and variables as generated (graphql-types.ts). */
export async function request<T, V extends object = Record<string, never>>(
  query: string,
  variables?: V,
): Promise<T> {
  try {
    return await send<T>(query, variables, session.token());
  } catch (error) {
    // An expired or revoked session: forget it (unless another tab has just stored
    // a new one) and ask again as an anonymous reader.
    const token = session.token();
    if (!(error instanceof RequestFailed) || error.code !== 'UNAUTHENTICATED' || !token)
      throw error;
    if (error.token === token) {
      session.clear();
      onSessionLost.handler();
    }
    return send<T>(query, variables, session.token());
  }
}

async function send<T>(
  query: string,
  variables: object | undefined,
  token: string | null,
): Promise<T> {
  if (!navigator.onLine) throw new RequestFailed('OFFLINE', 'offline');
  let answer: Response;
  try {
    answer = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables: variables ?? {} }),
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
      token,
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
