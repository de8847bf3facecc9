import { startTestApp, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const SIMPLE_PAGE = `query($id: ID!, $first: Int!) {
  prompt(id: $id) {
    responses(first: $first) { edges { node { author { displayName } replyCount } } }
  }
}`;

const RICH_NODE = `
  author { displayName }
  replyCount
  prompt { text }
  essay { title responseCount }
  replies(first: 3) { edges { node { author { displayName } } } }
  edits { body }
  reviewStatus
  interest { status }
`;

const RICH_PAGE = `query($id: ID!, $first: Int!) {
  prompt(id: $id) { responses(first: $first) { edges { node { ${RICH_NODE} } } } }
}`;

const REVIEW_QUEUE_PAGE = `query($first: Int!) {
  reviewQueue(first: $first) { edges { node { ${RICH_NODE} } } }
}`;

interface RichNode {
  author: { displayName: string };
  replyCount: number;
  prompt: { text: string };
  essay: { title: string; responseCount: number };
  replies: { edges: { node: { author: { displayName: string } } }[] };
  edits: { body: string }[] | null;
  reviewStatus: string | null;
  interest: { status: string } | null;
}

/**
 * Invariant 5: a page costs the same number of SQL statements whatever its
 * size. The app runs without workers, so every statement counted is the
 * request's own.
 */
describe('a page of responses costs the same number of SQL statements at any size', () => {
  let app: TestApp;
  let author: GivenUser;
  let promptId: string;
  let essaySlug: string;
  let aReader: GivenUser;
  let counting = false;
  const statements: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({
      env: { RATE_LIMITS: 'off', ROLE: 'api' },
      onQuery: (sql) => {
        if (counting) statements.push(sql);
      },
    });
    const g = given(app);
    author = await g.author();
    const readers = await Promise.all(Array.from({ length: 6 }, () => g.reader()));
    const main = await g.publishedEssay(author, 'Many voices');
    const side = await g.publishedEssay(author, 'A side conversation');
    promptId = main.prompts[0]!.id;
    essaySlug = main.slug;
    aReader = readers[0]!;

    const respond = async (user: GivenUser, prompt: string, body: string, visibility: string) =>
      (
        await app.gqlOk<{ respond: { id: string } }>(
          `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
          { input: { promptId: prompt, body, visibility } },
          user.token,
        )
      ).respond.id;
    const reply = (user: GivenUser, id: string, body: string) =>
      app.gqlOk(
        `mutation($id: ID!, $body: String!) { replyToResponse(responseId: $id, body: $body) { id } }`,
        { id, body },
        user.token,
      );

    // 72 on the main prompt (every sixth private), 12 on the side essay, interleaved in time;
    // every page from the newest has replies, edits, reviews and interest in it.
    for (let i = 0; i < 84; i += 1) {
      app.clock.advance(1000);
      const onSide = i % 7 === 6;
      const writer = readers[i % readers.length]!;
      const id = await respond(
        writer,
        onSide ? side.prompts[0]!.id : promptId,
        `Response ${i} about what we build.`,
        i % 6 === 5 ? 'PRIVATE' : 'PUBLIC',
      );
      if (i % 3 === 0) {
        await reply(readers[(i + 1) % readers.length]!, id, `A reader answers ${i}.`);
        await reply(author, id, `The author answers ${i}.`);
      }
      if (i % 4 === 0) {
        await app.gqlOk(
          `mutation($id: ID!) { editResponse(id: $id, body: "Response ${i}, edited.") { id } }`,
          { id },
          writer.token,
        );
      }
      if (i % 2 === 0) {
        await app.gqlOk(
          `mutation($id: ID!) { reviewResponse(input: { id: $id, status: READ, note: "seen", labels: ["n+1"] }) { id } }`,
          { id },
          author.token,
        );
      }
    }
    for (const reader of readers.slice(0, 3)) {
      for (const essayId of [main.id, side.id]) {
        await app.gqlOk(
          `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id } }`,
          {
            input: {
              essayId,
              message: 'Let us work together.',
              building: 'Tools for co-ops',
              contactEmail: reader.email,
              consentToContact: true,
            },
          },
          reader.token,
        );
      }
    }
  });
  afterAll(() => app.close());

  /** Runs one request and counts the SQL statements it caused. */
  async function measure<T>(
    query: string,
    variables: Record<string, unknown>,
    token?: string,
  ): Promise<{ count: number; data: T }> {
    statements.length = 0;
    counting = true;
    try {
      const data = await app.gqlOk<T>(query, variables, token);
      return { count: statements.length, data };
    } finally {
      counting = false;
    }
  }

  type SimpleData = {
    prompt: {
      responses: { edges: { node: { author: { displayName: string }; replyCount: number } }[] };
    };
  };

  it.each([
    ['anonymous', (): string | undefined => undefined],
    ['the author', (): string | undefined => author.token],
  ] as const)('prompt responses with authors and reply counts, as %s', async (_who, token) => {
    const small = await measure<SimpleData>(SIMPLE_PAGE, { id: promptId, first: 5 }, token());
    const large = await measure<SimpleData>(SIMPLE_PAGE, { id: promptId, first: 50 }, token());

    const nodes = large.data.prompt.responses.edges.map((e) => e.node);
    expect(small.data.prompt.responses.edges).toHaveLength(5);
    expect(nodes).toHaveLength(50);
    expect(new Set(nodes.map((n) => n.author.displayName)).size).toBeGreaterThanOrEqual(5);
    expect(nodes.some((n) => n.replyCount === 2)).toBe(true);
    expect(large.count).toBe(small.count);
  });

  type RichData = { prompt: { responses: { edges: { node: RichNode }[] } } };

  it('the richer page the author reads: prompt, essay, replies, edits, review, interest', async () => {
    const small = await measure<RichData>(RICH_PAGE, { id: promptId, first: 5 }, author.token);
    const large = await measure<RichData>(RICH_PAGE, { id: promptId, first: 50 }, author.token);

    const nodes = large.data.prompt.responses.edges.map((e) => e.node);
    expect(nodes).toHaveLength(50);
    expectEveryFeature(nodes);
    expectEveryFeature(small.data.prompt.responses.edges.map((e) => e.node));
    expect(large.count).toBe(small.count);
  });

  type QueueData = { reviewQueue: { edges: { node: RichNode }[] } };

  it('the review queue with the same nested fields', async () => {
    const small = await measure<QueueData>(REVIEW_QUEUE_PAGE, { first: 5 }, author.token);
    const large = await measure<QueueData>(REVIEW_QUEUE_PAGE, { first: 50 }, author.token);

    const nodes = large.data.reviewQueue.edges.map((e) => e.node);
    expect(nodes).toHaveLength(50);
    expect(new Set(nodes.map((n) => n.essay.title))).toEqual(
      new Set(['Many voices', 'A side conversation']),
    );
    expectEveryFeature(nodes);
    expect(large.count).toBe(small.count);
  });
  type EssaysData = {
    essays: {
      edges: { node: { prompts: { responses: { edges: { node: { id: string } }[] } }[] } }[];
    };
  };

  it('a list of essays with each prompt’s first responses', async () => {
    const query = `query($first: Int!) { essays(first: $first) { edges { node {
      prompts { responses(first: 3) { edges { node { id author { displayName } replyCount } } } }
    } } } }`;
    const one = await measure<EssaysData>(query, { first: 1 });
    const both = await measure<EssaysData>(query, { first: 2 });
    const responsesOf = (data: EssaysData) =>
      data.essays.edges.flatMap((e) => e.node.prompts.flatMap((p) => p.responses.edges));
    expect(responsesOf(one.data)).toHaveLength(3);
    expect(responsesOf(both.data)).toHaveLength(6);
    expect(both.count).toBe(one.count);
  });

  type EssayPageData = {
    essay: {
      prompts: {
        responses: {
          edges: {
            node: {
              id: string;
              prompt: { text: string };
              essay: { title: string };
              replies: { edges: { node: { parent: { id: string } } }[] };
            };
          }[];
        };
      }[];
    };
  };

  it('an essay page reads its essay, its prompts and the responses it shows once each', async () => {
    const query = `query($slug: String!) { essay(slug: $slug) { title prompts { text
      responses(first: 10) { edges { node { id prompt { text } essay { title }
        replies(first: 3) { edges { node { parent { id } prompt { text } essay { title } } } }
      } } }
    } } }`;
    const { data } = await measure<EssayPageData>(query, { slug: essaySlug }, aReader.token);
    const nodes = data.essay.prompts.flatMap((p) => p.responses.edges.map((e) => e.node));
    expect(nodes).toHaveLength(10);
    const replies = nodes.flatMap((n) =>
      n.replies.edges.map((e) => ({ parent: e.node.parent.id, of: n.id })),
    );
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) expect(reply.parent).toBe(reply.of);
    expect(nodes.every((n) => n.essay.title === 'Many voices' && n.prompt.text.length > 0)).toBe(
      true,
    );
    // Found again by id, they would be read again: the page primed them.
    const byId = (table: string) =>
      statements.filter((sql) =>
        new RegExp(`FROM "?${table}"?\\b[^]*WHERE\\s+("?\\w+"?\\.)?"?id"?\\s*(= ANY|IN)`, 'i').test(
          sql,
        ),
      );
    expect(byId('essays')).toEqual([]);
    expect(byId('prompts')).toEqual([]);
    expect(byId('responses')).toEqual([]);
  });
});

/** The page exercises every nested field with data, so nothing was skipped for being empty. */
function expectEveryFeature(nodes: RichNode[]): void {
  expect(nodes.some((n) => n.replies.edges.length === 2)).toBe(true);
  expect(nodes.some((n) => (n.edits ?? []).length > 0)).toBe(true);
  expect(nodes.some((n) => n.reviewStatus === 'READ')).toBe(true);
  expect(nodes.some((n) => n.interest?.status === 'NEW')).toBe(true);
  expect(nodes.some((n) => n.interest === null)).toBe(true);
  expect(nodes.every((n) => n.prompt.text.length > 0 && n.essay.responseCount > 0)).toBe(true);
}
