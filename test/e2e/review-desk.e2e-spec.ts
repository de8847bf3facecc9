import { parse } from 'csv-parse/sync';
import { startTestApp, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const QUEUE = `query($filter: ReviewQueueFilter, $first: Int, $after: String, $order: ReviewOrder) {
  reviewQueue(filter: $filter, first: $first, after: $after, order: $order) {
    edges { cursor node { id body reviewStatus reviewNote labels reviewedAt author { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe("the author's review desk", () => {
  let app: TestApp;
  let author: GivenUser;
  let ana: GivenUser;
  let ben: GivenUser;
  let essay: { id: string; slug: string; prompts: { id: string }[] };
  const ids: Record<string, string> = {};

  const respond = async (user: GivenUser, body: string, visibility = 'PUBLIC') => {
    const data = await app.gqlOk(
      `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
      { input: { promptId: essay.prompts[0]!.id, body, visibility } },
      user.token,
    );
    return data.respond.id as string;
  };

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
    const g = given(app);
    author = await g.author();
    ana = await g.reader();
    ben = await g.reader();
    essay = await g.publishedEssay(author, 'Review desk');
    ids.garden = await respond(ana, 'I am building a community garden with my neighbours.');
    app.clock.advance(1000);
    ids.tools = await respond(ben, 'Tools for cooperative housing, "shared" and open.');
    app.clock.advance(1000);
    ids.private = await respond(ben, 'A private note about gardens and money.', 'PRIVATE');
    app.clock.advance(1000);
    const reply = await app.gqlOk(
      `mutation($id: ID!) { replyToResponse(responseId: $id, body: "Thank you, Ana!") { id } }`,
      { id: ids.garden },
      author.token,
    );
    ids.authorReply = reply.replyToResponse.id;
  });
  afterAll(() => app.close());

  it('lists what readers wrote, newest first, without the author’s own replies', async () => {
    const { reviewQueue } = await app.gqlOk(QUEUE, {}, author.token);
    expect(reviewQueue.edges.map((e: any) => e.node.id)).toEqual([
      ids.private,
      ids.tools,
      ids.garden,
    ]);
    expect(reviewQueue.edges[0].node).toMatchObject({
      reviewStatus: 'NEW',
      reviewNote: null,
      labels: [],
      reviewedAt: null,
    });
  });

  it('is for the author only', async () => {
    expect((await app.gql(QUEUE, {}, ana.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql(QUEUE, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const review = `mutation { reviewResponse(input: { id: "${ids.garden}", status: SHORTLISTED }) { id } }`;
    expect((await app.gql(review, {}, ana.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [row] = await app.sql(`SELECT review_status FROM responses WHERE id = $1`, [ids.garden]);
    expect(row).toEqual({ review_status: 'NEW' });
  });

  it('reviews one response: status, private note, labels; filters find it', async () => {
    const { reviewResponse } = await app.gqlOk(
      `mutation($input: ReviewResponseInput!) { reviewResponse(input: $input) { reviewStatus reviewNote labels reviewedAt } }`,
      {
        input: {
          id: ids.garden,
          status: 'SHORTLISTED',
          note: 'Call her',
          labels: ['Follow up', 'follow up ', 'garden'],
        },
      },
      author.token,
    );
    expect(reviewResponse).toMatchObject({
      reviewStatus: 'SHORTLISTED',
      reviewNote: 'Call her',
      labels: ['follow up', 'garden'],
    });
    expect(reviewResponse.reviewedAt).not.toBeNull();

    const byStatus = await app.gqlOk(QUEUE, { filter: { status: 'SHORTLISTED' } }, author.token);
    expect(byStatus.reviewQueue.edges.map((e: any) => e.node.id)).toEqual([ids.garden]);
    const byLabel = await app.gqlOk(QUEUE, { filter: { label: 'Follow Up' } }, author.token);
    expect(byLabel.reviewQueue.edges.map((e: any) => e.node.id)).toEqual([ids.garden]);

    // Readers never see review fields, even on their own response.
    const own = await app.gqlOk(
      `query($id: ID!) { response(id: $id) { reviewStatus reviewNote labels reviewedAt } }`,
      { id: ids.garden },
      ana.token,
    );
    expect(own.response).toEqual({
      reviewStatus: null,
      reviewNote: null,
      labels: null,
      reviewedAt: null,
    });
  });

  it('searches bodies with full-text search, best match first', async () => {
    const found = await app.gqlOk(QUEUE, { filter: { search: 'gardens' } }, author.token);
    expect(found.reviewQueue.edges.map((e: any) => e.node.id).sort()).toEqual(
      [ids.garden, ids.private].sort(),
    );
    const none = await app.gqlOk(QUEUE, { filter: { search: 'spaceship' } }, author.token);
    expect(none.reviewQueue.edges).toEqual([]);
    const badOrder = await app.gql(QUEUE, { order: 'RELEVANCE' }, author.token);
    expect(badOrder.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'order',
    });
  });

  it('pages through the queue', async () => {
    const first = await app.gqlOk(QUEUE, { first: 2 }, author.token);
    expect(first.reviewQueue.pageInfo.hasNextPage).toBe(true);
    const second = await app.gqlOk(
      QUEUE,
      { first: 2, after: first.reviewQueue.pageInfo.endCursor },
      author.token,
    );
    const seen = [...first.reviewQueue.edges, ...second.reviewQueue.edges].map(
      (e: any) => e.node.id,
    );
    expect(seen).toEqual([ids.private, ids.tools, ids.garden]);
    expect(second.reviewQueue.pageInfo.hasNextPage).toBe(false);
  });

  it('filters by collaborator interest', async () => {
    await app.sql(
      `INSERT INTO collaborator_interests (essay_id, reader_id, message, building, contact_email, consent_to_contact)
       VALUES ($1, $2, 'Let us work together', 'Housing tools', $3, true)`,
      [essay.id, ben.id, ben.email],
    );
    const withInterest = await app.gqlOk(QUEUE, { filter: { hasInterest: true } }, author.token);
    expect(withInterest.reviewQueue.edges.map((e: any) => e.node.id)).toEqual([
      ids.private,
      ids.tools,
    ]);
    const without = await app.gqlOk(QUEUE, { filter: { hasInterest: false } }, author.token);
    expect(without.reviewQueue.edges.map((e: any) => e.node.id)).toEqual([ids.garden]);
  });

  it('triages in bulk, all or nothing', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const failed = await app.gql(
      `mutation($ids: [ID!]!) { reviewResponses(ids: $ids, status: READ) { id } }`,
      { ids: [ids.tools, unknown] },
      author.token,
    );
    expect(failed.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await app.sql(`SELECT review_status FROM responses WHERE id = $1`, [ids.tools])).toEqual(
      [{ review_status: 'NEW' }],
    );

    const tooMany = await app.gql(
      `mutation($ids: [ID!]!) { reviewResponses(ids: $ids, status: READ) { id } }`,
      { ids: Array.from({ length: 101 }, () => unknown) },
      author.token,
    );
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const done = await app.gqlOk(
      `mutation($ids: [ID!]!) { reviewResponses(ids: $ids, status: READ) { id reviewStatus } }`,
      { ids: [ids.tools, ids.private] },
      author.token,
    );
    expect(done.reviewResponses).toEqual([
      { id: ids.tools, reviewStatus: 'READ' },
      { id: ids.private, reviewStatus: 'READ' },
    ]);
  });

  it('SPAM hides a response from everyone but the author', async () => {
    const promptQuery = `query($id: ID!) { prompt(id: $id) { responseCount responses { edges { node { id } } } } }`;
    const before = await app.gqlOk(promptQuery, { id: essay.prompts[0]!.id }, ana.token);
    await app.gqlOk(
      `mutation { reviewResponse(input: { id: "${ids.tools}", status: SPAM }) { id } }`,
      {},
      author.token,
    );
    const after = await app.gqlOk(promptQuery, { id: essay.prompts[0]!.id }, ana.token);
    expect(after.prompt.responseCount).toBe(before.prompt.responseCount - 1);
    expect(after.prompt.responses.edges.map((e: any) => e.node.id)).not.toContain(ids.tools);
    const byWriter = await app.gql(
      `query($id: ID!) { response(id: $id) { id } }`,
      { id: ids.tools },
      ben.token,
    );
    expect(byWriter.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const byAuthor = await app.gqlOk(
      `query($id: ID!) { response(id: $id) { reviewStatus } }`,
      { id: ids.tools },
      author.token,
    );
    expect(byAuthor.response.reviewStatus).toBe('SPAM');
    // Out of the default queue, in the SPAM filter.
    const queue = await app.gqlOk(QUEUE, {}, author.token);
    expect(queue.reviewQueue.edges.map((e: any) => e.node.id)).not.toContain(ids.tools);
  });

  describe('CSV export', () => {
    const exportUrl = () => `${app.url}/essays/${essay.id}/export.csv`;

    it('streams responses and interest with quoting and formula cells neutralised', async () => {
      const tricky = await respond(
        ana,
        '=HYPERLINK("http://evil.example","click"), and a\nsecond line with "quotes"',
      );
      const response = await fetch(exportUrl(), {
        headers: { authorization: `Bearer ${author.token}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(response.headers.get('content-disposition')).toMatch(/attachment/);
      const rows: Record<string, string>[] = parse(await response.text(), { columns: true });
      const byId = new Map(rows.map((row) => [row.id, row]));
      expect(byId.get(tricky)!.body).toBe(
        '\'=HYPERLINK("http://evil.example","click"), and a\nsecond line with "quotes"',
      );
      expect(byId.get(ids.tools)!.body).toBe('Tools for cooperative housing, "shared" and open.');
      expect(byId.get(ids.garden)).toMatchObject({
        record: 'response',
        review_status: 'SHORTLISTED',
        note: 'Call her',
        labels: 'follow up; garden',
      });
      expect(byId.get(ids.authorReply)).toMatchObject({ record: 'reply', parent_id: ids.garden });
      const interest = rows.find((row) => row.record === 'interest')!;
      expect(interest).toMatchObject({
        building: 'Housing tools',
        contact_email: ben.email,
        body: 'Let us work together',
      });
      for (const row of rows)
        for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@]/);
    });

    it('is refused to readers and anonymous users, and 404s for unknown essays', async () => {
      const asReader = await fetch(exportUrl(), {
        headers: { authorization: `Bearer ${ana.token}` },
      });
      expect(asReader.status).toBe(403);
      expect(await asReader.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
      expect((await fetch(exportUrl())).status).toBe(401);
      const unknown = await fetch(
        `${app.url}/essays/00000000-0000-4000-8000-000000000000/export.csv`,
        {
          headers: { authorization: `Bearer ${author.token}` },
        },
      );
      expect(unknown.status).toBe(404);
      const garbage = await fetch(`${app.url}/essays/not-an-id/export.csv`, {
        headers: { authorization: `Bearer ${author.token}` },
      });
      expect(garbage.status).toBe(404);
    });
  });
});
