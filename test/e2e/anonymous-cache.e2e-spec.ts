import { startTestApp, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const PAGE = `query($id: ID!) { prompt(id: $id) { responses(first: 50) { edges { node {
  id body visibility reviewStatus author { displayName } replyCount } } } } }`;

interface PageNode {
  id: string;
  body: string | null;
  visibility: string;
  reviewStatus: string | null;
}

describe('anonymous reads come from a short-lived cache that never serves stale or private data', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;
  let promptId: string;

  beforeAll(async () => {
    // A long TTL, so that only invalidation can explain a fresh answer.
    app = await startTestApp({ env: { RATE_LIMITS: 'off', ANONYMOUS_CACHE_TTL_MS: '60000' } });
    const g = given(app);
    author = await g.author();
    reader = await g.reader();
    promptId = (await g.publishedEssay(author, 'Cached')).prompts[0]!.id;
  });
  afterAll(() => app.close());

  /** The prompt's page as a client sees it, with the x-cache header the cache sets. */
  const readPage = async (token?: string) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: PAGE, variables: { id: promptId } }),
    });
    const body = (await response.json()) as {
      data: { prompt: { responses: { edges: { node: PageNode }[] } } };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    return {
      cache: response.headers.get('x-cache'),
      nodes: body.data.prompt.responses.edges.map((edge) => edge.node),
    };
  };

  /** Reads anonymously until the answer is cached, so the next step starts from a warm cache. */
  const warm = async () => {
    await readPage();
    const again = await readPage();
    expect(again.cache).toBe('HIT');
    return again.nodes;
  };

  const respond = async (user: GivenUser, body: string, visibility = 'PUBLIC') =>
    (
      await app.gqlOk<{ respond: { id: string } }>(
        `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
        { input: { promptId, body, visibility } },
        user.token,
      )
    ).respond.id;

  it('shows a new public response to the very next anonymous read', async () => {
    await respond(reader, 'The first public answer');
    expect((await warm()).map((node) => node.body)).toEqual(['The first public answer']);

    const id = await respond(reader, 'A second public answer');
    const next = await readPage();
    expect(next.cache).toBe('MISS');
    expect(next.nodes.map((node) => node.id)).toContain(id);
  });

  it('never answers a signed-in request from the cache: private data shows at once', async () => {
    const cached = await warm();
    expect(cached.every((node) => node.reviewStatus === null)).toBe(true);

    // The same query with a token: run for the author, never the anonymous copy.
    const asAuthor = await readPage(author.token);
    expect(asAuthor.cache).toBeNull();
    expect(asAuthor.nodes.every((node) => node.reviewStatus === 'NEW')).toBe(true);

    const privateId = await respond(reader, 'Only for the author', 'PRIVATE');
    const asWriter = await readPage(reader.token);
    expect(asWriter.cache).toBeNull();
    expect(asWriter.nodes.map((node) => node.id)).toContain(privateId);
    expect((await readPage(author.token)).nodes.map((node) => node.id)).toContain(privateId);

    const anonymous = await readPage();
    expect(anonymous.nodes.map((node) => node.id)).not.toContain(privateId);
    expect(anonymous.nodes.every((node) => node.visibility === 'PUBLIC')).toBe(true);
  });

  it('drops what it holds when a response is edited, deleted or marked as spam', async () => {
    const edited = await respond(reader, 'Before the edit');
    const deleted = await respond(reader, 'About to be deleted');
    const spam = await respond(reader, 'Buy cheap things');
    const nodeOf = (nodes: PageNode[], id: string) => nodes.find((node) => node.id === id);

    expect(nodeOf(await warm(), edited)?.body).toBe('Before the edit');
    await app.gqlOk(
      `mutation($id: ID!) { editResponse(id: $id, body: "After the edit") { id } }`,
      { id: edited },
      reader.token,
    );
    expect(nodeOf((await readPage()).nodes, edited)?.body).toBe('After the edit');

    expect(nodeOf(await warm(), deleted)?.body).toBe('About to be deleted');
    await app.gqlOk(
      `mutation($id: ID!) { deleteResponse(id: $id) { id } }`,
      { id: deleted },
      reader.token,
    );
    expect(nodeOf((await readPage()).nodes, deleted)?.body).toBeNull();

    expect(nodeOf(await warm(), spam)).toBeDefined();
    await app.gqlOk(
      `mutation($input: ReviewResponseInput!) { reviewResponse(input: $input) { id } }`,
      { input: { id: spam, status: 'SPAM' } },
      author.token,
    );
    expect(nodeOf((await readPage()).nodes, spam)).toBeUndefined();
  });

  it('never serves a held response anonymously, and shows it at once when approved', async () => {
    const setMode = (mode: string) =>
      app.gqlOk(
        `mutation($mode: ModerationMode!) { updateModerationSettings(input: { mode: $mode }) { mode } }`,
        { mode },
        author.token,
      );
    await setMode('ALL');
    try {
      const held = await respond(reader, 'Held from the cache');
      const cached = await warm();
      expect(cached.map((node) => node.id)).not.toContain(held);
      await app.gqlOk(
        `mutation($id: ID!) { approveResponse(id: $id) { id } }`,
        { id: held },
        author.token,
      );
      const next = await readPage();
      expect(next.cache).toBe('MISS');
      expect(next.nodes.map((node) => node.id)).toContain(held);
    } finally {
      await setMode('OFF');
    }
  });

  it('drops a response whose edit is held at once, and shows it again when approved', async () => {
    const moderate = (blockedTerms: string[]) =>
      app.gqlOk(
        `mutation($terms: [String!]) { updateModerationSettings(input: { blockedTerms: $terms }) { mode } }`,
        { terms: blockedTerms },
        author.token,
      );
    await moderate(['cheap pills']);
    try {
      const posted = await respond(reader, 'An answer that goes out');
      expect((await warm()).map((node) => node.id)).toContain(posted);
      const { editResponse } = await app.gqlOk<{ editResponse: { moderationState: string } }>(
        `mutation($id: ID!) { editResponse(id: $id, body: "Now with cheap pills") { moderationState } }`,
        { id: posted },
        reader.token,
      );
      expect(editResponse.moderationState).toBe('HELD');
      const next = await readPage();
      expect(next.cache).toBe('MISS');
      expect(next.nodes.map((node) => node.id)).not.toContain(posted);
      expect((await warm()).map((node) => node.id)).not.toContain(posted);
      await app.gqlOk(
        `mutation($id: ID!) { approveResponse(id: $id) { id } }`,
        { id: posted },
        author.token,
      );
      expect((await readPage()).nodes.find((node) => node.id === posted)?.body).toBe(
        'Now with cheap pills',
      );
    } finally {
      await moderate([]);
    }
  });

  it('never caches mutations or answers with errors', async () => {
    const signIn = () =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { requestSignIn(email: "cache@example.test") }' }),
      });
    for (const response of [await signIn(), await signIn()]) {
      expect(response.headers.get('x-cache')).toBeNull();
    }
    const tokens = await app.sql(`SELECT 1 FROM sign_in_tokens WHERE email = $1`, [
      'cache@example.test',
    ]);
    expect(tokens).toHaveLength(2);

    const missing = () =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'query($id: ID!) { prompt(id: $id) { id } }',
          variables: { id: '00000000-0000-4000-8000-000000000000' },
        }),
      });
    await missing();
    const again = await missing();
    expect(again.headers.get('x-cache')).toBe('MISS');
    expect(((await again.json()) as { errors: unknown[] }).errors).toHaveLength(1);
  });
});
