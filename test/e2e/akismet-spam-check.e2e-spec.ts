import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../support/app.js';
import { eventually, given, type GivenUser } from '../support/given.js';

/*
 * With AKISMET_KEY set, a response waits (held) for an Akismet-compatible
 * service asked from a job; here that service is a real HTTP server speaking
 * its comment-check API: "true" for spam, "false" for ham, or no answer.
 */

interface Asked {
  path: string;
  form: URLSearchParams;
}

interface FakeAkismet {
  server: Server;
  url: string;
  asked: Asked[];
  /** Answers the checks that wait for the test (their body says "waits for the test"). */
  release: () => void;
}

function fakeAkismet(): Promise<FakeAkismet> {
  const asked: Asked[] = [];
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      asked.push({ path: request.url ?? '', form });
      const content = form.get('comment_content') ?? '';
      if (content.includes('never answered')) return; // the check times out
      const answer = () => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(content.includes('miracle pills') ? 'true' : 'false');
      };
      if (content.includes('waits for the test')) void released.then(answer);
      else answer();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, asked, release: () => release() });
    });
  });
}

describe('the Akismet-compatible spam check', () => {
  let app: TestApp;
  let fake: FakeAkismet;
  let author: GivenUser;
  let writer: GivenUser;
  let other: GivenUser;
  let promptId: string;

  beforeAll(async () => {
    fake = await fakeAkismet();
    app = await startTestApp({
      env: {
        RATE_LIMITS: 'off',
        AKISMET_KEY: 'test-key-123',
        AKISMET_URL: fake.url,
        AKISMET_TIMEOUT_MS: '300',
      },
    });
    author = await given(app).author();
    writer = await given(app).reader();
    other = await given(app).reader();
    promptId = (await given(app).publishedEssay(author, 'Checked')).prompts[0]!.id;
  });
  afterAll(async () => {
    await app.close();
    fake.server.closeAllConnections();
    await new Promise((resolve) => fake.server.close(resolve));
  });

  const respond = async (user: GivenUser, body: string) =>
    (
      await app.gqlOk<{ respond: { id: string; moderationState: string } }>(
        `mutation($input: RespondInput!) { respond(input: $input) { id moderationState } }`,
        { input: { promptId, body } },
        user.token,
      )
    ).respond;
  const stateOf = async (id: string) =>
    (
      await app.sql<{ moderation_state: string; held_reason: string | null }>(
        `SELECT moderation_state, held_reason FROM responses WHERE id = $1`,
        [id],
      )
    )[0]!;
  const settledState = (id: string) =>
    eventually(
      () => stateOf(id),
      (row) => row.held_reason !== 'SPAM_CHECK',
      30_000,
    );
  const eventsOf = async (id: string) =>
    (await app.sql<{ type: string }>(`SELECT type FROM events WHERE subject_id = $1`, [id])).map(
      (row) => row.type,
    );
  const visibleTo = async (id: string, user?: GivenUser) =>
    !(await app.gql(`query($id: ID!) { response(id: $id) { id } }`, { id }, user?.token)).errors;

  it('holds a response until the service calls it ham, then publishes it as new', async () => {
    const response = await respond(writer, 'We share tools on our street.');
    // The request never waits for the service: the writer is told it awaits review.
    expect(response.moderationState).toBe('HELD');
    expect(await settledState(response.id)).toEqual({
      moderation_state: 'PUBLISHED',
      held_reason: null,
    });
    expect(await eventsOf(response.id)).toEqual(['RESPONSE_PUBLISHED']);
    expect(await visibleTo(response.id, other)).toBe(true);
    const asked = fake.asked.find(
      (entry) => entry.form.get('comment_content') === 'We share tools on our street.',
    )!;
    expect(asked.path).toBe('/1.1/comment-check');
    expect(asked.form.get('api_key')).toBe('test-key-123');
    expect(asked.form.get('blog')).toBe(app.config.publicUrl);
    expect(asked.form.get('comment_author_email')).toBe(writer.email);
    expect(asked.form.get('permalink')).toContain(`#response-${response.id}`);
  });

  it('keeps spam held for the author, recording RESPONSE_HELD', async () => {
    const response = await respond(writer, 'Buy miracle pills now');
    expect(await settledState(response.id)).toEqual({
      moderation_state: 'HELD',
      held_reason: 'SUSPECTED_SPAM',
    });
    expect(await eventsOf(response.id)).toEqual(['RESPONSE_HELD']);
    expect(await visibleTo(response.id, other)).toBe(false);
    expect(await visibleTo(response.id, writer)).toBe(true);
  });

  it('holds a response the service never answers about, once every try timed out', async () => {
    const response = await respond(writer, 'This one is never answered');
    const held = await eventually(
      () => eventsOf(response.id),
      (types) => types.length > 0,
      30_000,
    );
    expect(held).toEqual(['RESPONSE_HELD']);
    expect(await stateOf(response.id)).toEqual({
      moderation_state: 'HELD',
      held_reason: 'SPAM_CHECK',
    });
    expect(
      fake.asked.filter(
        (entry) => entry.form.get('comment_content') === 'This one is never answered',
      ),
    ).toHaveLength(3);
    expect(await visibleTo(response.id, other)).toBe(false);
  });

  const edit = async (user: GivenUser, id: string, body: string) =>
    (
      await app.gqlOk<{ editResponse: { moderationState: string } }>(
        `mutation($id: ID!, $body: String!) { editResponse(id: $id, body: $body) { moderationState } }`,
        { id, body },
        user.token,
      )
    ).editResponse;
  const askedAbout = (content: string) =>
    fake.asked.filter((entry) => entry.form.get('comment_content') === content);

  it('checks an edit of a published response from a job: held meanwhile, then published again or held as spam', async () => {
    const { id } = await respond(writer, 'A plain first answer.');
    expect(await settledState(id)).toEqual({ moderation_state: 'PUBLISHED', held_reason: null });

    // The request does not wait: the writer is told it awaits review.
    expect((await edit(writer, id, 'A plain second thought.')).moderationState).toBe('HELD');
    expect(await settledState(id)).toEqual({ moderation_state: 'PUBLISHED', held_reason: null });
    expect(askedAbout('A plain second thought.')).toHaveLength(1);
    // Out again, not new: its RESPONSE_PUBLISHED was recorded once, when it first went out.
    expect(await eventsOf(id)).toEqual(['RESPONSE_PUBLISHED']);
    expect(await visibleTo(id, other)).toBe(true);

    expect((await edit(writer, id, 'Now it sells miracle pills')).moderationState).toBe('HELD');
    expect(await settledState(id)).toEqual({
      moderation_state: 'HELD',
      held_reason: 'SUSPECTED_SPAM',
    });
    expect(askedAbout('Now it sells miracle pills')).toHaveLength(1);
    expect((await eventsOf(id)).sort()).toEqual(['RESPONSE_HELD', 'RESPONSE_PUBLISHED']);
    expect(await visibleTo(id, other)).toBe(false);
    expect(await visibleTo(id, writer)).toBe(true);
  });

  it('never checks the author', async () => {
    const before = fake.asked.length;
    const response = await respond(author, 'The author writes freely.');
    expect(response.moderationState).toBe('PUBLISHED');
    expect((await edit(author, response.id, 'The author edits freely.')).moderationState).toBe(
      'PUBLISHED',
    );
    expect(fake.asked.length).toBe(before);
  });
});

describe('a response the spam check publishes from a worker', () => {
  let app: TestApp;
  let fake: FakeAkismet;
  let promptId: string;

  beforeAll(async () => {
    fake = await fakeAkismet();
    app = await startTestApp({
      env: {
        RATE_LIMITS: 'off',
        AKISMET_KEY: 'test-key-123',
        AKISMET_URL: fake.url,
        // The check waits for the test; the cache would serve a stale page for a minute.
        AKISMET_TIMEOUT_MS: '60000',
        ANONYMOUS_CACHE_TTL_MS: '60000',
      },
    });
    promptId = (await given(app).publishedEssay(await given(app).author(), 'Cached')).prompts[0]!
      .id;
  });
  afterAll(async () => {
    fake.release();
    await app.close();
    fake.server.closeAllConnections();
    await new Promise((resolve) => fake.server.close(resolve));
  });

  const anonymousPage = async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($id: ID!) { prompt(id: $id) { responses(first: 50) { edges { node { id } } } } }`,
        variables: { id: promptId },
      }),
    });
    const body = (await response.json()) as {
      data: { prompt: { responses: { edges: { node: { id: string } }[] } } };
    };
    return {
      cache: response.headers.get('x-cache'),
      ids: body.data.prompt.responses.edges.map((edge) => edge.node.id),
    };
  };

  it('clears the anonymous cache, as a mutation does: the next anonymous read shows it', async () => {
    const writer = await given(app).reader();
    const { respond } = await app.gqlOk<{ respond: { id: string; moderationState: string } }>(
      `mutation($input: RespondInput!) { respond(input: $input) { id moderationState } }`,
      { input: { promptId, body: 'This one waits for the test.' } },
      writer.token,
    );
    expect(respond.moderationState).toBe('HELD');
    // The job is asking the service; meanwhile an anonymous reader's page is cached without it.
    await eventually(
      async () => fake.asked.length,
      (count) => count > 0,
      30_000,
    );
    await anonymousPage();
    const cached = await anonymousPage();
    expect(cached).toEqual({ cache: 'HIT', ids: [] });

    fake.release();
    const published = await eventually(
      () =>
        app.sql<{ moderation_state: string }>(
          `SELECT moderation_state FROM responses WHERE id = $1`,
          [respond.id],
        ),
      (rows) => rows[0]?.moderation_state === 'PUBLISHED',
      30_000,
    );
    expect(published).toEqual([{ moderation_state: 'PUBLISHED' }]);
    // Well within the minute the cached page would otherwise be served.
    const page = await eventually(anonymousPage, (read) => read.ids.includes(respond.id), 20_000);
    expect(page.ids).toEqual([respond.id]);
  }, 90_000);
});
