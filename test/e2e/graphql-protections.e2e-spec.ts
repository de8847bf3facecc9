import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

/** `essays { edges { node { prompts { essay { prompts { … } } } } } }`, `hops` prompt↔essay hops deep. */
function nestedQuery(hops: number): string {
  let selection = 'id';
  for (let i = 0; i < hops; i += 1) {
    selection = (hops - i) % 2 === 1 ? `prompts { ${selection} }` : `essay { ${selection} }`;
  }
  return `{ essays(first: 1) { edges { node { ${selection} } } } }`;
}

/** How many fields deep a query without fragments goes, as the depth limit counts. */
function depthOf(query: string): number {
  let depth = 0;
  let max = 0;
  for (const char of query) {
    if (char === '{') max = Math.max(max, (depth += 1));
    if (char === '}') depth -= 1;
  }
  // Field levels, the leaf included: the operation's own braces hold the first level.
  return max;
}

describe('what the GraphQL endpoint refuses', () => {
  let app: TestApp;
  let author: GivenUser;

  beforeAll(async () => {
    app = await startTestApp();
    author = await given(app).author();
    await given(app).publishedEssay(author, 'Deep thoughts');
  });
  afterAll(() => app.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  /** No error, whatever its kind, may carry a stack trace or internals. */
  function expectNoInternals(body: unknown): void {
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/stacktrace/i);
    expect(text).not.toMatch(/\bat [\w.<>]+ \(/); // a stack frame
    expect(text).not.toMatch(/node_modules|\/src\/|\.ts:\d+/);
  }

  it('answers a query ten levels deep', async () => {
    const query = nestedQuery(6);
    expect(depthOf(query)).toBe(10);
    const result = await app.gql(query);
    expect(result.errors).toBeUndefined();
    expect(result.data?.essays.edges).toHaveLength(1);
  });

  it('refuses a query deeper than 10 as BAD_USER_INPUT, naming the depth limit', async () => {
    const query = nestedQuery(7);
    expect(depthOf(query)).toBe(11);
    for (const token of [undefined, author.token]) {
      const response = await post(JSON.stringify({ query }), {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      });
      const result = (await response.json()) as GraphQLResult;
      expect(result.data ?? null).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect(result.errors?.[0]?.message).toMatch(/depth/i);
      expect(result.errors?.[0]?.message).toContain('10');
      expectNoInternals(result);
    }
  });

  it('counts depth through fragments too', async () => {
    const query = `
      query { essays(first: 1) { edges { node { ...deep } } } }
      fragment deep on Essay { prompts { essay { prompts { essay { prompts { essay { prompts { essay { id } } } } } } } } }`;
    const result = await app.gql(query);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/depth/i);
  });

  describe('the node limit (10,000 list items by default)', () => {
    /** The page a reader's browser loads: every prompt, 50 responses, 10 replies each, with authors. */
    const ESSAY_PAGE = `query($slug: String!) {
      essay(slug: $slug) {
        id title bodyHtml
        prompts {
          id text isOpen responseCount
          responses(first: 50) {
            pageInfo { hasNextPage endCursor }
            edges { cursor node {
              id bodyHtml createdAt replyCount author { id displayName }
              replies(first: 10) {
                pageInfo { hasNextPage endCursor }
                edges { node { id bodyHtml createdAt author { id displayName } } }
              }
            } }
          }
        }
      }
    }`;

    /** `reviewQueue(first: 100)` with `replies(first: 99)` under each: exactly 10,000 nodes. */
    const TEN_THOUSAND = `reviewQueue(first: 100) { edges { node { id replies(first: 99) { edges { node { id } } } } } }`;

    function expectRefusedFor(result: GraphQLResult, nodes: number): void {
      expect(result.data ?? null).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect(result.errors?.[0]?.message).toContain(`fetch ${nodes} nodes`);
      expect(result.errors?.[0]?.message).toContain('limit is 10000');
      expectNoInternals(result);
    }

    it("answers an essay's whole page: prompts, 50 responses, 10 replies each, with authors", async () => {
      const essay = await given(app).publishedEssay(author, 'A page to read');
      const reader = await given(app).reader();
      const first = await app.gqlOk<{ respond: { id: string } }>(
        `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
        { input: { promptId: essay.prompts[0]!.id, body: 'Something small.' } },
        reader.token,
      );
      await app.gqlOk(
        `mutation($id: ID!) { replyToResponse(responseId: $id, body: "Thanks!") { id } }`,
        { id: first.respond.id },
        author.token,
      );
      for (const token of [undefined, reader.token, author.token]) {
        const result = await app.gql(ESSAY_PAGE, { slug: essay.slug }, token);
        expect(result.errors).toBeUndefined();
        const responses = result.data?.essay.prompts[0].responses.edges;
        expect(responses).toHaveLength(1);
        expect(responses[0].node.replies.edges).toHaveLength(1);
      }
    });

    it('answers an operation of exactly 10,000 nodes, refuses 10,001 naming the count and the limit', async () => {
      const exact = await app.gql(`{ ${TEN_THOUSAND} }`, {}, author.token);
      expect(exact.errors).toBeUndefined();
      expect(exact.data?.reviewQueue.edges).toEqual(expect.any(Array));

      const over = `{ ${TEN_THOUSAND} essays(first: 1) { edges { node { id } } } }`;
      for (const token of [undefined, author.token]) {
        const response = await post(JSON.stringify({ query: over }), {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        });
        expect(response.status).toBe(400);
        expectRefusedFor((await response.json()) as GraphQLResult, 10_001);
      }
    });

    it('counts `first` given in variables, and the defaults of variables left out', async () => {
      const query = `query($n: Int, $m: Int = 100) {
        reviewQueue(first: $n) { edges { node { replies(first: $m) { edges { node { id } } } } } }
      }`;
      expectRefusedFor(await app.gql(query, { n: 100, m: 100 }, author.token), 10_100);
      expectRefusedFor(await app.gql(query, { n: 100 }, author.token), 10_100);
      // Left out, `first` is the argument's default (20): 20 + 20 × 10.
      const small = await app.gql(query, { m: 10 }, author.token);
      expect(small.errors).toBeUndefined();
    });

    it('counts what fragments, inline fragments and aliases select, each time they are used', async () => {
      const queue = (first: number) =>
        `reviewQueue(first: ${first}) { edges { node { ...replies } } }`;
      const fragment = `fragment replies on Response { ... on Response { replies(first: 100) { edges { node { id } } } } }`;
      // 50 + 50 × 100 = 5,050: once is fine, twice (aliased) is not.
      const once = await app.gql(`{ ${queue(50)} } ${fragment}`, {}, author.token);
      expect(once.errors).toBeUndefined();
      expectRefusedFor(
        await app.gql(`{ a: ${queue(50)} b: ${queue(50)} } ${fragment}`, {}, author.token),
        10_100,
      );
      // The same fragment spread twice through another one.
      const twice = `{ reviewQueue(first: 50) { edges { node { ...both } } } }
        fragment both on Response { ...replies again: replies(first: 100) { edges { node { id } } } }
        ${fragment}`;
      expectRefusedFor(await app.gql(twice, {}, author.token), 10_050);
    });
  });

  describe('aliases and root fields (30 each)', () => {
    const aliased = (count: number, field: (i: number) => string) =>
      Array.from({ length: count }, (_, i) => `a${i}: ${field(i)}`).join(' ');

    function expectRefused(result: GraphQLResult, text: RegExp): void {
      expect(result.data ?? null).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect(result.errors?.[0]?.message).toMatch(text);
      expectNoInternals(result);
    }

    it('answers 30 aliases and refuses 31, however cheap, wherever they sit', async () => {
      const thirty = await app.gql(`{ ${aliased(30, () => '__typename')} }`);
      expect(thirty.errors).toBeUndefined();
      expect(Object.keys(thirty.data ?? {})).toHaveLength(30);
      expectRefused(
        await app.gql(`{ ${aliased(31, () => '__typename')} }`),
        /31 aliases; the limit is 30/,
      );
      expectRefused(
        await app.gql(`{ me { ${aliased(31, () => 'id')} } }`, {}, author.token),
        /31 aliases; the limit is 30/,
      );
      // Through a fragment spread twice: 16 × 2.
      expectRefused(
        await app.gql(`{ essays(first: 1) { edges { node { ...f ... f } } } }
          fragment f on Essay { ${aliased(16, () => 'id')} }`),
        /32 aliases; the limit is 30/,
      );
    });

    it('refuses more than 30 root fields, aliased or not', async () => {
      const roots = (count: number) => Array.from({ length: count }, () => 'me { id }').join(' ');
      expect((await app.gql(`{ ${roots(30)} }`)).errors).toBeUndefined();
      expectRefused(await app.gql(`{ ${roots(31)} }`), /31 root fields; the limit is 30/);
      // Nothing ran: 31 sign-in requests would have written tokens.
      const mutation = `mutation { ${aliased(31, (i) => `requestSignIn(email: "r${i}@example.test")`)} }`;
      expectRefused(await app.gql(mutation), /31 aliases/);
      expect(await app.sql(`SELECT id FROM sign_in_tokens`)).toEqual([]);
    });
  });

  it('refuses batched requests (a JSON array body)', async () => {
    const response = await post(
      JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]),
    );
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toMatch(/batch/i);
    expect(text).not.toMatch(/"me"/);
  });

  describe('CSRF prevention', () => {
    it('refuses a GET without a preflight-forcing header', async () => {
      const response = await fetch(
        `${app.url}/graphql?query=${encodeURIComponent('{ me { id } }')}`,
      );
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/Cross-Site Request Forgery/i);
    });

    it('refuses a simple POST (text/plain, form encoded) without a preflight-forcing header', async () => {
      for (const [contentType, body] of [
        ['text/plain', JSON.stringify({ query: 'mutation { requestSignIn(email: "a@b.test") }' })],
        [
          'application/x-www-form-urlencoded',
          'query=mutation%7BrequestSignIn(email%3A%22a%40b.test%22)%7D',
        ],
      ] as const) {
        const response = await fetch(`${app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
        });
        expect(response.status).toBe(400);
        const text = await response.text();
        expect(text).toMatch(/Cross-Site Request Forgery/i);
        expect(text).not.toContain('"data"');
      }
      // Multipart (file uploads) is not accepted at all.
      const multipart = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        body: '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ me { id } }"}\r\n--x--',
      });
      expect([400, 415]).toContain(multipart.status);
      expect(await multipart.text()).not.toContain('"data"');
      expect(await app.sql(`SELECT id FROM sign_in_tokens`)).toEqual([]);
    });

    it('accepts a GET query that carries a preflight-forcing header', async () => {
      const response = await fetch(
        `${app.url}/graphql?query=${encodeURIComponent('{ me { id } }')}`,
        { headers: { 'apollo-require-preflight': 'true' } },
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { me: null } });
    });

    it('never runs a mutation over GET', async () => {
      const query = encodeURIComponent(`mutation { requestSignIn(email: "get@example.test") }`);
      const response = await fetch(`${app.url}/graphql?query=${query}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(response.status).toBe(405);
      expect(await app.sql(`SELECT id FROM sign_in_tokens`)).toEqual([]);
    });
  });

  describe('errors', () => {
    it('answers an unknown field with a validation error, not a server error', async () => {
      const response = await post(JSON.stringify({ query: '{ essays { nope } }' }));
      expect(response.status).toBe(400);
      const result = (await response.json()) as GraphQLResult;
      expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(result.errors?.[0]?.message).toMatch(/Cannot query field "nope"/);
      expectNoInternals(result);
    });

    it('answers malformed requests with 400 and no internals', async () => {
      const cases: [string, string][] = [
        ['{ essays { ', 'GRAPHQL_PARSE_FAILED'],
        ['query($first: Int) { essays(first: $first) { edges { cursor } } }', 'BAD_USER_INPUT'],
      ];
      for (const [query, code] of cases) {
        const response = await post(JSON.stringify({ query, variables: { first: 'many' } }));
        expect(response.status).toBe(400);
        const result = (await response.json()) as GraphQLResult;
        expect(result.errors?.[0]?.extensions?.code).toBe(code);
        expectNoInternals(result);
      }
      for (const body of ['{"query": ', 'null', '{"query": 42}', '{}']) {
        const response = await post(body);
        expect(response.status).toBe(400);
        expectNoInternals(await response.text());
      }
    });

    it('keeps stack traces out of every kind of error response', async () => {
      const reader = await given(app).reader();
      const responses = await Promise.all([
        app.gql(`{ essay(slug: "missing") { id } }`),
        app.gql(`mutation { publishEssay(id: "x") { id } }`),
        app.gql(`mutation { publishEssay(id: "x") { id } }`, {}, reader.token),
        app.gql(`mutation { requestSignIn(email: "nope") }`),
        app.gql(`mutation { signIn(token: "short") { token } }`),
        app.gql(`{ essays(first: 0) { edges { cursor } } }`),
        app.gql(`{ essays(after: "bad") { edges { cursor } } }`),
        app.gql(`{ me { id } }`, {}, 'not-a-token'),
        app.gql(
          `mutation { importEssay(markdown: "---\\ntitle: [\\n---\\nx") { id } }`,
          {},
          author.token,
        ),
      ]);
      for (const result of responses) {
        expect(result.errors?.length).toBeGreaterThan(0);
        for (const error of result.errors ?? []) {
          expect(error.extensions?.code).toMatch(/^[A-Z_]+$/);
          expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
          expect(error.extensions).not.toHaveProperty('stacktrace');
          expect(error.extensions).not.toHaveProperty('exception');
        }
        expectNoInternals(result);
      }
    });
  });
});
