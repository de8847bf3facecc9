import { createClient, type Client } from 'graphql-ws';
import { session } from './storage.js';

// One graphql-ws connection per page, opened on first use. The token goes in
// connectionParams (browsers cannot set headers on a WebSocket), read afresh on
// every (re)connection, so signing in or out takes effect after `restartLive()`.

let client: Client | null = null;

function live(): Client {
  client ??= createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    connectionParams: () => {
      const token = session.token();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
  });
  return client;
}

/** Calls `onData` for each result; returns the function that stops listening. */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
): () => void {
  return live().subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.data) onData(result.data as T);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
}

/** Reconnects with the current session (after sign-in or sign-out). */
export function restartLive(): void {
  client?.terminate();
  client = null;
}
