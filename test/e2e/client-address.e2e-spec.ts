import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';

/**
 * TRUST_PROXY=1: one proxy in front, which appends the address it saw to
 * X-Forwarded-For. Whatever a client writes to the left of that is its own
 * invention, and must not buy it a fresh allowance.
 */
describe('the client address behind one proxy (TRUST_PROXY=1)', () => {
  let app: TestApp;
  let counter = 0;
  const clients: Client[] = [];

  beforeAll(async () => {
    app = await startTestApp({ env: { TRUST_PROXY: '1', RATE_SIGN_IN_PER_CLIENT_HOUR: '3' } });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await app.close();
  });

  const signInRequest = () =>
    `mutation { requestSignIn(email: "someone${(counter += 1)}@example.test") }`;

  async function overHttp(forwardedFor: string): Promise<GraphQLResult> {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ query: signInRequest() }),
    });
    return (await response.json()) as GraphQLResult;
  }

  /** A graphql-ws client whose upgrade request came through the proxy for `forwardedFor`. */
  function overWebSocket(forwardedFor: string): () => Promise<GraphQLResult> {
    class ThroughProxy extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { 'x-forwarded-for': forwardedFor } });
      }
    }
    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: ThroughProxy,
      retryAttempts: 0,
    });
    clients.push(client);
    return () =>
      new Promise((resolve) => {
        let result: GraphQLResult = {};
        client.subscribe(
          { query: signInRequest() },
          {
            next: (value) => {
              result = value as GraphQLResult;
            },
            error: (error) => resolve({ errors: [error as never] }),
            complete: () => resolve(result),
          },
        );
      });
  }

  const answer = (result: GraphQLResult) =>
    result.errors?.[0]?.extensions?.code ?? result.data?.requestSignIn;

  it('counts a client by the address its proxy saw, whatever it writes to the left', async () => {
    const answers = [];
    for (const invented of ['1.1.1.1', '2.2.2.2, 3.3.3.3', 'nonsense', '203.0.113.99']) {
      answers.push(answer(await overHttp(`${invented}, 203.0.113.7`)));
    }
    expect(answers).toEqual([true, true, true, 'RATE_LIMITED']);
    // Another client behind the same proxy has an allowance of its own.
    expect(answer(await overHttp('203.0.113.7, 198.51.100.20'))).toBe(true);
  });

  it('counts operations over graphql-ws by the address of their upgrade request', async () => {
    const first = overWebSocket('192.0.2.10');
    const again = overWebSocket('6.6.6.6, 192.0.2.10');
    const other = overWebSocket('192.0.2.11');
    expect([answer(await first()), answer(await first()), answer(await again())]).toEqual([
      true,
      true,
      true,
    ]);
    expect(answer(await again())).toBe('RATE_LIMITED');
    // Not one shared key for every socket: a second client is still welcome, …
    expect(answer(await other())).toBe(true);
    // … and HTTP and WebSocket count the same client together.
    expect(answer(await overHttp('192.0.2.11'))).toBe(true);
    expect(answer(await overHttp('192.0.2.11'))).toBe(true);
    expect(answer(await other())).toBe('RATE_LIMITED');
  });
});
