import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const MIB = 1024 * 1024;

interface Outcome {
  result?: FormattedExecutionResult<Record<string, unknown>, unknown>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Runs one operation over `client` and resolves with its result or its errors. */
function run(client: Client, query: string, variables?: Record<string, unknown>): Promise<Outcome> {
  return new Promise((resolve) => {
    let result: FormattedExecutionResult<Record<string, unknown>, unknown> | undefined;
    client.subscribe(
      { query, variables },
      {
        next: (value) => {
          result = value;
        },
        error: (error) =>
          resolve({ errors: (Array.isArray(error) ? error : [error]) as Outcome['errors'] }),
        complete: () => resolve({ result }),
      },
    );
  });
}

/** A raw graphql-transport-ws connection, past connection_init. */
async function rawConnection(app: TestApp): Promise<WebSocket> {
  const socket = new WebSocket(`${app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.once('message', (data) => {
      expect(JSON.parse(String(data))).toEqual({ type: 'connection_ack' });
      resolve();
    });
  });
  return socket;
}

describe('graphql-ws is held to the limits of HTTP', () => {
  let app: TestApp;
  let author: GivenUser;
  let promptId: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    author = await given(app).author();
    promptId = (await given(app).publishedEssay(author)).prompts[0]!.id;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });
  afterAll(() => app.close());

  function connect(user?: GivenUser): Client {
    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: user ? { authorization: `Bearer ${user.token}` } : undefined,
      retryAttempts: 0,
      lazy: false,
    });
    clients.push(client);
    return client;
  }

  it('closes the connection (1009) on a message over 2 MiB, without reading it', async () => {
    const socket = await rawConnection(app);
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    // Not even JSON: had the server parsed it, it would close with 4400 (invalid message).
    socket.send('x'.repeat(2 * MIB + 1));
    expect(await closed).toBe(1009);
  });

  it('answers a message just under 2 MiB', async () => {
    const socket = await rawConnection(app);
    const padding = '#'.padEnd(2 * MIB - 200, 'x');
    const answered = new Promise<unknown>((resolve) =>
      socket.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
    socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: `{ __typename }\n${padding}` },
      }),
    );
    expect(await answered).toEqual({
      id: '1',
      type: 'next',
      payload: { data: { __typename: 'Query' } },
    });
    socket.close();
  });

  it('runs at most 21 operations per connection at once (a page: 20 open prompts and its removals)', async () => {
    const client = connect();
    const subscription = `subscription($promptId: ID!) { responseAdded(promptId: $promptId) { id } }`;
    const ended: Outcome[] = [];
    const stops = Array.from({ length: 21 }, () =>
      client.subscribe(
        { query: subscription, variables: { promptId } },
        {
          next: () => {},
          error: (error) => ended.push({ errors: [error as never] }),
          complete: () => {},
        },
      ),
    );
    const refused = await run(client, subscription, { promptId });
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('at most 21 operations at once'),
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    // A query is an operation too; once one subscription ends there is room again.
    expect((await run(client, '{ __typename }')).errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
    });
    stops[0]!();
    expect(await run(client, '{ __typename }')).toEqual({
      result: { data: { __typename: 'Query' } },
    });
    expect(ended).toEqual([]);
  });

  it('applies the depth, node and alias limits', async () => {
    const client = connect(author);
    const tooMany = `{ reviewQueue(first: 100) { edges { node { replies(first: 100) { edges { node { id } } } } } } }`;
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    let deep = 'id';
    for (let i = 0; i < 8; i += 1) deep = i % 2 === 0 ? `essay { ${deep} }` : `prompts { ${deep} }`;
    const depth = `{ essays(first: 1) { edges { node { ${deep} } } } }`;
    for (const [query, message] of [
      [tooMany, /fetch 10100 nodes; the limit is 10000/],
      [aliases, /31 aliases; the limit is 30/],
      [depth, /depth limit of 10/],
    ] as const) {
      const outcome = await run(client, query);
      expect(outcome.result).toBeUndefined();
      expect(outcome.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(message),
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ]);
    }
    // Under the limits, with `first` in variables counted the same way.
    const fine = await run(
      client,
      `query($n: Int) { reviewQueue(first: $n) { edges { node { id } } } }`,
      { n: 100 },
    );
    expect(fine.result?.errors).toBeUndefined();
    expect(fine.result?.data).toEqual({ reviewQueue: { edges: [] } });
  });
});
