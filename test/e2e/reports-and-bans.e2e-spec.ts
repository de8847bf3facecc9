import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

/*
 * Readers report what they see; enough reports hold a response; the author
 * resolves reports and bans readers, who may still read and sign in.
 */

const REPORT = `mutation($id: ID!, $reason: ReportReason!, $note: String) {
  reportResponse(id: $id, reason: $reason, note: $note) }`;
const REPORTS = `query($status: ReportStatus, $first: Int, $after: String) {
  reports(status: $status, first: $first, after: $after) {
    edges { cursor node { id reason note status resolvedAt response { id reportCount } } }
    pageInfo { hasNextPage endCursor } } }`;

describe('reports and bans', () => {
  let app: TestApp;
  let author: GivenUser;
  let writer: GivenUser;
  let readers: GivenUser[];
  let essay: { id: string; slug: string; prompts: { id: string }[] };

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off', REPORTS_TO_HIDE: '3' } });
    const g = given(app);
    author = await g.author();
    writer = await g.reader();
    readers = [await g.reader(), await g.reader(), await g.reader(), await g.reader()];
    essay = await g.publishedEssay(author, 'Reported');
  });
  afterAll(() => app.close());

  const code = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;
  const respond = async (user: GivenUser, body: string, visibility = 'PUBLIC') => {
    const result = await app.gql<{ respond: { id: string } }>(
      `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
      { input: { promptId: essay.prompts[0]!.id, body, visibility } },
      user.token,
    );
    return result;
  };
  const report = (user: GivenUser | undefined, id: string, reason = 'SPAM', note?: string) =>
    app.gql(REPORT, { id, reason, note }, user?.token);
  const read = (id: string, user?: GivenUser) =>
    app.gql(
      `query($id: ID!) { response(id: $id) { id body reportCount moderationState } }`,
      { id },
      user?.token,
    );
  const reportsOf = (status?: string, user: GivenUser = author) =>
    app.gql(REPORTS, { status }, user.token);

  it('a reader reports a response once; the author sees it, readers see nothing of it', async () => {
    const id = (await respond(writer, 'Something someone dislikes.')).data!.respond.id;
    expect(code(await report(undefined, id))).toBe('UNAUTHENTICATED');
    const first = await report(readers[0], id, 'ABUSE', '  Rude to others  ');
    expect(first).toEqual({ data: { reportResponse: true } });
    expect(code(await report(readers[0], id, 'SPAM'))).toBe('CONFLICT');

    const listed = await reportsOf('OPEN');
    const node = listed.data!.reports.edges[0].node;
    expect(node).toEqual({
      id: expect.any(String),
      reason: 'ABUSE',
      note: 'Rude to others',
      status: 'OPEN',
      resolvedAt: null,
      response: { id, reportCount: 1 },
    });
    // Who reported is nowhere in the API: not on the report, and the outbox leaves it out too.
    expect(JSON.stringify(listed)).not.toContain(readers[0]!.id);
    const events = await app.sql(`SELECT type, actor_id FROM events WHERE subject_id = $1`, [
      node.id,
    ]);
    expect(events).toEqual([{ type: 'REPORT_OPENED', actor_id: null }]);

    for (const user of [undefined, writer, readers[1]]) {
      expect((await read(id, user)).data!.response.reportCount).toBeNull();
    }
    expect((await read(id, author)).data!.response.reportCount).toBe(1);
    expect(code(await reportsOf(undefined, readers[1]!))).toBe('FORBIDDEN');
    expect(code(await app.gql(REPORTS, {}))).toBe('UNAUTHENTICATED');
  });

  it('refuses bad reports with typed errors and stores nothing', async () => {
    const id = (await respond(writer, 'A fine response.')).data!.respond.id;
    const privateId = (await respond(writer, 'A private note.', 'PRIVATE')).data!.respond.id;
    const before = await app.sql(`SELECT count(*)::int AS n FROM response_reports`);
    expect(code(await report(readers[0], id, 'BORING'))).toBe('BAD_USER_INPUT');
    expect(code(await report(readers[0], 'nope'))).toBe('NOT_FOUND');
    expect(code(await report(readers[0], '00000000-0000-4000-8000-000000000000'))).toBe(
      'NOT_FOUND',
    );
    // A response the reader cannot see is not found, whether or not it exists.
    expect(code(await report(readers[0], privateId))).toBe('NOT_FOUND');
    expect(code(await report(writer, id))).toBe('BAD_USER_INPUT');
    expect(code(await report(author, id))).toBe('BAD_USER_INPUT');
    expect(code(await report(readers[0], id, 'OTHER', 'x'.repeat(1001)))).toBe('BAD_USER_INPUT');
    expect(await app.sql(`SELECT count(*)::int AS n FROM response_reports`)).toEqual(before);
    expect(code(await app.gql(REPORTS, { first: 0 }, author.token))).toBe('BAD_USER_INPUT');
    expect(code(await app.gql(REPORTS, { after: 'garbage' }, author.token))).toBe('BAD_USER_INPUT');
  });

  it('REPORTS_TO_HIDE distinct readers hold it for review; DISMISS puts it back, HIDE rejects', async () => {
    const id = (await respond(writer, 'Reported by many.')).data!.respond.id;
    await report(readers[0], id);
    await report(readers[1], id);
    expect((await read(id)).data!.response.id).toBe(id);
    await report(readers[2], id);
    expect(code(await read(id))).toBe('NOT_FOUND');
    expect(code(await read(id, readers[3]))).toBe('NOT_FOUND');
    expect((await read(id, writer)).data!.response.moderationState).toBe('HELD');
    expect((await read(id, author)).data!.response.reportCount).toBe(3);

    const open = (await reportsOf('OPEN')).data!.reports.edges.filter(
      (edge: { node: { response: { id: string } } }) => edge.node.response.id === id,
    );
    expect(open).toHaveLength(3);
    const resolve = (reportId: string, action: string, user: GivenUser = author) =>
      app.gql(
        `mutation($id: ID!, $action: ReportAction!) { resolveReport(id: $id, action: $action) { id status resolvedAt } }`,
        { id: reportId, action },
        user.token,
      );
    expect(code(await resolve(open[0].node.id, 'DISMISS', readers[0]!))).toBe('FORBIDDEN');
    expect(code(await resolve(open[0].node.id, 'SHRUG'))).toBe('BAD_USER_INPUT');
    expect(code(await resolve('nope', 'DISMISS'))).toBe('NOT_FOUND');
    const dismissed = await resolve(open[0].node.id, 'DISMISS');
    expect(dismissed.data!.resolveReport).toMatchObject({ status: 'DISMISSED' });
    expect((await read(id)).data!.response.id).toBe(id);
    expect((await read(id, author)).data!.response.reportCount).toBe(0);
    expect(code(await resolve(open[1].node.id, 'HIDE'))).toBe('CONFLICT');

    await report(readers[3], id, 'OFF_TOPIC');
    const again = (await reportsOf('OPEN')).data!.reports.edges.find(
      (edge: { node: { response: { id: string } } }) => edge.node.response.id === id,
    );
    expect((await resolve(again.node.id, 'HIDE')).data!.resolveReport.status).toBe('HIDDEN');
    expect(code(await read(id))).toBe('NOT_FOUND');
    expect((await read(id, writer)).data!.response.moderationState).toBe('REJECTED');
    const hidden = await reportsOf('HIDDEN');
    expect(hidden.data!.reports.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([
      again.node.id,
    ]);
  });

  it('pages through reports with cursors', async () => {
    const all = (await app.gql(REPORTS, { first: 100 }, author.token)).data!.reports.edges;
    const firstPage = (await app.gql(REPORTS, { first: 2 }, author.token)).data!.reports;
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const rest = (
      await app.gql(REPORTS, { first: 100, after: firstPage.pageInfo.endCursor }, author.token)
    ).data!.reports;
    const ids = [...firstPage.edges, ...rest.edges].map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toEqual(all.map((e: { node: { id: string } }) => e.node.id));
  });

  describe('bans', () => {
    const ban = (
      userId: string,
      hideExisting: boolean,
      user: GivenUser = author,
      reason = 'Spam',
    ) =>
      app.gql(
        `mutation($userId: ID!, $reason: String!, $hide: Boolean!) {
          banReader(userId: $userId, reason: $reason, hideExisting: $hide) { userId reason hideExisting } }`,
        { userId, reason, hide: hideExisting },
        user.token,
      );
    const unban = (userId: string, user: GivenUser = author) =>
      app.gql(`mutation($userId: ID!) { unbanReader(userId: $userId) }`, { userId }, user.token);

    it('only the author bans, never themselves, with a reason; bad input changes nothing', async () => {
      expect(code(await ban(writer.id, false, readers[0]))).toBe('FORBIDDEN');
      expect(code(await ban(author.id, false))).toBe('BAD_USER_INPUT');
      expect(code(await ban(writer.id, false, author, '  '))).toBe('BAD_USER_INPUT');
      expect(code(await ban('nope', false))).toBe('NOT_FOUND');
      expect(code(await ban('00000000-0000-4000-8000-000000000000', false))).toBe('NOT_FOUND');
      expect(code(await unban('nope'))).toBe('NOT_FOUND');
      expect(code(await unban(writer.id, readers[0]))).toBe('FORBIDDEN');
      expect(await app.sql(`SELECT * FROM reader_bans`)).toEqual([]);
    });

    it('a banned reader can read and sign in, but not respond, reply, express interest or report', async () => {
      const banned = await given(app).reader();
      const mine = (await respond(banned, 'Before the ban.')).data!.respond.id;
      const theirs = (await respond(readers[0]!, 'Someone else.')).data!.respond.id;
      expect((await ban(banned.id, false)).data!.banReader).toEqual({
        userId: banned.id,
        reason: 'Spam',
        hideExisting: false,
      });
      const refused = [
        await respond(banned, 'After the ban.'),
        await app.gql(
          `mutation($id: ID!) { replyToResponse(responseId: $id, body: "A reply") { id } }`,
          { id: theirs },
          banned.token,
        ),
        await app.gql(
          `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id } }`,
          {
            input: {
              essayId: essay.id,
              message: 'Let us work together',
              building: 'A thing',
              contactEmail: banned.email,
              consentToContact: true,
            },
          },
          banned.token,
        ),
        await report(banned, theirs),
      ];
      for (const result of refused) {
        expect(code(result)).toBe('FORBIDDEN');
        expect(result.errors![0]!.message).toMatch(/banned/);
      }
      // Still reads, still signed in, and their earlier response stays up (hideExisting false).
      expect((await read(theirs, banned)).data!.response.id).toBe(theirs);
      expect(
        (await app.gqlOk<{ me: { id: string } }>(`{ me { id } }`, {}, banned.token)).me.id,
      ).toBe(banned.id);
      expect((await read(mine)).data!.response.id).toBe(mine);
      expect(
        await app.sql(
          `SELECT count(*)::int AS n FROM responses WHERE body_markdown = 'After the ban.'`,
        ),
      ).toEqual([{ n: 0 }]);

      expect((await unban(banned.id)).data!.unbanReader).toBe(true);
      expect((await unban(banned.id)).data!.unbanReader).toBe(false);
      expect((await respond(banned, 'Back again.')).errors).toBeUndefined();
    });

    it('hideExisting hides their responses from everyone but the author; unban restores them', async () => {
      const banned = await given(app).reader();
      const mine = (await respond(banned, 'Soon hidden by a ban.')).data!.respond.id;
      const page = async () => (await fetch(`${app.url}/essays/${essay.slug}`)).text();
      expect(await page()).toContain('Soon hidden by a ban.');

      await ban(banned.id, true);
      expect(code(await read(mine))).toBe('NOT_FOUND');
      expect(code(await read(mine, readers[0]))).toBe('NOT_FOUND');
      expect(code(await read(mine, banned))).toBe('NOT_FOUND');
      expect((await read(mine, author)).data!.response.id).toBe(mine);
      expect(await page()).not.toContain('Soon hidden by a ban.');

      // Banning again without hideExisting shows them again, as unbanning does.
      await ban(banned.id, false);
      expect((await read(mine)).data!.response.id).toBe(mine);
      await ban(banned.id, true);
      expect(code(await read(mine))).toBe('NOT_FOUND');
      await unban(banned.id);
      expect((await read(mine)).data!.response.id).toBe(mine);
      expect(await page()).toContain('Soon hidden by a ban.');
    });
  });
});
