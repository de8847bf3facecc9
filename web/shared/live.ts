import { createClient, type Client } from 'graphql-ws';
import { session } from './storage.js';

// One graphql-ws connection per page, opened on first use. The token goes in
// connectionParams (browsers cannot set headers on a WebSocket), read afresh on
// every (re)connection, so signing in or out takes effect after `restartLive()`.

let client: Client | null = null;
let connections = 0;
const reconnectListeners = new Set<() => void>();

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
    on: {
      // Events published while the socket was down are lost: listeners catch up.
      connected: () => {
        if (connections++ > 0) reconnectListeners.forEach((listener) => listener());
      },
    },
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

/** Calls `listener` after each reconnection; returns the function that stops it. */
export function onReconnected(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

/** Reconnects with the current session (after sign-in or sign-out). */
export function restartLive(): void {
  client?.terminate();
  client = null;
  connections = 0;
}
