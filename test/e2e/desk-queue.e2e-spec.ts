import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

/** Retries `check` until it passes (or fails with its last error after 15 s). */
async function eventually(check: () => unknown): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const QUEUE = `query($filter: ReviewQueueFilter) {
  reviewQueue(filter: $filter, first: 50) { edges { node { id } } }
}`;
const DESK_FEED = `subscription { deskResponseAdded { id body visibility reviewStatus author { id } } }`;
const HOUR = 3_600_000;

const COUNTS_FEED = `subscription { deskCountsChanged { inbox shortlist needsReply held reported } }`;

/** A graphql-ws client on one of the desk's feeds, keeping what it was sent and how it ended. */
function follow(app: TestApp, user?: GivenUser, query = DESK_FEED) {
  const pushed: any[] = [];
  const errors: { message: string; extensions?: { code?: string } }[] = [];
  const client: Client = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: user ? { authorization: `Bearer ${user.token}` } : undefined,
    retryAttempts: 0,
    lazy: false,
  });
  let ready!: () => void;
  const acknowledged = new Promise<void>((resolve) => (ready = resolve));
  client.on('connected', () => ready());
  const stop = client.subscribe<Record<string, unknown>>(
    { query },
    {
      next: (result) => {
        if (result.errors) errors.push(...(result.errors as typeof errors));
        if (result.data) pushed.push(Object.values(result.data)[0]);
      },
      error: (error) =>
        errors.push(...(Array.isArray(error) ? error : [{ message: String(error) }])),
      complete: () => undefined,
    },
  );
  return {
    pushed,
    errors,
    acknowledged,
    close: async () => {
      stop();
      await client.dispose();
    },
  };
}

describe("the desk's queue filters and live feed", () => {
  let app: TestApp;
  let author: GivenUser;
  let ana: GivenUser;
  let ben: GivenUser;
  let promptId: string;
  const ids: Record<string, string> = {};

  const respond = async (user: GivenUser, body: string, visibility = 'PUBLIC') =>
    (
      await app.gqlOk(
        `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
        { input: { promptId, body, visibility } },
        user.token,
      )
    ).respond.id as string;
  const queue = async (filter: Record<string, unknown>) =>
    (await app.gqlOk(QUEUE, { filter }, author.token)).reviewQueue.edges.map(
      (edge: { node: { id: string } }) => edge.node.id,
    );

  const statements: string[] = [];
  let counting = false;

  beforeAll(async () => {
    app = await startTestApp({
      env: { RATE_LIMITS: 'off' },
      onQuery: (sql) => {
        if (counting) statements.push(sql);
      },
    });
    const make = given(app);
    author = await make.author();
    ana = await make.reader();
    ben = await make.reader();
    const essay = await make.publishedEssay(author, 'Desk queue');
    promptId = essay.prompts[0]!.id;
    ids.answered = await respond(ana, 'An old public response the author answered.');
    ids.waiting = await respond(ben, 'An old public response nobody answered.');
    ids.secret = await respond(ben, 'An old private response.', 'PRIVATE');
    await app.gqlOk(
      `mutation($id: ID!) { replyToResponse(responseId: $id, body: "Thank you!") { id } }`,
      { id: ids.answered },
      author.token,
    );
    app.clock.advance(49 * HOUR);
    ids.fresh = await respond(ana, 'A public response from an hour ago.');
    app.clock.advance(HOUR);
  });
  afterAll(() => app.close());

  it('needsReply: public responses older than 48 hours without an author reply', async () => {
    expect(await queue({ needsReply: true })).toEqual([ids.waiting]);
    // A reply by a reader does not count as the author's.
    await app.gqlOk(
      `mutation($id: ID!) { replyToResponse(responseId: $id, body: "Me too!") { id } }`,
      { id: ids.waiting },
      ana.token,
    );
    expect(await queue({ needsReply: true })).toEqual([ids.waiting]);
    expect((await queue({ needsReply: false })).sort()).toEqual((await queue({})).sort());
  });

  it("writerId: one reader's responses, for their history; a bad id is a typed error", async () => {
    expect((await queue({ writerId: ben.id })).sort()).toEqual([ids.waiting, ids.secret].sort());
    const bad = await app.gql(QUEUE, { filter: { writerId: 'nope' } }, author.token);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const reader = await app.gql(QUEUE, { filter: { writerId: ben.id } }, ben.token);
    expect(reader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('moderationState and reported: the "Held" and "Reported" views; bad values are typed errors', async () => {
    await app.sql(`UPDATE responses SET moderation_state = 'HELD' WHERE id = $1`, [ids.secret]);
    expect(await queue({ moderationState: 'HELD' })).toEqual([ids.secret]);
    expect(await queue({ moderationState: 'PUBLISHED' })).not.toContain(ids.secret);
    expect(await queue({ reported: true })).toEqual([]);
    expect(
      await app.gqlOk(
        `mutation($id: ID!) { reportResponse(id: $id, reason: OFF_TOPIC) }`,
        { id: ids.waiting },
        ana.token,
      ),
    ).toEqual({ reportResponse: true });
    expect(await queue({ reported: true })).toEqual([ids.waiting]);
    expect(await queue({ reported: false })).not.toContain(ids.waiting);
    // With another filter: both must hold.
    expect(await queue({ reported: true, writerId: ana.id })).toEqual([]);

    for (const filter of [
      { moderationState: 'SHOWN' },
      { reported: 'yes' },
      { moderationState: 1 },
    ]) {
      const bad = await app.gql(QUEUE, { filter }, author.token);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(bad.data ?? null).toBeNull();
    }
    const reader = await app.gql(QUEUE, { filter: { moderationState: 'HELD' } }, ben.token);
    expect(reader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('deskResponseAdded pushes every new response, private ones too, to the author only', async () => {
    const desk = follow(app, author);
    const reader = follow(app, ben);
    const anonymous = follow(app);
    try {
      await Promise.all([desk.acknowledged, reader.acknowledged, anonymous.acknowledged]);
      // Refused at once, typed; nothing ever reaches them.
      await eventually(() => expect(reader.errors[0]?.extensions?.code).toBe('FORBIDDEN'));
      await eventually(() => expect(anonymous.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED'));
      // Give the author's subscription a moment to be in place: a warm-up until it is.
      const warmUps: string[] = [];
      await eventually(async () => {
        if (!desk.pushed.some((push) => warmUps.includes(push.id)))
          warmUps.push(await respond(ana, `Warm-up ${warmUps.length}`));
        expect(desk.pushed.some((push) => warmUps.includes(push.id))).toBe(true);
      });
      const secret = await respond(ana, 'A new private idea for the author only.', 'PRIVATE');
      await eventually(() =>
        expect(desk.pushed.find((push) => push.id === secret)).toMatchObject({
          body: 'A new private idea for the author only.',
          visibility: 'PRIVATE',
          reviewStatus: 'NEW',
        }),
      );
      expect(reader.pushed).toEqual([]);
      expect(anonymous.pushed).toEqual([]);
    } finally {
      await Promise.all([desk.close(), reader.close(), anonymous.close()]);
    }
  });

  const COUNTS = `{ reviewQueueCounts { inbox shortlist needsReply held reported } }`;
  /** What each saved view lists, counted the slow way: through the queue itself. */
  const listed = async () => ({
    inbox: (await queue({})).length,
    shortlist: (await queue({ status: 'SHORTLISTED' })).length,
    needsReply: (await queue({ needsReply: true })).length,
    held: (await queue({ moderationState: 'HELD' })).length,
    reported: (await queue({ reported: true })).length,
  });

  it('reviewQueueCounts: what each saved view lists, in one SQL statement, for the author only', async () => {
    await app.gqlOk(
      `mutation($id: ID!) { reviewResponse(input: { id: $id, status: SHORTLISTED }) { id } }`,
      { id: ids.fresh },
      author.token,
    );
    statements.length = 0;
    counting = true;
    const { reviewQueueCounts: counts } = await app.gqlOk(COUNTS, {}, author.token);
    counting = false;
    expect(counts).toEqual(await listed());
    // Each view has something in it here, so a wrong condition shows.
    for (const count of Object.values(counts)) expect(count).toBeGreaterThan(0);
    expect(statements.filter((sql) => /\bresponses\b/.test(sql))).toHaveLength(1);

    const reader = await app.gql(COUNTS, {}, ben.token);
    expect(reader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(reader.data).toBeNull();
    expect((await app.gql(COUNTS)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('deskCountsChanged pushes the counts when responses, reports and statuses change, to the author only', async () => {
    const desk = follow(app, author, COUNTS_FEED);
    const reader = follow(app, ben, COUNTS_FEED);
    const anonymous = follow(app, undefined, COUNTS_FEED);
    try {
      await Promise.all([desk.acknowledged, reader.acknowledged, anonymous.acknowledged]);
      await eventually(() => expect(reader.errors[0]?.extensions?.code).toBe('FORBIDDEN'));
      await eventually(() => expect(anonymous.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED'));
      // Warm-ups until the author's subscription is in place.
      await eventually(async () => {
        if (desk.pushed.length === 0) await respond(ana, `Counted warm-up ${Date.now()}`);
        expect(desk.pushed.length).toBeGreaterThan(0);
      });
      const latest = () => desk.pushed.at(-1);
      // A new response.
      const before = (await app.gqlOk(COUNTS, {}, author.token)).reviewQueueCounts;
      await respond(ben, 'One more to count.');
      await eventually(() => expect(latest().inbox).toBe(before.inbox + 1));
      // A report opened, then a status changed: each arrives as the new counts.
      await app.gqlOk(
        `mutation($id: ID!) { reportResponse(id: $id, reason: SPAM) }`,
        { id: ids.fresh },
        ben.token,
      );
      let listedNow = await listed();
      await eventually(async () => {
        listedNow = await listed();
        expect(latest()).toEqual(listedNow);
      });
      expect(listedNow.reported).toBe(before.reported + 1);
      await app.gqlOk(
        `mutation($ids: [ID!]!) { reviewResponses(ids: $ids, status: ARCHIVED) { id } }`,
        { ids: [ids.fresh] },
        author.token,
      );
      await eventually(async () => expect(latest()).toEqual(await listed()));
      expect(latest().shortlist).toBe(before.shortlist - 1);
      expect(reader.pushed).toEqual([]);
      expect(anonymous.pushed).toEqual([]);
    } finally {
      await Promise.all([desk.close(), reader.close(), anonymous.close()]);
    }
  });

  it('deskCountsChanged counts each change once for every desk open on the instance', async () => {
    const desks = [follow(app, author, COUNTS_FEED), follow(app, author, COUNTS_FEED)];
    const isCounts = (sql: string) => /AS "needsReply"/.test(sql);
    const lengths = () => desks.map((desk) => desk.pushed.length);
    /** Until no push has arrived for a quarter of a second: nothing is on its way. */
    const settled = async () => {
      let before = lengths().join();
      for (let turn = 0; turn < 40; turn += 1) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const now = lengths().join();
        if (now === before) return;
        before = now;
      }
    };
    try {
      await Promise.all(desks.map((desk) => desk.acknowledged));
      await eventually(async () => {
        if (desks.some((desk) => desk.pushed.length === 0))
          await respond(ana, `Two desks warm-up ${Date.now()}`);
        for (const desk of desks) expect(desk.pushed.length).toBeGreaterThan(0);
      });
      await settled();
      const seen = lengths();
      statements.length = 0;
      counting = true;
      await app.gqlOk(
        `mutation($id: ID!) { reviewResponse(input: { id: $id, status: SHORTLISTED }) { id } }`,
        { id: ids.fresh },
        author.token,
      );
      await eventually(() => {
        desks.forEach((desk, i) => expect(desk.pushed.length).toBeGreaterThan(seen[i]!));
      });
      await settled();
      counting = false;
      const [pushedToFirst, pushedToSecond] = lengths().map((length, i) => length - seen[i]!);
      expect(pushedToSecond).toBe(pushedToFirst);
      // One statement per change, however many desks it went to (it was one per desk).
      expect(statements.filter(isCounts)).toHaveLength(pushedToFirst!);
      const [first, second] = desks.map((desk) => desk.pushed.at(-1));
      expect(first).toEqual(await listed());
      expect(second).toEqual(first);
    } finally {
      counting = false;
      await Promise.all(desks.map((desk) => desk.close()));
    }
  });

  it('reopenPrompt opens a closed prompt again, for the author only; unknown ids are NOT_FOUND', async () => {
    const REOPEN = `mutation($id: ID!) { reopenPrompt(id: $id) { id isOpen } }`;
    await app.gqlOk(
      `mutation($id: ID!) { closePrompt(id: $id) { id } }`,
      { id: promptId },
      author.token,
    );
    const closed = await app.gql(
      `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
      { input: { promptId, body: 'Too late?' } },
      ana.token,
    );
    expect(closed.errors?.[0]?.extensions?.code).toBeDefined();

    const refused = await app.gql(REOPEN, { id: promptId }, ana.token);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [still] = await app.sql<{ is_open: boolean }>(
      `SELECT is_open FROM prompts WHERE id = $1`,
      [promptId],
    );
    expect(still!.is_open).toBe(false);
    for (const id of ['not-an-id', '00000000-0000-4000-8000-000000000000']) {
      const unknown = await app.gql(REOPEN, { id }, author.token);
      expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }

    expect(await app.gqlOk(REOPEN, { id: promptId }, author.token)).toEqual({
      reopenPrompt: { id: promptId, isOpen: true },
    });
    expect(await respond(ana, 'Not too late after all.')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("Essay.subscriberCount: confirmed digest subscriptions to the essay's conversation, author only", async () => {
    const essayId = (
      await app.sql<{ essay_id: string }>(`SELECT essay_id FROM prompts WHERE id = $1`, [promptId])
    )[0]!.essay_id;
    for (const email of ['one@example.test', 'two@example.test', 'pending@example.test'])
      await app.gqlOk(`mutation($input: SubscribeInput!) { subscribe(input: $input) }`, {
        input: { email, scope: 'ESSAY', essayId },
      });
    await app.sql(
      `UPDATE digest_subscriptions SET status = 'CONFIRMED', confirmed_at = now() WHERE email <> 'pending@example.test'`,
    );
    const COUNT = `{ essays(first: 10) { edges { node { id subscriberCount } } } }`;
    const count = async (token: string) =>
      (await app.gqlOk(COUNT, {}, token)).essays.edges.find(
        (edge: { node: { id: string } }) => edge.node.id === essayId,
      ).node.subscriberCount;
    expect(await count(author.token)).toBe(2);
    expect(await count(ana.token)).toBeNull();
  });
});
