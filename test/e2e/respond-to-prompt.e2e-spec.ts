import { startTestApp, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const RESPONSE_FIELDS = `id body bodyHtml visibility createdAt editedAt deletedAt replyCount
  author { id displayName } prompt { id } essay { slug } parent { id }`;

describe('readers respond to a prompt and talk in threads', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;
  let other: GivenUser;
  let promptId: string;

  beforeAll(async () => {
    // Abuse limits have their own suite; here readers post as fast as the story goes.
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
    const g = given(app);
    author = await g.author();
    reader = await g.reader();
    other = await g.reader();
    promptId = (await g.publishedEssay(author, 'Threads')).prompts[0]!.id;
  });
  afterAll(() => app.close());

  const respond = (user: GivenUser, body: string, visibility = 'PUBLIC') =>
    app.gql(
      `mutation($input: RespondInput!) { respond(input: $input) { ${RESPONSE_FIELDS} } }`,
      { input: { promptId, body, visibility } },
      user.token,
    );
  const reply = (user: GivenUser, responseId: string, body: string) =>
    app.gql(
      `mutation($id: ID!, $body: String!) { replyToResponse(responseId: $id, body: $body) { ${RESPONSE_FIELDS} visibility } }`,
      { id: responseId, body },
      user.token,
    );

  it('a reader answers; the response renders sanitized HTML and writes an event', async () => {
    const result = await respond(reader, 'I am building **a garden**. <script>alert(1)</script>');
    expect(result.errors).toBeUndefined();
    const response = result.data!.respond;
    expect(response).toMatchObject({
      body: 'I am building **a garden**. <script>alert(1)</script>',
      visibility: 'PUBLIC',
      replyCount: 0,
      author: { id: reader.id },
      prompt: { id: promptId },
      essay: { slug: 'threads' },
      parent: null,
      editedAt: null,
      deletedAt: null,
    });
    expect(response.bodyHtml).toContain('<strong>a garden</strong>');
    expect(response.bodyHtml).not.toMatch(/<script/i);
    const events = await app.sql(
      `SELECT type, subject_id, actor_id FROM events WHERE subject_id = $1`,
      [response.id],
    );
    expect(events).toEqual([
      { type: 'RESPONSE_PUBLISHED', subject_id: response.id, actor_id: reader.id },
    ]);
  });

  it('threads replies, counts them, and lets the author reply with an AUTHOR_REPLIED event', async () => {
    const root = (await respond(other, 'A public root for replies')).data!.respond;
    const byReader = await reply(reader, root.id, 'A reply from another reader');
    expect(byReader.errors).toBeUndefined();
    expect(byReader.data!.replyToResponse.parent).toEqual({ id: root.id });
    const byAuthor = await reply(author, byReader.data!.replyToResponse.id, 'The author answers');
    expect(byAuthor.errors).toBeUndefined();
    const events = await app.sql(`SELECT type FROM events WHERE subject_id = $1`, [
      byAuthor.data!.replyToResponse.id,
    ]);
    expect(events).toEqual([{ type: 'AUTHOR_REPLIED' }]);

    const thread = await app.gqlOk(
      `query($id: ID!) { response(id: $id) { replyCount replies(first: 10) { edges { node { body replyCount replies { edges { node { body } } } } } } } }`,
      { id: root.id },
    );
    expect(thread.response).toEqual({
      replyCount: 1,
      replies: {
        edges: [
          {
            node: {
              body: 'A reply from another reader',
              replyCount: 1,
              replies: { edges: [{ node: { body: 'The author answers' } }] },
            },
          },
        ],
      },
    });
  });

  it('keeps private responses between the writer and the author', async () => {
    const secret = (await respond(reader, 'Only for the author', 'PRIVATE')).data!.respond;
    const query = `query($id: ID!) { response(id: $id) { body } }`;
    expect((await app.gql(query, { id: secret.id }, reader.token)).data).toEqual({
      response: { body: 'Only for the author' },
    });
    expect((await app.gql(query, { id: secret.id }, author.token)).data).toEqual({
      response: { body: 'Only for the author' },
    });
    expect(
      (await app.gql(query, { id: secret.id }, other.token)).errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');
    expect((await app.gql(query, { id: secret.id })).errors?.[0]?.extensions?.code).toBe(
      'NOT_FOUND',
    );

    const list = `query($id: ID!) { prompt(id: $id) { responseCount responses(first: 50) { edges { node { id } } } } }`;
    const seenBy = async (user?: GivenUser) =>
      (await app.gqlOk(list, { id: promptId }, user?.token)).prompt;
    const forOther = await seenBy(other);
    const forAuthor = await seenBy(author);
    expect(forOther.responses.edges.map((e: any) => e.node.id)).not.toContain(secret.id);
    expect(forAuthor.responses.edges.map((e: any) => e.node.id)).toContain(secret.id);
    expect(forAuthor.responseCount).toBe(forOther.responseCount + 1);
    expect(forOther.responseCount).toBe(forOther.responses.edges.length);

    const sneaky = await reply(other, secret.id, 'let me in');
    expect(sneaky.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const fromAuthor = await reply(author, secret.id, 'Thanks, privately');
    expect(fromAuthor.data!.replyToResponse.visibility).toBe('PRIVATE');
  });

  it('edits keep history for the writer and the author only', async () => {
    const original = (await respond(reader, 'First draft')).data!.respond;
    const edited = await app.gql(
      `mutation($id: ID!) { editResponse(id: $id, body: "Second draft") { body editedAt edits { body } } }`,
      { id: original.id },
      reader.token,
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.editResponse).toMatchObject({
      body: 'Second draft',
      edits: [{ body: 'First draft' }],
    });
    expect(edited.data!.editResponse.editedAt).not.toBeNull();

    const history = `query($id: ID!) { response(id: $id) { edits { body } } }`;
    expect((await app.gqlOk(history, { id: original.id }, author.token)).response.edits).toEqual([
      { body: 'First draft' },
    ]);
    expect((await app.gqlOk(history, { id: original.id }, other.token)).response.edits).toBeNull();
    expect((await app.gqlOk(history, { id: original.id })).response.edits).toBeNull();

    const notMine = await app.gql(
      `mutation($id: ID!) { editResponse(id: $id, body: "hijack") { id } }`,
      { id: original.id },
      other.token,
    );
    expect(notMine.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('deleting keeps the thread, drops the body, and refuses new replies', async () => {
    const doomed = (await respond(reader, 'Soon gone')).data!.respond;
    await reply(other, doomed.id, 'A reply that stays');
    const deleted = await app.gqlOk(
      `mutation($id: ID!) { deleteResponse(id: $id) { body bodyHtml deletedAt replyCount } }`,
      { id: doomed.id },
      reader.token,
    );
    expect(deleted.deleteResponse).toMatchObject({ body: null, bodyHtml: null, replyCount: 1 });
    expect(deleted.deleteResponse.deletedAt).not.toBeNull();
    const [row] = await app.sql(`SELECT body_markdown FROM responses WHERE id = $1`, [doomed.id]);
    expect(row).toEqual({ body_markdown: '' });
    const late = await reply(other, doomed.id, 'too late');
    expect(late.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses empty, oversized, anonymous, and closed-prompt responses, writing nothing', async () => {
    const before = await app.sql(`SELECT count(*)::int AS n FROM responses`);
    expect((await respond(reader, '   ')).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'body',
    });
    expect((await respond(reader, 'x'.repeat(10_001))).errors?.[0]?.extensions?.code).toBe(
      'BAD_USER_INPUT',
    );
    const anonymous = await app.gql(
      `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
      {
        input: { promptId, body: 'hello' },
      },
    );
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const bad = await app.gql(
      `mutation { respond(input: { promptId: "${promptId}", body: "x", visibility: SECRET }) { id } }`,
      {},
      reader.token,
    );
    expect(bad.errors?.[0]?.extensions?.code).toMatch(/GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT/);

    await app.gqlOk(
      `mutation($id: ID!) { closePrompt(id: $id) { isOpen } }`,
      { id: promptId },
      author.token,
    );
    const closed = await respond(reader, 'after closing');
    expect(closed.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(closed.errors?.[0]?.message).toMatch(/closed/);
    expect(await app.sql(`SELECT count(*)::int AS n FROM responses`)).toEqual(before);
  });
});

describe('a response is written in a short transaction that holds its prompt open', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;
  let counting = false;
  const statements: string[] = [];

  beforeAll(async () => {
    // The API alone: every statement seen is the request's.
    app = await startTestApp({
      env: { RATE_LIMITS: 'off', ROLE: 'api' },
      onQuery: (sql) => {
        if (counting) statements.push(sql.trim());
      },
    });
    const g = given(app);
    author = await g.author();
    reader = await g.reader();
  });
  afterAll(() => app.close());

  const respond = (promptId: string, body: string) =>
    app.gql<{ respond: { id: string; replyCount: number; author: { id: string } } }>(
      `mutation($input: RespondInput!) { respond(input: $input) { id replyCount author { id displayName } } }`,
      { input: { promptId, body } },
      reader.token,
    );
  const rowsWith = async (body: string) =>
    (
      await app.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM responses WHERE body_markdown = $1`,
        [body],
      )
    )[0]!.n;

  it('answers with no replies and the viewer as author, asking the database nothing after the commit', async () => {
    const promptId = (await given(app).publishedEssay(author)).prompts[0]!.id;
    const [viewer] = await app.sql<{ display_name: string }>(
      `SELECT display_name FROM users WHERE id = $1`,
      [reader.id],
    );
    statements.length = 0;
    counting = true;
    const result = await respond(promptId, 'Counted, statement by statement.').finally(() => {
      counting = false;
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.respond).toMatchObject({
      replyCount: 0,
      author: { id: reader.id, displayName: viewer!.display_name },
    });
    const begin = statements.findIndex((sql) => /^START TRANSACTION/.test(sql));
    const commit = statements.findIndex((sql) => /^COMMIT/.test(sql));
    // Lock prompt and essay, write the response, record its event.
    expect(statements.slice(begin, commit + 1).map((sql) => sql.split(/\s+/).slice(0, 3))).toEqual([
      ['START', 'TRANSACTION'],
      ['SELECT', 'p.is_open,', 'e.id'],
      ['INSERT', 'INTO', 'responses'],
      ['INSERT', 'INTO', 'events'],
      ['COMMIT'],
    ]);
    expect(statements.slice(commit + 1)).toEqual([]);
  });

  /**
   * Responds to `promptId` while `table`'s row `id` is held as a writer
   * changing it would hold it, until `change` runs and commits.
   */
  async function whileHeld(
    table: 'prompts' | 'essays',
    id: string,
    change: string,
    promptId: string,
    body: string,
  ) {
    const { default: pg } = await import('pg');
    const blocker = new pg.Client({ connectionString: app.config.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
      const pending = respond(promptId, body);
      // The response has passed its checks and waits on the lock, inside its transaction.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [waiting] = await app.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'
              AND query LIKE '%FOR SHARE OF p, e%'`,
        );
        if (waiting!.n > 0) break;
        if (Date.now() > deadline) throw new Error('the response never waited on the lock');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await blocker.query(change, [id]);
      await blocker.query('COMMIT');
      return await pending;
    } finally {
      await blocker.end();
    }
  }

  it('a prompt closed while the response waits for it refuses the response, writing nothing', async () => {
    const promptId = (await given(app).publishedEssay(author)).prompts[0]!.id;
    const body = 'Written as the prompt closes.';
    const result = await whileHeld(
      'prompts',
      promptId,
      'UPDATE prompts SET is_open = false WHERE id = $1',
      promptId,
      body,
    );
    expect(result.errors?.[0]).toMatchObject({
      message: 'This prompt is closed: it no longer takes responses.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await rowsWith(body)).toBe(0);
  });

  it('an essay archived while the response waits for it refuses the response, writing nothing', async () => {
    const essay = await given(app).publishedEssay(author);
    const body = 'Written as the essay is archived.';
    const result = await whileHeld(
      'essays',
      essay.id,
      `UPDATE essays SET status = 'ARCHIVED' WHERE id = $1`,
      essay.prompts[0]!.id,
      body,
    );
    expect(result.errors?.[0]).toMatchObject({
      message: 'This essay is not published: its prompts do not take responses yet.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await rowsWith(body)).toBe(0);
  });
});
