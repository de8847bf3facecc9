import { createClient, type Client } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { createPlatform, type Platform } from '../../src/platform.js';
import { ResponseEntity } from '../../src/responses/response.entity.js';
import { ResponsesPubSub } from '../../src/responses/responses.pubsub.js';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const RESPONSE_ADDED = `subscription($promptId: ID!) {
  responseAdded(promptId: $promptId) {
    id body visibility author { displayName } parent { id replyCount }
    reviewStatus reviewNote labels reviewedAt edits { body }
  }
}`;

interface Pushed {
  id: string;
  body: string | null;
  visibility: 'PUBLIC' | 'PRIVATE';
  author: { displayName: string };
  parent: { id: string; replyCount: number } | null;
  reviewStatus: string | null;
  reviewNote: string | null;
  labels: string[] | null;
  reviewedAt: string | null;
  edits: { body: string }[] | null;
}

/** An api instance a subscriber can connect to: the test app, or a second one. */
interface Api {
  url: string;
  platform: Platform;
}

const WAIT_MS = 10_000;

/**
 * A live subscriber to one prompt: a real graphql-ws client over a real
 * socket. It keeps what it was sent, in order.
 */
class Subscriber {
  readonly pushed: Pushed[] = [];
  readonly errors: { message: string; extensions?: Record<string, unknown> }[] = [];
  private readonly client: Client;
  private readonly stop: () => void;
  private ended = false;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly api: Api,
    promptId: string,
    private readonly warmUp: ResponseEntity,
    user?: GivenUser,
    authorization = user ? `Bearer ${user.token}` : undefined,
  ) {
    this.client = createClient({
      url: `${api.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: authorization ? { authorization } : undefined,
      retryAttempts: 0,
      lazy: false,
    });
    this.stop = this.client.subscribe<{ responseAdded: Pushed }>(
      { query: RESPONSE_ADDED, variables: { promptId } },
      {
        next: (result) => {
          if (result.errors?.length) this.errors.push(...(result.errors as Subscriber['errors']));
          if (result.data?.responseAdded) this.pushed.push(result.data.responseAdded);
          this.wake();
        },
        error: (error) => {
          const list = Array.isArray(error) ? error : [{ message: String(error) }];
          this.errors.push(...(list as Subscriber['errors']));
          this.ended = true;
          this.wake();
        },
        complete: () => {
          this.ended = true;
          this.wake();
        },
      },
    );
  }

  /** Ids of the responses it was sent, the warm-up left out. */
  ids(): string[] {
    return this.pushed.map((p) => p.id).filter((id) => id !== this.warmUp.id);
  }

  /** What it was sent about one response. */
  get(id: string): Pushed | undefined {
    return this.pushed.find((p) => p.id === id);
  }

  /**
   * Resolves once the server is listening for it: the instance it is connected
   * to announces the already-public warm-up response until it arrives.
   */
  async ready(): Promise<void> {
    const pubsub = this.api.platform.app.get(ResponsesPubSub);
    const deadline = Date.now() + WAIT_MS;
    while (!this.get(this.warmUp.id)) {
      if (this.ended) throw new Error(`subscription ended: ${JSON.stringify(this.errors)}`);
      if (Date.now() > deadline) throw new Error('the subscription never started');
      await pubsub.announce(this.warmUp);
      await this.wait(100);
    }
  }

  /** Waits until it was sent the response `id` (and fails the test if that never happens). */
  async receives(id: string): Promise<Pushed> {
    const deadline = Date.now() + WAIT_MS;
    while (!this.get(id)) {
      if (this.ended) throw new Error(`subscription ended: ${JSON.stringify(this.errors)}`);
      if (Date.now() > deadline) throw new Error(`response ${id} never arrived`);
      await this.wait(deadline - Date.now());
    }
    return this.get(id)!;
  }

  /** Waits until the subscription ends, as it does when subscribing failed. */
  async ends(): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('the subscription is still open');
      await this.wait(deadline - Date.now());
    }
  }

  async close(): Promise<void> {
    this.stop();
    await this.client.dispose();
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/**
 * A live subscriber to an essay's removals (responseRemoved): the ids it was
 * sent, in order. Ready once a sentinel (a made-up id no one wrote) arrives.
 */
class RemovalListener {
  readonly ids: string[] = [];
  readonly errors: unknown[] = [];
  private readonly client: Client;

  constructor(
    private readonly app: TestApp,
    private readonly essayId: string,
    user?: GivenUser,
  ) {
    this.client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: user ? { authorization: `Bearer ${user.token}` } : undefined,
      retryAttempts: 0,
      lazy: false,
    });
    this.client.subscribe<{ responseRemoved: string }>(
      {
        query: `subscription($essayId: ID!) { responseRemoved(essayId: $essayId) }`,
        variables: { essayId },
      },
      {
        next: (result) => {
          if (result.errors?.length) this.errors.push(...result.errors);
          if (result.data) this.ids.push(result.data.responseRemoved);
        },
        error: (error) => this.errors.push(error),
        complete: () => {},
      },
    );
  }

  /** Sends made-up removals until one arrives: from then on, nothing sent is missed. */
  async sentinel(): Promise<string> {
    const pubsub = this.app.platform.app.get(ResponsesPubSub);
    const id = randomUUID();
    const fake = {
      id,
      essayId: this.essayId,
      visibility: 'PUBLIC',
      authorId: randomUUID(),
    } as ResponseEntity;
    await this.until(id, () => pubsub.withdraw(fake));
    return id;
  }

  async receives(id: string): Promise<void> {
    await this.until(id, async () => {});
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async until(id: string, meanwhile: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!this.ids.includes(id)) {
      if (this.errors.length > 0) throw new Error(JSON.stringify(this.errors));
      if (Date.now() > deadline) throw new Error(`removal ${id} never arrived`);
      await meanwhile();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const viaRedis = Boolean(process.env.REDIS_URL);

/** A second api instance on the same database, Redis and secrets, as a scaled-out deployment runs. */
async function startSecondInstance(app: TestApp): Promise<Api & { close(): Promise<void> }> {
  const platform = await createPlatform({ ...app.config, role: 'api' }, pino({ level: 'silent' }), {
    clock: app.clock,
    // As startTestApp does: Jest cannot load Bull Board's dependencies.
    queueBoard: false,
  });
  await platform.http!.listen({ port: 0, host: '127.0.0.1' });
  const { port } = platform.http!.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, platform, close: () => platform.close() };
}

describe('responses arrive live on a prompt (graphql-ws)', () => {
  let app: TestApp;
  let author: GivenUser;
  let writer: GivenUser;
  let otherReader: GivenUser;
  let promptId: string;
  let essayId: string;
  let draftPromptId: string;
  let warmUp: ResponseEntity;
  const subscribers: Subscriber[] = [];

  const respondVia = async (
    api: Api,
    user: GivenUser,
    body: string,
    visibility: 'PUBLIC' | 'PRIVATE' = 'PUBLIC',
  ): Promise<string> => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({
        query: `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
        variables: { input: { promptId, body, visibility } },
      }),
    });
    const result = (await response.json()) as GraphQLResult<{ respond: { id: string } }>;
    expect(result.errors).toBeUndefined();
    return result.data!.respond.id;
  };
  const respond = (user: GivenUser, body: string, visibility: 'PUBLIC' | 'PRIVATE' = 'PUBLIC') =>
    respondVia(app, user, body, visibility);

  const subscribe = async (
    user?: GivenUser,
    options: { api?: Api; prompt?: string; ready?: boolean; authorization?: string } = {},
  ) => {
    const subscriber = new Subscriber(
      options.api ?? app,
      options.prompt ?? promptId,
      warmUp,
      user,
      options.authorization,
    );
    subscribers.push(subscriber);
    if (options.ready !== false) await subscriber.ready();
    return subscriber;
  };

  beforeAll(async () => {
    // Abuse limits have their own suite; here readers post as fast as the story goes.
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
    const g = given(app);
    author = await g.author();
    writer = await g.reader('writer@example.test');
    otherReader = await g.reader('other.reader@example.test');
    const essay = await g.publishedEssay(author, 'Live');
    essayId = essay.id;
    promptId = essay.prompts[0]!.id;
    draftPromptId = (
      await g.essay(
        author,
        `---\ntitle: 'Still a draft'\nstatus: draft\n---\n\nA draft.\n\n## Your turn\n\nWhat are you building?\n`,
      )
    ).prompts[0]!.id;
    const warmUpId = await respond(otherReader, 'Warming up the room.');
    warmUp = await app.platform.app
      .get(DataSource)
      .getRepository(ResponseEntity)
      .findOneByOrFail({ id: warmUpId });
  });
  afterEach(async () => {
    await Promise.all(subscribers.splice(0).map((s) => s.close()));
  });
  afterAll(() => app.close());

  it('an anonymous subscriber receives the public responses readers post', async () => {
    const anonymous = await subscribe();
    const posted = await respond(writer, 'We run a **tool library** in our street.');
    expect(await anonymous.receives(posted)).toEqual({
      id: posted,
      body: 'We run a **tool library** in our street.',
      visibility: 'PUBLIC',
      author: { displayName: 'writer' },
      parent: null,
      reviewStatus: null,
      reviewNote: null,
      labels: null,
      reviewedAt: null,
      edits: null,
    });
    expect(anonymous.errors).toEqual([]);
  });

  it('private responses reach the author, never anonymous subscribers or other readers', async () => {
    const anonymous = await subscribe();
    const other = await subscribe(otherReader);
    const theAuthor = await subscribe(author);

    const secret = await respond(writer, 'Just between us: we are out of money.', 'PRIVATE');
    const open = await respond(writer, 'And publicly: we are hiring.');

    // One channel delivers in order: once the public one is in, the private one is not coming.
    await anonymous.receives(open);
    await other.receives(open);
    expect(anonymous.ids()).toEqual([open]);
    expect(other.ids()).toEqual([open]);

    expect(await theAuthor.receives(secret)).toMatchObject({
      body: 'Just between us: we are out of money.',
      visibility: 'PRIVATE',
      author: { displayName: 'writer' },
    });
    await theAuthor.receives(open);
    expect(theAuthor.ids()).toEqual([secret, open]);
    for (const subscriber of [anonymous, other, theAuthor]) expect(subscriber.errors).toEqual([]);
  });

  it("the author's reply in a private thread reaches its writer and no other reader", async () => {
    const theWriter = await subscribe(writer);
    const other = await subscribe(otherReader);

    const secret = await respond(writer, 'Can we talk about funding?', 'PRIVATE');
    const { replyToResponse: reply } = await app.gqlOk<{ replyToResponse: { id: string } }>(
      `mutation($id: ID!) { replyToResponse(responseId: $id, body: "Yes, write to me.") { id } }`,
      { id: secret },
      author.token,
    );
    const open = await respond(otherReader, 'A public thought after all that.');

    expect(await theWriter.receives(reply.id)).toMatchObject({
      body: 'Yes, write to me.',
      visibility: 'PRIVATE',
      parent: { id: secret },
      author: { displayName: author.email.split('@')[0] },
    });
    await theWriter.receives(open);
    expect(theWriter.ids()).toEqual([secret, reply.id, open]);

    await other.receives(open);
    expect(other.ids()).toEqual([open]);
    expect(theWriter.errors).toEqual([]);
    expect(other.errors).toEqual([]);
  });

  it('each pushed response is read fresh: a thread growing live shows its current counts', async () => {
    const anonymous = await subscribe();
    const root = await respond(writer, 'Start a thread here.');
    const replyTo = (body: string) =>
      app
        .gqlOk<{ replyToResponse: { id: string } }>(
          `mutation($id: ID!, $body: String!) { replyToResponse(responseId: $id, body: $body) { id } }`,
          { id: root, body },
          otherReader.token,
        )
        .then((data) => data.replyToResponse.id);
    const first = await replyTo('First reply.');
    expect((await anonymous.receives(first)).parent).toEqual({ id: root, replyCount: 1 });
    const second = await replyTo('Second reply.');
    expect((await anonymous.receives(second)).parent).toEqual({ id: root, replyCount: 2 });
  });

  /** Subscribes with `query` and resolves with how the server answered: its errors, or none. */
  const refusal = async (query: string) => {
    const client = createClient({
      url: `${app.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      return await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query },
          { next: (result) => resolve(result.errors), error: resolve, complete: () => resolve([]) },
        );
      });
    } finally {
      await client.dispose();
    }
  };

  it('a subscription asking for what the schema lacks is refused as GRAPHQL_VALIDATION_FAILED', async () => {
    expect(
      await refusal(`subscription { responseAdded(promptId: "${promptId}") { contactEmail } }`),
    ).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
  });

  it('subscriptions obey the same depth limit as queries', async () => {
    const depth = app.config.graphql.maxDepth + 1;
    const deep = `${'parent { '.repeat(depth)}id${' }'.repeat(depth)}`;
    expect(
      await refusal(`subscription { responseAdded(promptId: "${promptId}") { ${deep} } }`),
    ).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/depth limit/),
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
  });

  it('review fields reach the author only, edit history the writer and the author', async () => {
    const anonymous = await subscribe();
    const other = await subscribe(otherReader);
    const theWriter = await subscribe(writer);
    const theAuthor = await subscribe(author);

    const posted = await respond(writer, 'Review fields must not ride along.');
    const seen = await Promise.all(
      [anonymous, other, theWriter, theAuthor].map((s) => s.receives(posted)),
    );
    const [byAnonymous, byOther, byWriter, byAuthor] = seen.map((p) => ({
      reviewStatus: p.reviewStatus,
      reviewNote: p.reviewNote,
      labels: p.labels,
      reviewedAt: p.reviewedAt,
      edits: p.edits,
    }));
    const hidden = { reviewStatus: null, reviewNote: null, labels: null, reviewedAt: null };
    expect(byAnonymous).toEqual({ ...hidden, edits: null });
    expect(byOther).toEqual({ ...hidden, edits: null });
    expect(byWriter).toEqual({ ...hidden, edits: [] });
    expect(byAuthor).toEqual({
      reviewStatus: 'NEW',
      reviewNote: null,
      labels: [],
      reviewedAt: null,
      edits: [],
    });
  });

  it.each([
    ['an unknown prompt', 'anonymous', (): string => '00000000-0000-4000-8000-000000000000'],
    ['a malformed prompt id', 'anonymous', (): string => 'not-a-prompt'],
    ["a draft essay's prompt", 'anonymous', (): string => draftPromptId],
    ["a draft essay's prompt", 'a reader', (): string => draftPromptId],
  ] as const)('subscribing to %s as %s fails with NOT_FOUND', async (_what, who, prompt) => {
    const subscriber = await subscribe(who === 'a reader' ? otherReader : undefined, {
      prompt: prompt(),
      ready: false,
    });
    await subscriber.ends();
    expect(subscriber.errors.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(subscriber.pushed).toEqual([]);
  });

  it('refuses a subscription with a bad session token', async () => {
    const subscriber = await subscribe(undefined, {
      authorization: 'Bearer not-a-session',
      ready: false,
    });
    await subscriber.ends();
    expect(subscriber.errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it(
    viaRedis
      ? 'with Redis, responses posted through either api instance reach subscribers on both'
      : 'without Redis, each api instance hears only the responses posted through it',
    async () => {
      const second = await startSecondInstance(app);
      try {
        const here = await subscribe(undefined, { api: app });
        const there = await subscribe(undefined, { api: second });

        const first = await respondVia(second, writer, 'Posted through the second instance.');
        const local = await respondVia(app, otherReader, 'Posted through the first instance.');
        const last = await respondVia(second, otherReader, 'Second instance again.');

        await here.receives(local);
        await there.receives(last);
        if (viaRedis) {
          await here.receives(last);
          expect(here.ids()).toEqual([first, local, last]);
          expect(there.ids()).toEqual([first, local, last]);
          expect(here.get(first)?.body).toBe('Posted through the second instance.');
        } else {
          // In order on each instance: had `first` crossed over, it would precede `local`.
          expect(here.ids()).toEqual([local]);
          expect(there.ids()).toEqual([first, last]);
        }
      } finally {
        await Promise.all(subscribers.splice(0).map((s) => s.close()));
        await second.close();
      }
    },
  );

  it('a held response is pushed to no one; once approved it arrives as new', async () => {
    const setMode = (mode: string) =>
      app.gqlOk(
        `mutation($mode: ModerationMode!) { updateModerationSettings(input: { mode: $mode }) { mode } }`,
        { mode },
        author.token,
      );
    await setMode('ALL');
    try {
      const watching = [await subscribe(), await subscribe(writer), await subscribe(author)];
      const held = await respond(writer, 'Held back from the live feed.');
      const own = await respond(author, 'The author is never held.');
      // One channel delivers in order: once the author's is in, the held one is not coming.
      for (const subscriber of watching) {
        await subscriber.receives(own);
        expect(subscriber.ids()).toEqual([own]);
      }
      await app.gqlOk(
        `mutation($id: ID!) { approveResponse(id: $id) { id } }`,
        { id: held },
        author.token,
      );
      for (const subscriber of watching) {
        expect(await subscriber.receives(held)).toMatchObject({
          body: 'Held back from the live feed.',
        });
        expect(subscriber.errors).toEqual([]);
      }
    } finally {
      await setMode('OFF');
    }
  });

  it('an edit that is held leaves every open conversation but its writer’s and the author’s; approved, it comes back', async () => {
    const moderate = (blockedTerms: string[]) =>
      app.gqlOk(
        `mutation($terms: [String!]) { updateModerationSettings(input: { blockedTerms: $terms }) { mode } }`,
        { terms: blockedTerms },
        author.token,
      );
    const edit = (id: string, body: string) =>
      app.gqlOk<{ editResponse: { moderationState: string } }>(
        `mutation($id: ID!, $body: String!) { editResponse(id: $id, body: $body) { moderationState } }`,
        { id, body },
        writer.token,
      );
    const read = (id: string, user?: GivenUser) =>
      app.gql<{ response: { moderationState: string; heldReason: string | null } }>(
        `query($id: ID!) { response(id: $id) { moderationState heldReason } }`,
        { id },
        user?.token,
      );
    await moderate(['cheap pills']);
    const listeners: RemovalListener[] = [];
    try {
      const posted = await respond(writer, 'A fine first answer.');
      const kept = await respond(writer, 'Only the author reads this.', 'PRIVATE');
      const [anonymous, other, own] = [undefined, otherReader, writer].map((user) => {
        const listener = new RemovalListener(app, essayId, user);
        listeners.push(listener);
        return listener;
      });
      for (const listener of [anonymous!, other!, own!]) await listener.sentinel();
      const feed = await subscribe();

      expect((await edit(posted, 'Now selling cheap pills')).editResponse.moderationState).toBe(
        'HELD',
      );
      expect((await edit(kept, 'Cheap pills, privately')).editResponse.moderationState).toBe(
        'HELD',
      );
      await anonymous!.receives(posted);
      await other!.receives(posted);
      // One channel delivers in order: once a later sentinel is in, nothing else is coming.
      for (const listener of [anonymous!, other!, own!]) {
        await listener.sentinel();
        const told = listener.ids.filter((id) => [posted, kept].includes(id));
        expect(told).toEqual(listener === own ? [] : [posted]);
      }
      // Its writer and the author still see it, awaiting review; no one else does.
      expect((await read(posted, writer)).data!.response.moderationState).toBe('HELD');
      expect((await read(posted, author)).data!.response).toEqual({
        moderationState: 'HELD',
        heldReason: 'BLOCKED_TERM',
      });
      expect((await read(posted)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect((await read(posted, otherReader)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

      await app.gqlOk(
        `mutation($id: ID!) { approveResponse(id: $id) { id } }`,
        { id: posted },
        author.token,
      );
      expect(await feed.receives(posted)).toMatchObject({ body: 'Now selling cheap pills' });
      expect(feed.errors).toEqual([]);
    } finally {
      await Promise.all(listeners.map((listener) => listener.close()));
      await moderate([]);
    }
  });
});
