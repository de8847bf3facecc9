import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const ESSAYS = `query($first: Int, $after: String, $status: EssayStatus) {
  essays(first: $first, after: $after, status: $status) {
    edges { cursor node { slug status publishedAt createdAt } }
    pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
  }
}`;

interface EssayNode {
  slug: string;
  status: string;
  publishedAt: string | null;
  createdAt: string;
}
interface EssaysPage {
  essays: {
    edges: { cursor: string; node: EssayNode }[];
    pageInfo: {
      hasNextPage: boolean;
      endCursor: string | null;
      hasPreviousPage: boolean;
      startCursor: string | null;
    };
  };
}

const codeOf = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;

describe('listing essays, one page at a time', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;
  /** Published essays, newest first. */
  const published = ['fifth', 'fourth', 'third', 'second', 'first'];
  const drafts = ['draft-b', 'draft-a'];
  let draftPromptId: string;
  let publishedPromptId: string;

  const slugs = (page: EssaysPage) => page.essays.edges.map((edge) => edge.node.slug);

  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-01-10T12:00:00Z') });
    author = await given(app).author();
    reader = await given(app).reader();
    // Imported out of order; publishedAt decides the order, not the order of import.
    const dates: Record<string, string> = {
      third: '2025-03-01T09:00:00.000Z',
      first: '2025-01-01T09:00:00.000Z',
      fifth: '2025-05-01T09:00:00.000Z',
      second: '2025-02-01T09:00:00.000Z',
      fourth: '2025-04-01T09:00:00.000Z',
    };
    for (const [slug, date] of Object.entries(dates)) {
      const essay = await given(app).essay(
        author,
        `---\ntitle: The ${slug} essay\nslug: ${slug}\nstatus: published\npublishedAt: ${date}\n---\n\nBody.\n\n## End\n\nWhat about ${slug}?\n`,
      );
      if (slug === 'third') publishedPromptId = essay.prompts[0]!.id;
    }
    // Drafts have no publishedAt: they sort by createdAt, which is later than every date above.
    for (const slug of [...drafts].reverse()) {
      const essay = await given(app).essay(
        author,
        `---\ntitle: Draft ${slug}\nslug: ${slug}\nstatus: draft\n---\n\nSecret.\n\n## End\n\nHidden question?\n`,
      );
      draftPromptId = essay.prompts[0]!.id;
    }
  });
  afterAll(() => app.close());

  it('is a Relay connection of published essays, newest first, for readers and anonymous visitors', async () => {
    for (const token of [undefined, reader.token]) {
      const page = await app.gqlOk<EssaysPage>(ESSAYS, { first: 10 }, token);
      expect(slugs(page)).toEqual(published);
      expect(page.essays.edges.every((edge) => edge.node.status === 'PUBLISHED')).toBe(true);
      expect(page.essays.edges[0]!.node.publishedAt).toBe('2025-05-01T09:00:00.000Z');
      expect(page.essays.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: false,
        startCursor: page.essays.edges[0]!.cursor,
        endCursor: page.essays.edges.at(-1)!.cursor,
      });
    }
  });

  it('shows readers nothing when they ask for drafts or archived essays', async () => {
    for (const status of ['DRAFT', 'ARCHIVED']) {
      for (const token of [undefined, reader.token]) {
        const page = await app.gqlOk<EssaysPage>(ESSAYS, { status }, token);
        expect(page.essays).toEqual({
          edges: [],
          pageInfo: {
            hasNextPage: false,
            hasPreviousPage: false,
            startCursor: null,
            endCursor: null,
          },
        });
      }
    }
    const page = await app.gqlOk<EssaysPage>(ESSAYS, { status: 'PUBLISHED' }, reader.token);
    expect(slugs(page)).toEqual(published);
  });

  it('shows the author every essay, drafts by creation time, and filters by status', async () => {
    const all = await app.gqlOk<EssaysPage>(ESSAYS, {}, author.token);
    expect(slugs(all)).toEqual([...drafts, ...published]);
    const onlyDrafts = await app.gqlOk<EssaysPage>(ESSAYS, { status: 'DRAFT' }, author.token);
    expect(slugs(onlyDrafts)).toEqual(drafts);
    expect(onlyDrafts.essays.edges.map((edge) => edge.node.publishedAt)).toEqual([null, null]);
    const onlyPublished = await app.gqlOk<EssaysPage>(
      ESSAYS,
      { status: 'PUBLISHED' },
      author.token,
    );
    expect(slugs(onlyPublished)).toEqual(published);
    const archived = await app.gqlOk<EssaysPage>(ESSAYS, { status: 'ARCHIVED' }, author.token);
    expect(archived.essays.edges).toEqual([]);
  });

  it('visits every essay exactly once when walking pages of two', async () => {
    for (const [token, expected] of [
      [reader.token, published],
      [author.token, [...drafts, ...published]],
    ] as const) {
      const visited: string[] = [];
      const pages: EssaysPage['essays']['pageInfo'][] = [];
      let after: string | null = null;
      do {
        const page: EssaysPage = await app.gqlOk<EssaysPage>(ESSAYS, { first: 2, after }, token);
        expect(page.essays.edges.length).toBeLessThanOrEqual(2);
        visited.push(...slugs(page));
        pages.push(page.essays.pageInfo);
        after = page.essays.pageInfo.hasNextPage ? page.essays.pageInfo.endCursor : null;
        expect(pages.length).toBeLessThan(10);
      } while (after);
      expect(visited).toEqual(expected);
      expect(pages).toHaveLength(Math.ceil(expected.length / 2));
      expect(pages[0]!.hasPreviousPage).toBe(false);
      expect(pages.slice(1).every((info) => info.hasPreviousPage)).toBe(true);
      expect(pages.at(-1)!.hasNextPage).toBe(false);
    }
  });

  it('keeps its place when an essay is published between pages', async () => {
    const firstPage = await app.gqlOk<EssaysPage>(ESSAYS, { first: 2 }, reader.token);
    expect(slugs(firstPage)).toEqual(['fifth', 'fourth']);
    await given(app).essay(
      author,
      `---\ntitle: Breaking\nslug: breaking\nstatus: published\n---\n\nNews.\n`,
    );
    const rest = await app.gqlOk<EssaysPage>(
      ESSAYS,
      { first: 10, after: firstPage.essays.pageInfo.endCursor },
      reader.token,
    );
    expect(slugs(rest)).toEqual(['third', 'second', 'first']);
    const fresh = await app.gqlOk<EssaysPage>(ESSAYS, { first: 1 }, reader.token);
    expect(slugs(fresh)).toEqual(['breaking']);
    await app.sql(`DELETE FROM essays WHERE slug = 'breaking'`);
  });

  it('refuses page sizes outside 1 to 100 as BAD_USER_INPUT', async () => {
    for (const first of [0, -1, 101, 1000]) {
      const result = await app.gql(ESSAYS, { first }, reader.token);
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'first',
      });
    }
    const hundred = await app.gqlOk<EssaysPage>(ESSAYS, { first: 100 }, reader.token);
    expect(slugs(hundred)).toEqual(published);
  });

  it('refuses a cursor it did not give out as BAD_USER_INPUT', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const after of [
      'garbage',
      '',
      b64({ not: 'an array' }),
      b64(['not-a-date', '7d1c6a4e-2a8b-4f7e-9d7c-2f0a8e1b9c3d']),
      b64(['2025-01-01T00:00:00.000000', 'not-a-uuid']),
      b64(['2025-13-45T99:00:00.000000', '7d1c6a4e-2a8b-4f7e-9d7c-2f0a8e1b9c3d']),
      b64(["2025-01-01'; DROP TABLE essays; --", '7d1c6a4e-2a8b-4f7e-9d7c-2f0a8e1b9c3d']),
    ]) {
      for (const token of [reader.token, author.token]) {
        const result = await app.gql(ESSAYS, { first: 2, after }, token);
        expect(result.data).toBeNull();
        expect(result.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'after',
        });
      }
    }
    expect(await app.sql(`SELECT count(*)::int AS count FROM essays`)).toEqual([{ count: 7 }]);
  });

  describe('single items', () => {
    it('finds a published essay by slug for anyone, a draft only for the author', async () => {
      const { essay } = await app.gqlOk(`{ essay(slug: "third") { slug title prompts { text } } }`);
      expect(essay).toEqual({
        slug: 'third',
        title: 'The third essay',
        prompts: [{ text: 'What about third?' }],
      });
      for (const token of [undefined, reader.token]) {
        const hidden = await app.gql(`{ essay(slug: "draft-a") { slug } }`, {}, token);
        expect(hidden.data).toBeNull();
        expect(codeOf(hidden)).toBe('NOT_FOUND');
        const missing = await app.gql(`{ essay(slug: "no-such-essay") { slug } }`, {}, token);
        expect(codeOf(missing)).toBe('NOT_FOUND');
        // A draft and a missing essay look the same, so drafts cannot be discovered.
        expect(hidden.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
      }
      const { essay: draft } = await app.gqlOk(
        `{ essay(slug: "draft-a") { slug status } }`,
        {},
        author.token,
      );
      expect(draft).toEqual({ slug: 'draft-a', status: 'DRAFT' });
    });

    it('finds a prompt by id, with its essay; a prompt of a draft only for the author', async () => {
      const PROMPT = `query($id: ID!) { prompt(id: $id) { id text isOpen essay { slug } } }`;
      const { prompt } = await app.gqlOk(PROMPT, { id: publishedPromptId }, reader.token);
      expect(prompt).toEqual({
        id: publishedPromptId,
        text: 'What about third?',
        isOpen: true,
        essay: { slug: 'third' },
      });
      for (const token of [undefined, reader.token]) {
        const hidden = await app.gql(PROMPT, { id: draftPromptId }, token);
        expect(hidden.data).toBeNull();
        expect(codeOf(hidden)).toBe('NOT_FOUND');
      }
      for (const id of ['7d1c6a4e-2a8b-4f7e-9d7c-2f0a8e1b9c3d', 'not-a-uuid']) {
        expect(codeOf(await app.gql(PROMPT, { id }, author.token))).toBe('NOT_FOUND');
      }
      const { prompt: own } = await app.gqlOk(PROMPT, { id: draftPromptId }, author.token);
      expect(own).toMatchObject({ id: draftPromptId, essay: { slug: 'draft-b' } });
    });

    it('answers me with the signed-in user, or null when anonymous', async () => {
      const ME = `{ me { id email role displayName } }`;
      expect(await app.gql(ME)).toEqual({ data: { me: null } });
      const { me } = await app.gqlOk(ME, {}, reader.token);
      expect(me).toEqual({
        id: reader.id,
        email: reader.email,
        role: 'READER',
        displayName: reader.email.split('@')[0],
      });
      const { me: authorMe } = await app.gqlOk(ME, {}, author.token);
      expect(authorMe).toMatchObject({ id: author.id, role: 'AUTHOR' });
    });
  });
});
