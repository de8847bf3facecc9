import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';

describe('with NODE_ENV=production', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => app.close());

  it('refuses introspection', async () => {
    const result = await app.gql(`{ __schema { queryType { name } } }`);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
    expect(JSON.stringify(result)).not.toMatch(/stacktrace/);
  });

  it('refuses introspection over graphql-ws too', async () => {
    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      for (const query of [
        `{ __schema { queryType { name } } }`,
        `{ __type(name: "User") { name } }`,
      ]) {
        const result = await new Promise<GraphQLResult>((resolve) => {
          let last: GraphQLResult = {};
          client.subscribe(
            { query },
            {
              next: (value) => {
                last = value as GraphQLResult;
              },
              error: (error) => resolve({ errors: error as GraphQLResult['errors'] }),
              complete: () => resolve(last),
            },
          );
        });
        expect(result.data ?? null).toBeNull();
        expect(result.errors?.[0]?.message).toMatch(/introspection/i);
      }
    } finally {
      await client.dispose();
    }
  });

  it('serves no GraphiQL page', async () => {
    const response = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/graphiql/i);
  });

  it('still answers ordinary queries', async () => {
    expect(await app.gqlOk(`{ me { id } }`)).toEqual({ me: null });
  });

  describe('errors suggest no names from the schema', () => {
    // Three entries each: it.each would take a missing third argument for `done`.
    const mistakes: [string, string, Record<string, unknown>][] = [
      ['an unknown field', '{ essays { edges { node { titel } } } }', {}],
      ['an unknown argument', '{ essays(frist: 1) { edges { cursor } } }', {}],
      ['an unknown type', 'query($slug: Strin!) { essay(slug: $slug) { id } }', { slug: 'x' }],
      ['an unknown enum literal', '{ essays(status: PUBLISHD) { edges { cursor } } }', {}],
      ['an unknown input field', 'mutation { subscribe(input: { emial: "a@example.test" }) }', {}],
      [
        'an unknown enum value in variables',
        'query($status: EssayStatus) { essays(status: $status) { edges { cursor } } }',
        { status: 'PUBLISHD' },
      ],
      [
        'an unknown field in an input variable',
        'mutation($input: SubscribeInput!) { subscribe(input: $input) }',
        { input: { email: 'a@example.test', timezon: 'UTC' } },
      ],
    ];

    function expectNoSuggestions(result: GraphQLResult): void {
      expect(result.errors?.length).toBeGreaterThan(0);
      for (const error of result.errors ?? []) {
        expect(error.message).not.toMatch(/did you mean/i);
        for (const name of ['title', 'first', 'String', 'PUBLISHED', 'email', 'timezone']) {
          expect(error.message).not.toContain(`"${name}"`);
        }
      }
    }

    it.each(mistakes)('over HTTP: %s', async (_what, query, variables) => {
      expectNoSuggestions(await app.gql(query, variables));
    });

    it('over graphql-ws too', async () => {
      const client = createClient({
        url: `${app.url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
      });
      try {
        for (const [, query, variables] of mistakes) {
          const result = await new Promise<GraphQLResult>((resolve) => {
            let last: GraphQLResult = {};
            client.subscribe(
              { query, variables },
              {
                next: (value) => {
                  last = value as GraphQLResult;
                },
                error: (error) => resolve({ errors: error as GraphQLResult['errors'] }),
                complete: () => resolve(last),
              },
            );
          });
          expectNoSuggestions(result);
        }
      } finally {
        await client.dispose();
      }
    });
  });
});
