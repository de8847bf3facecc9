import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

/*
 * Pre-moderation as the author and readers meet it: settings, held responses
 * that only their writer and the author see, approve and reject.
 */

const SETTINGS = `essayId overridden mode blockedTerms maxLinks`;
const RESPONSE = `id body createdAt moderationState heldReason rejectionReason author { id }`;

describe('moderation: settings, held responses, approve and reject', () => {
  let app: TestApp;
  let author: GivenUser;
  let writer: GivenUser;
  let other: GivenUser;
  let essay: { id: string; slug: string; prompts: { id: string }[] };
  let second: { id: string; slug: string; prompts: { id: string }[] };

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
    const g = given(app);
    author = await g.author();
    writer = await g.reader();
    other = await g.reader();
    essay = await g.publishedEssay(author, 'Held back');
    second = await g.publishedEssay(author, 'Second essay');
  });
  afterAll(() => app.close());

  const settings = (user?: GivenUser, essayId?: string) =>
    app.gql(
      `query($essayId: ID) { moderationSettings(essayId: $essayId) { ${SETTINGS} } }`,
      { essayId },
      user?.token,
    );
  const update = (input: Record<string, unknown>, user: GivenUser = author) =>
    app.gql(
      `mutation($input: ModerationSettingsInput!) { updateModerationSettings(input: $input) { ${SETTINGS} } }`,
      { input },
      user.token,
    );
  const respond = (user: GivenUser, body: string, promptId = essay.prompts[0]!.id, form?: object) =>
    app.gql(
      `mutation($input: RespondInput!) { respond(input: $input) { ${RESPONSE} } }`,
      { input: { promptId, body, form } },
      user.token,
    );
  const read = (id: string, user?: GivenUser) =>
    app.gql(`query($id: ID!) { response(id: $id) { ${RESPONSE} } }`, { id }, user?.token);
  const listed = async (user?: GivenUser, promptId = essay.prompts[0]!.id) => {
    const data = await app.gqlOk<{
      prompt: { responseCount: number; responses: { edges: { node: { id: string } }[] } };
    }>(
      `query($id: ID!) { prompt(id: $id) { responseCount responses(first: 50) { edges { node { id } } } } }`,
      { id: promptId },
      user?.token,
    );
    return {
      count: data.prompt.responseCount,
      ids: data.prompt.responses.edges.map((edge) => edge.node.id),
    };
  };
  const approve = (id: string, user: GivenUser = author) =>
    app.gql(`mutation($id: ID!) { approveResponse(id: $id) { ${RESPONSE} } }`, { id }, user.token);
  const reject = (id: string, reason: string, user: GivenUser = author) =>
    app.gql(
      `mutation($id: ID!, $reason: String!) { rejectResponse(id: $id, reason: $reason) { ${RESPONSE} } }`,
      { id, reason },
      user.token,
    );
  const code = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;
  const eventsOf = (id: string) =>
    app.sql<{ type: string }>(
      `SELECT type FROM events WHERE subject_id = $1 ORDER BY occurred_at`,
      [id],
    );
  const hostedPage = async (slug = essay.slug) => (await fetch(`${app.url}/essays/${slug}`)).text();

  it('the settings are the author’s: OFF by default, global with per-essay overrides', async () => {
    expect(code(await settings())).toBe('UNAUTHENTICATED');
    expect(code(await settings(writer))).toBe('FORBIDDEN');
    expect(code(await update({ mode: 'ALL' }, writer))).toBe('FORBIDDEN');
    expect((await settings(author)).data!.moderationSettings).toEqual({
      essayId: null,
      overridden: false,
      mode: 'OFF',
      blockedTerms: [],
      maxLinks: null,
    });

    const global = await update({ blockedTerms: ['  cheap   pills ', 'Café'], maxLinks: 2 });
    expect(global.data!.updateModerationSettings).toEqual({
      essayId: null,
      overridden: false,
      mode: 'OFF',
      blockedTerms: ['cheap pills', 'Café'],
      maxLinks: 2,
    });
    // An essay without its own settings follows the global ones.
    expect((await settings(author, second.id)).data!.moderationSettings).toMatchObject({
      essayId: second.id,
      overridden: false,
      maxLinks: 2,
    });
    const own = await update({ essayId: second.id, mode: 'FIRST_TIME', maxLinks: null });
    expect(own.data!.updateModerationSettings).toEqual({
      essayId: second.id,
      overridden: true,
      mode: 'FIRST_TIME',
      blockedTerms: ['cheap pills', 'Café'],
      maxLinks: null,
    });
    expect((await settings(author)).data!.moderationSettings.mode).toBe('OFF');
  });

  it('bad settings get typed errors and change nothing', async () => {
    const before = await app.sql(`SELECT * FROM moderation_settings ORDER BY scope`);
    expect(code(await update({ maxLinks: -1 }))).toBe('BAD_USER_INPUT');
    expect(code(await update({ maxLinks: 5000 }))).toBe('BAD_USER_INPUT');
    expect(code(await update({ blockedTerms: ['ok', '   '] }))).toBe('BAD_USER_INPUT');
    expect(code(await update({ blockedTerms: ['x'.repeat(101)] }))).toBe('BAD_USER_INPUT');
    expect(code(await update({ mode: 'SOMETIMES' }))).toBe('BAD_USER_INPUT');
    expect(code(await update({ essayId: 'not-an-id', mode: 'ALL' }))).toBe('BAD_USER_INPUT');
    expect(
      code(await update({ essayId: '00000000-0000-4000-8000-000000000000', mode: 'ALL' })),
    ).toBe('NOT_FOUND');
    expect(code(await settings(author, 'not-an-id'))).toBe('NOT_FOUND');
    expect(await app.sql(`SELECT * FROM moderation_settings ORDER BY scope`)).toEqual(before);
  });

  it('in ALL mode a response is held: its writer and the author see it, no one else, nowhere', async () => {
    await update({ mode: 'ALL' });
    const before = await listed();
    const result = await respond(writer, 'Held until the author looks.');
    expect(result.errors).toBeUndefined();
    const held = result.data!.respond;
    expect(held).toMatchObject({
      moderationState: 'HELD',
      heldReason: null,
      rejectionReason: null,
    });
    expect(await eventsOf(held.id)).toEqual([{ type: 'RESPONSE_HELD' }]);

    expect((await read(held.id, writer)).data!.response.moderationState).toBe('HELD');
    expect((await read(held.id, author)).data!.response).toMatchObject({
      moderationState: 'HELD',
      heldReason: 'ALL',
    });
    expect(code(await read(held.id))).toBe('NOT_FOUND');
    expect(code(await read(held.id, other))).toBe('NOT_FOUND');

    expect((await listed(author)).ids).toContain(held.id);
    expect((await listed(writer)).ids).toContain(held.id);
    for (const user of [undefined, other]) {
      const seen = await listed(user);
      expect(seen.ids).not.toContain(held.id);
      expect(seen.count).toBe(before.count);
    }
    expect(await hostedPage()).not.toContain('Held until the author looks.');
  });

  it('approving publishes it with its original time and records RESPONSE_PUBLISHED then', async () => {
    const held = (await respond(writer, 'Approved later, dated earlier.')).data!.respond;
    app.clock.advance(60_000);
    expect(code(await approve(held.id, writer))).toBe('FORBIDDEN');
    const approved = await approve(held.id);
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveResponse).toMatchObject({
      moderationState: 'PUBLISHED',
      createdAt: held.createdAt,
    });
    const events = await app.sql<{ type: string; occurred_at: Date }>(
      `SELECT type, occurred_at FROM events WHERE subject_id = $1 ORDER BY occurred_at`,
      [held.id],
    );
    expect(events.map((event) => event.type)).toEqual(['RESPONSE_HELD', 'RESPONSE_PUBLISHED']);
    expect(events[1]!.occurred_at.getTime()).toBeGreaterThan(new Date(held.createdAt).getTime());
    expect((await read(held.id)).data!.response).toMatchObject({
      body: 'Approved later, dated earlier.',
      moderationState: null,
    });
    expect((await listed(other)).ids).toContain(held.id);
    expect(await hostedPage()).toContain('Approved later, dated earlier.');
    // Approving twice is a conflict, and records nothing more.
    expect(code(await approve(held.id))).toBe('CONFLICT');
    expect(await eventsOf(held.id)).toHaveLength(2);
  });

  it('rejecting needs a reason; the writer still sees it as rejected, others never', async () => {
    const held = (await respond(writer, 'Not for this conversation.')).data!.respond;
    expect(code(await reject(held.id, '   '))).toBe('BAD_USER_INPUT');
    expect(code(await reject(held.id, 'x'.repeat(1001)))).toBe('BAD_USER_INPUT');
    expect(code(await reject(held.id, 'Off topic', other))).toBe('FORBIDDEN');
    expect(code(await reject('not-an-id', 'Off topic'))).toBe('NOT_FOUND');
    expect((await read(held.id, author)).data!.response.moderationState).toBe('HELD');

    const rejected = await reject(held.id, 'Off topic');
    expect(rejected.data!.rejectResponse).toMatchObject({
      moderationState: 'REJECTED',
      rejectionReason: 'Off topic',
    });
    expect((await read(held.id, writer)).data!.response).toMatchObject({
      moderationState: 'REJECTED',
      rejectionReason: null,
    });
    expect(code(await read(held.id, other))).toBe('NOT_FOUND');
    expect(code(await reject(held.id, 'Again'))).toBe('CONFLICT');
    expect(await eventsOf(held.id)).toEqual([{ type: 'RESPONSE_HELD' }]);
  });

  it('FIRST_TIME holds a reader until the author has approved one of theirs', async () => {
    const promptId = second.prompts[0]!.id;
    const newcomer = await given(app).reader();
    const first = (await respond(newcomer, 'My very first answer.', promptId)).data!.respond;
    expect(first.moderationState).toBe('HELD');
    const again = (await respond(newcomer, 'Still waiting on the first.', promptId)).data!.respond;
    expect(again.moderationState).toBe('HELD');
    await approve(first.id);
    const trusted = (await respond(newcomer, 'Now I am known.', promptId)).data!.respond;
    expect(trusted.moderationState).toBe('PUBLISHED');
    expect(await eventsOf(trusted.id)).toEqual([{ type: 'RESPONSE_PUBLISHED' }]);
    // The author is never held.
    const own = (await respond(author, 'The author answers too.', promptId)).data!.respond;
    expect(own.moderationState).toBe('PUBLISHED');
  });

  it('blocked terms (whole words, any case or accent) and too many links hold, never reject', async () => {
    await update({ mode: 'OFF', blockedTerms: ['cheap pills', 'Café'], maxLinks: 2 });
    const cases: [string, string | null][] = [
      ['Buy CHEAP   pills today', 'BLOCKED_TERM'],
      ['Meet me at the cafe', 'BLOCKED_TERM'],
      ['Cheaper pillsbury', null],
      ['One https://a.example two https://b.example three https://c.example', 'TOO_MANY_LINKS'],
      ['Two links https://a.example and https://b.example are fine', null],
    ];
    for (const [body, reason] of cases) {
      const result = await respond(writer, body);
      expect(result.errors).toBeUndefined();
      const response = (await read(result.data!.respond.id, author)).data!.response;
      expect([body, response.heldReason]).toEqual([body, reason]);
      expect(response.moderationState).toBe(reason ? 'HELD' : 'PUBLISHED');
      // The writer is told it awaits review, and nothing more.
      expect(result.data!.respond.moderationState).toBe(reason ? 'HELD' : 'PUBLISHED');
      expect(result.data!.respond.heldReason).toBeNull();
    }
  });

  it('an edit is checked again: one that would be held is held, and a held response stays held', async () => {
    await update({ mode: 'OFF', blockedTerms: ['cheap pills'], maxLinks: 1 });
    const edit = (id: string, body: string, user: GivenUser = writer) =>
      app.gql(
        `mutation($id: ID!, $body: String!) { editResponse(id: $id, body: $body) { ${RESPONSE} } }`,
        { id, body },
        user.token,
      );
    const cases: [string, string | null][] = [
      ['Now with cheap PILLS', 'BLOCKED_TERM'],
      ['See https://a.example and https://b.example', 'TOO_MANY_LINKS'],
      ['https://spam.example', 'SUSPECTED_SPAM'],
      ['A harmless second thought', null],
    ];
    for (const [index, [body, reason]] of cases.entries()) {
      const id = (await respond(writer, `A first draft, number ${index}`)).data!.respond.id;
      const result = await edit(id, body);
      expect(result.errors).toBeUndefined();
      // The writer is told it awaits review, and nothing more.
      expect(result.data!.editResponse).toMatchObject({
        body,
        moderationState: reason ? 'HELD' : 'PUBLISHED',
        heldReason: null,
      });
      const stored = (await read(id, author)).data!.response;
      expect([body, stored.heldReason, stored.moderationState]).toEqual([
        body,
        reason,
        reason ? 'HELD' : 'PUBLISHED',
      ]);
      // Held by the edit: gone for everyone else, and the outbox hears of it.
      expect(code(await read(id, other))).toBe(reason ? 'NOT_FOUND' : undefined);
      expect((await eventsOf(id)).map((event) => event.type)).toEqual(
        reason ? ['RESPONSE_PUBLISHED', 'RESPONSE_HELD'] : ['RESPONSE_PUBLISHED'],
      );
    }
    // A held response edited into something harmless stays held for the author.
    const held = (await respond(writer, 'Cheap pills, first time')).data!.respond.id;
    const cleaned = await edit(held, 'Nothing to see here');
    expect(cleaned.data!.editResponse.moderationState).toBe('HELD');
    expect((await read(held, author)).data!.response.heldReason).toBe('BLOCKED_TERM');
    expect(code(await read(held, other))).toBe('NOT_FOUND');
    // The author's edits are never held.
    const own = (await respond(author, 'The author writes.')).data!.respond.id;
    const authors = await edit(own, 'The author adds cheap pills', author);
    expect(authors.data!.editResponse.moderationState).toBe('PUBLISHED');
  });

  it('suspected spam is held without an error that teaches a bot anything', async () => {
    await update({ mode: 'OFF', blockedTerms: [], maxLinks: null });
    const spammer = await given(app).reader();
    const cases: [string, object | undefined, string | null][] = [
      [
        'The form filled its hidden field',
        { honeypot: 'http://x.example', elapsedMs: 60_000 },
        'SUSPECTED_SPAM',
      ],
      ['The form was sent at once', { honeypot: '', elapsedMs: 400 }, 'SUSPECTED_SPAM'],
      ['A person took their time', { honeypot: '', elapsedMs: 60_000 }, null],
      ['An API client sends no form signals', undefined, null],
      ['https://spam.example [more](https://spam.example/2)', undefined, 'SUSPECTED_SPAM'],
    ];
    for (const [body, form, reason] of cases) {
      const result = await respond(spammer, body, essay.prompts[0]!.id, form);
      expect(result.errors).toBeUndefined();
      const stored = (await read(result.data!.respond.id, author)).data!.response;
      expect([body, stored.heldReason]).toEqual([body, reason]);
    }
    // The same body on another prompt: held as a duplicate.
    const copy = await respond(spammer, 'A person took their time', second.prompts[0]!.id);
    expect(copy.errors).toBeUndefined();
    expect((await read(copy.data!.respond.id, author)).data!.response.heldReason).toBe(
      'SUSPECTED_SPAM',
    );
    // Replies carry the signals too.
    const parent = (await respond(author, 'The author asks for replies.')).data!.respond.id;
    const reply = await app.gql(
      `mutation($id: ID!, $form: FormSignalsInput) { replyToResponse(responseId: $id, body: "Bot reply", form: $form) { id moderationState } }`,
      { id: parent, form: { honeypot: 'filled', elapsedMs: 50_000 } },
      spammer.token,
    );
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.replyToResponse.moderationState).toBe('HELD');
    // Malformed signals are the caller's mistake, and store nothing.
    const before = await app.sql(`SELECT count(*)::int AS n FROM responses`);
    expect(
      code(await respond(spammer, 'Bad signals', essay.prompts[0]!.id, { elapsedMs: 'soon' })),
    ).toBe('BAD_USER_INPUT');
    expect(
      code(
        await respond(spammer, 'Bad signals', essay.prompts[0]!.id, { honeypot: 'x'.repeat(1001) }),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(await app.sql(`SELECT count(*)::int AS n FROM responses`)).toEqual(before);
  });
});
