import pino from 'pino';
import { RateLimits } from '../../src/common/rate-limits.js';
import { createPlatform } from '../../src/platform.js';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const RESPOND = `mutation($input: RespondInput!) { respond(input: $input) { id } }`;
const REPLY = `mutation($id: ID!, $body: String!) { replyToResponse(responseId: $id, body: $body) { id } }`;
const EXPRESS = `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id message } }`;
const REQUEST_SIGN_IN = `mutation($email: String!) { requestSignIn(email: $email) }`;

const codeOf = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;
const retryAfterOf = (result: GraphQLResult): number =>
  result.errors?.[0]?.extensions?.retryAfterSeconds;

/** Some scene every suite here needs: an author, a published essay and its prompt. */
async function stage(app: TestApp) {
  const g = given(app);
  const author = await g.author();
  const essay = await g.publishedEssay(author, 'Limits');
  return { g, author, essayId: essay.id, promptId: essay.prompts[0]!.id };
}

function poster(app: TestApp, promptId: string) {
  return {
    respond: (user: GivenUser, body: string) =>
      app.gql<{ respond: { id: string } }>(RESPOND, { input: { promptId, body } }, user.token),
    reply: (user: GivenUser, id: string, body: string) =>
      app.gql<{ replyToResponse: { id: string } }>(REPLY, { id, body }, user.token),
    rowsBy: async (user: GivenUser) =>
      (
        await app.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM responses WHERE author_id = $1`,
          [user.id],
        )
      )[0]!.n,
  };
}

function offer(essayId: string, message: string) {
  return {
    essayId,
    message,
    building: 'A cooperative bakery',
    contactEmail: 'baker@example.test',
    consentToContact: true,
  };
}

describe('abuse limits at their defaults', () => {
  let app: TestApp;
  let scene: Awaited<ReturnType<typeof stage>>;
  let posts: ReturnType<typeof poster>;

  beforeAll(async () => {
    app = await startTestApp();
    scene = await stage(app);
    posts = poster(app, scene.promptId);
  });
  afterAll(() => app.close());

  it('are on, with one post per 5 seconds and 30 an hour per reader', () => {
    expect(app.config.rateLimits).toMatchObject({
      enabled: true,
      responseIntervalSeconds: 5,
      responsesPerHour: 30,
      duplicateWindowMinutes: 10,
      interestPerHour: 5,
      signInPerEmailPerHour: 5,
    });
  });

  it('a second response within 5 seconds is RATE_LIMITED with a retry time, and writes nothing', async () => {
    const reader = await scene.g.reader();
    const first = await posts.respond(reader, 'My first thought.');
    expect(first.errors).toBeUndefined();

    const second = await posts.respond(reader, 'And a second, right away.');
    expect(second.data).toBeNull();
    expect(codeOf(second)).toBe('RATE_LIMITED');
    expect(retryAfterOf(second)).toBeGreaterThan(0);
    expect(retryAfterOf(second)).toBeLessThanOrEqual(5);
    expect(await posts.rowsBy(reader)).toBe(1);
  });

  it('a reply counts as a post: replying straight after responding is RATE_LIMITED', async () => {
    const reader = await scene.g.reader();
    const other = await scene.g.reader();
    const root = await posts.respond(other, 'A response to reply to.');
    expect(root.errors).toBeUndefined();

    expect((await posts.respond(reader, 'A response of my own.')).errors).toBeUndefined();
    const reply = await posts.reply(reader, root.data!.respond.id, 'And a quick reply.');
    expect(codeOf(reply)).toBe('RATE_LIMITED');
    expect(retryAfterOf(reply)).toBeGreaterThan(0);
    expect(await posts.rowsBy(reader)).toBe(1);
  });

  it('each reader has an allowance of their own', async () => {
    const ana = await scene.g.reader();
    const ben = await scene.g.reader();
    expect((await posts.respond(ana, 'Ana first.')).errors).toBeUndefined();
    expect((await posts.respond(ben, 'Ben right after.')).errors).toBeUndefined();
    expect(codeOf(await posts.respond(ana, 'Ana again.'))).toBe('RATE_LIMITED');
  });

  it('the same text again from the same reader on the same prompt is a CONFLICT, not a post', async () => {
    const reader = await scene.g.reader();
    const other = await scene.g.reader();
    const body = 'We are building a seed library.';
    expect((await posts.respond(reader, body)).errors).toBeUndefined();

    const again = await posts.respond(reader, `  ${body}  `);
    expect(codeOf(again)).toBe('CONFLICT');
    expect(again.data).toBeNull();
    expect(await posts.rowsBy(reader)).toBe(1);
    // Someone else may say the same thing.
    expect((await posts.respond(other, body)).errors).toBeUndefined();
  });

  it('collaborator interest: five offers an hour, then RATE_LIMITED and the offer unchanged', async () => {
    const reader = await scene.g.reader();
    for (let i = 1; i <= 5; i += 1) {
      const result = await app.gql(
        EXPRESS,
        { input: offer(scene.essayId, `Offer ${i}`) },
        reader.token,
      );
      expect(result.errors).toBeUndefined();
    }
    const sixth = await app.gql(EXPRESS, { input: offer(scene.essayId, 'Offer 6') }, reader.token);
    expect(codeOf(sixth)).toBe('RATE_LIMITED');
    expect(retryAfterOf(sixth)).toBeGreaterThan(5);
    expect(
      await app.sql(`SELECT message FROM collaborator_interests WHERE reader_id = $1`, [reader.id]),
    ).toEqual([{ message: 'Offer 5' }]);
  });

  it('sign-in links: five an hour per email address, then RATE_LIMITED and no token', async () => {
    const email = 'often@example.test';
    for (let i = 0; i < 5; i += 1) {
      const result = await app.gql(REQUEST_SIGN_IN, { email: i % 2 ? email.toUpperCase() : email });
      expect(result).toEqual({ data: { requestSignIn: true } });
    }
    const sixth = await app.gql(REQUEST_SIGN_IN, { email });
    expect(codeOf(sixth)).toBe('RATE_LIMITED');
    expect(retryAfterOf(sixth)).toBeGreaterThan(5);
    expect(
      await app.sql(`SELECT count(*)::int AS n FROM sign_in_tokens WHERE email = $1`, [email]),
    ).toEqual([{ n: 5 }]);
  });
});

describe('rate-limit counters kept in PostgreSQL', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('expired counters are deleted; counters still counting are kept', async () => {
    const now = Date.now();
    await app.sql(
      `INSERT INTO rate_limits (key, points, expire)
       VALUES ('sweep-test:old', 3, $1), ('sweep-test:live', 2, $2), ('sweep-test:none', 1, NULL)`,
      [now - 60_000, now + 3_600_000],
    );
    const deleted = await app.platform.app.get(RateLimits).deleteExpired();
    expect(deleted).toBeGreaterThanOrEqual(1);
    const left = await app.sql<{ key: string }>(
      `SELECT key FROM rate_limits WHERE key LIKE 'sweep-test:%' ORDER BY key`,
    );
    expect(left.map((row) => row.key)).toEqual(['sweep-test:live', 'sweep-test:none']);
  });
});

describe('the hourly cap on posts (RATE_RESPONSES_PER_HOUR=3, one a second on the clock)', () => {
  let app: TestApp;
  let scene: Awaited<ReturnType<typeof stage>>;
  let posts: ReturnType<typeof poster>;

  beforeAll(async () => {
    app = await startTestApp({
      env: { RATE_RESPONSE_INTERVAL_SECONDS: '1', RATE_RESPONSES_PER_HOUR: '3' },
    });
    scene = await stage(app);
    posts = poster(app, scene.promptId);
  });
  afterAll(() => app.close());

  it('responses and replies share the cap; the fourth post in the hour is refused for most of an hour', async () => {
    const reader = await scene.g.reader();
    const root = await posts.respond(reader, 'One.');
    expect(root.errors).toBeUndefined();
    app.clock.advance(1_100);
    expect((await posts.reply(reader, root.data!.respond.id, 'Two.')).errors).toBeUndefined();
    app.clock.advance(1_100);
    expect((await posts.respond(reader, 'Three.')).errors).toBeUndefined();
    app.clock.advance(1_100);

    const fourth = await posts.respond(reader, 'Four.');
    expect(codeOf(fourth)).toBe('RATE_LIMITED');
    // Not the one-second interval: the hour's allowance is spent.
    expect(retryAfterOf(fourth)).toBeGreaterThan(60);
    expect(retryAfterOf(fourth)).toBeLessThanOrEqual(3600);
    expect(await posts.rowsBy(reader)).toBe(3);
  });

  it('a post the interval refuses does not count against the hour', async () => {
    const reader = await scene.g.reader();
    expect((await posts.respond(reader, 'First.')).errors).toBeUndefined();
    expect(codeOf(await posts.respond(reader, 'Too soon.'))).toBe('RATE_LIMITED');
    expect(codeOf(await posts.respond(reader, 'Too soon, again.'))).toBe('RATE_LIMITED');
    app.clock.advance(1_100);
    expect((await posts.respond(reader, 'Second.')).errors).toBeUndefined();
    app.clock.advance(1_100);
    expect((await posts.respond(reader, 'Third.')).errors).toBeUndefined();
    expect(await posts.rowsBy(reader)).toBe(3);
  });

  it('the same text is a CONFLICT for 10 minutes on the clock, then welcome again', async () => {
    const reader = await scene.g.reader();
    const body = 'We are building a seed library.';
    expect((await posts.respond(reader, body)).errors).toBeUndefined();
    app.clock.advance(9 * 60_000);
    expect(codeOf(await posts.respond(reader, body))).toBe('CONFLICT');
    app.clock.advance(2 * 60_000);
    const later = await posts.respond(reader, body);
    expect(later.errors).toBeUndefined();
    expect(await posts.rowsBy(reader)).toBe(2);
  });

  it('a banned writer repeating a body is told of the ban, not the duplicate', async () => {
    const reader = await scene.g.reader();
    const body = 'Said once, before the ban.';
    expect((await posts.respond(reader, body)).errors).toBeUndefined();
    await app.gqlOk(
      `mutation($userId: ID!) { banReader(userId: $userId, reason: "Spam", hideExisting: false) { userId } }`,
      { userId: reader.id },
      scene.author.token,
    );
    app.clock.advance(1_100);
    expect(codeOf(await posts.respond(reader, body))).toBe('FORBIDDEN');
    expect(await posts.rowsBy(reader)).toBe(1);
  });

  it('limits hold across api instances: a second instance on the same stores shares the counts', async () => {
    const second = await createPlatform({ ...app.config, role: 'api' }, pino({ level: 'silent' }), {
      clock: app.clock,
      // As startTestApp does: Jest cannot load Bull Board's dependencies.
      queueBoard: false,
    });
    try {
      await second.http!.listen({ port: 0, host: '127.0.0.1' });
      const { port } = second.http!.getHttpServer().address() as { port: number };
      const viaSecond = async (query: string, variables: Record<string, unknown>, token?: string) =>
        (await (
          await fetch(`http://127.0.0.1:${port}/graphql`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
            body: JSON.stringify({ query, variables }),
          })
        ).json()) as GraphQLResult;
      const respondViaSecond = (user: GivenUser, body: string) =>
        viaSecond(RESPOND, { input: { promptId: scene.promptId, body } }, user.token);

      const reader = await scene.g.reader();
      expect((await posts.respond(reader, 'Here.')).errors).toBeUndefined();
      // The interval: the other instance knows this reader just posted.
      expect(codeOf(await respondViaSecond(reader, 'There, at once.'))).toBe('RATE_LIMITED');
      // The duplicate check reads the shared database too.
      expect(codeOf(await respondViaSecond(reader, 'Here.'))).toBe('CONFLICT');
      app.clock.advance(1_100);
      expect((await respondViaSecond(reader, 'There.')).errors).toBeUndefined();
      app.clock.advance(1_100);
      expect((await posts.respond(reader, 'Here again.')).errors).toBeUndefined();
      app.clock.advance(1_100);
      // Three in the hour, split over two instances: the cap is reached on both.
      const overCap = await respondViaSecond(reader, 'There again.');
      expect(codeOf(overCap)).toBe('RATE_LIMITED');
      expect(retryAfterOf(overCap)).toBeGreaterThan(60);
      expect(codeOf(await posts.respond(reader, 'And here.'))).toBe('RATE_LIMITED');
      expect(await posts.rowsBy(reader)).toBe(3);

      // Sign-in requests count per address whichever instance they reach.
      const email = 'roaming@example.test';
      for (let i = 0; i < 5; i += 1) {
        const result =
          i % 2
            ? await app.gql(REQUEST_SIGN_IN, { email })
            : await viaSecond(REQUEST_SIGN_IN, { email });
        expect(result.errors).toBeUndefined();
      }
      expect(codeOf(await app.gql(REQUEST_SIGN_IN, { email }))).toBe('RATE_LIMITED');
      expect(codeOf(await viaSecond(REQUEST_SIGN_IN, { email }))).toBe('RATE_LIMITED');
    } finally {
      await second.close();
    }
  });
});

describe('RATE_LIMITS=off', () => {
  let app: TestApp;
  let scene: Awaited<ReturnType<typeof stage>>;
  let posts: ReturnType<typeof poster>;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
    scene = await stage(app);
    posts = poster(app, scene.promptId);
  });
  afterAll(() => app.close());

  it('lets a reader post more than an hour allows, in a row, duplicates included', async () => {
    const reader = await scene.g.reader();
    const first = await posts.respond(reader, 'Again and again.');
    expect(first.errors).toBeUndefined();
    for (let i = 1; i <= 31; i += 1) {
      const result =
        i % 2
          ? await posts.respond(reader, 'Again and again.')
          : await posts.reply(reader, first.data!.respond.id, `Reply ${i}`);
      expect(result.errors).toBeUndefined();
    }
    expect(await posts.rowsBy(reader)).toBe(32);
  });

  it('lets interest offers and sign-in requests through without counting', async () => {
    const reader = await scene.g.reader();
    for (let i = 1; i <= 6; i += 1) {
      const result = await app.gql(
        EXPRESS,
        { input: offer(scene.essayId, `Offer ${i}`) },
        reader.token,
      );
      expect(result.errors).toBeUndefined();
    }
    for (let i = 0; i < 6; i += 1) {
      expect(await app.gql(REQUEST_SIGN_IN, { email: 'free@example.test' })).toEqual({
        data: { requestSignIn: true },
      });
    }
  });
});
