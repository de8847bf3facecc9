import { request } from 'node:http';
import type { GraphQLResult, TestApp } from './app.js';

let sequence = 0;

/**
 * A loopback address no other test uses (Linux routes all of 127.0.0.0/8 to
 * loopback), so a test can speak as a client of its own without a proxy.
 */
export function newClientAddress(): string {
  sequence += 1;
  return `127.${20 + (process.pid % 200)}.${Math.floor(sequence / 250)}.${(sequence % 250) + 2}`;
}

/** GraphQL over HTTP from a given client address: the app sees it as the request's IP. */
export function clientAt(app: TestApp, localAddress = newClientAddress()) {
  const { port } = new URL(app.url);
  return {
    address: localAddress,
    gql<T = Record<string, any>>(
      query: string,
      variables?: Record<string, unknown>,
      token?: string,
    ): Promise<GraphQLResult<T>> {
      const body = JSON.stringify({ query, variables });
      return new Promise((resolve, reject) => {
        const outgoing = request(
          {
            host: '127.0.0.1',
            port: Number(port),
            path: '/graphql',
            method: 'POST',
            localAddress,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => {
              try {
                resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLResult<T>);
              } catch (error) {
                reject(error as Error);
              }
            });
            response.on('error', reject);
          },
        );
        outgoing.on('error', reject);
        outgoing.end(body);
      });
    },
  };
}
