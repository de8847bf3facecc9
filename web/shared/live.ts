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

/**
 * Calls `onData` for each result; returns the function that stops listening.
 * A subscription the server ends with an error is asked for again a few seconds
 * later (and listeners catch up on what they missed).
 */
export function subscribe<T, V extends Record<string, unknown>>(
  query: string,
  variables: V,
  onData: (data: T) => void,
): () => void {
  let stop: () => void = () => undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const start = (attempt: number) => {
    stop = live().subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.data) onData(result.data as T);
        },
        error: () => {
          if (stopped || attempt >= 20) return;
          retry = setTimeout(() => {
            start(attempt + 1);
            reconnectListeners.forEach((listener) => listener());
          }, 3000);
        },
        complete: () => undefined,
      },
    );
  };
  start(0);
  return () => {
    stopped = true;
    clearTimeout(retry);
    stop();
  };
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
