import { LinkTokens } from '../../src/mail/link-tokens.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { RESPOND } from '../support/digests.js';
import { given, type GivenUser } from '../support/given.js';

const AUDIT_LOG = `query($first: Int, $after: String, $filter: AuditLogFilter) {
  auditLog(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id actorId action subjectType subjectId before after occurredAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Entry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  occurredAt: string;
}

describe('the audit log: every author action that changes what others see or what is kept', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;
  let essay: { id: string; prompts: { id: string }[] };

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
    author = await given(app).author();
    reader = await given(app).reader();
    essay = await given(app).essay(
      author,
      `---\ntitle: Audited\n---\n\nAn essay.\n\n## Your turn\n\nWhat do you keep?\n`,
    );
  });
  afterAll(() => app.close());

  const entries = async (filter: Record<string, unknown> = {}, first = 100): Promise<Entry[]> => {
    const data = await app.gqlOk<{ auditLog: { edges: { node: Entry }[] } }>(
      AUDIT_LOG,
      { first, filter },
      author.token,
    );
    return data.auditLog.edges.map((edge) => edge.node);
  };
  const rowCount = async () =>
    (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`))[0]!.n;
  const respond = async (body: string) =>
    (
      await app.gqlOk<{ respond: { id: string } }>(
        RESPOND,
        { input: { promptId: essay.prompts[0]!.id, body } },
        reader.token,
      )
    ).respond.id;

  it('publishing and archiving an essay: who, what, which, before and after', async () => {
    await app.gqlOk(
      `mutation($id: ID!) { publishEssay(id: $id) { id } }`,
      { id: essay.id },
      author.token,
    );
    const [published] = await entries({ subjectId: essay.id, action: 'ESSAY_PUBLISHED' });
    expect(published).toMatchObject({
      actorId: author.id,
      action: 'ESSAY_PUBLISHED',
      subjectType: 'essay',
      subjectId: essay.id,
      before: { status: 'DRAFT' },
      after: { status: 'PUBLISHED' },
      occurredAt: app.clock.now().toISOString(),
    });
    // Publishing again changes nothing, and records nothing.
    await app.gqlOk(
      `mutation($id: ID!) { publishEssay(id: $id) { id } }`,
      { id: essay.id },
      author.token,
    );
    expect(await entries({ subjectId: essay.id, action: 'ESSAY_PUBLISHED' })).toHaveLength(1);
  });

  it('importing, editing an essay and its prompts: each a row, in brief (no bodies)', async () => {
    const [imported] = await entries({ subjectId: essay.id, action: 'ESSAY_IMPORTED' });
    expect(imported).toMatchObject({
      actorId: author.id,
      subjectType: 'essay',
      before: null,
      after: { title: 'Audited', status: 'DRAFT' },
    });
    expect(JSON.stringify(imported)).not.toContain('An essay.');

    await app.gqlOk(
      `mutation($input: UpdateEssayInput!) { updateEssay(input: $input) { id } }`,
      { input: { id: essay.id, title: 'Audited again' } },
      author.token,
    );
    expect((await entries({ subjectId: essay.id, action: 'ESSAY_UPDATED' }))[0]).toMatchObject({
      actorId: author.id,
      before: { title: 'Audited' },
      after: { title: 'Audited again' },
    });

    const { addPrompt } = await app.gqlOk<{ addPrompt: { id: string } }>(
      `mutation($essayId: ID!) { addPrompt(essayId: $essayId, text: "What do you give away?") { id } }`,
      { essayId: essay.id },
      author.token,
    );
    await app.gqlOk(
      `mutation($id: ID!) { updatePrompt(id: $id, text: "What would you give away?") { id } }`,
      { id: addPrompt.id },
      author.token,
    );
    await app.gqlOk(
      `mutation($id: ID!) { closePrompt(id: $id) { id } }`,
      { id: addPrompt.id },
      author.token,
    );
    await app.gqlOk(
      `mutation($id: ID!) { reopenPrompt(id: $id) { id } }`,
      { id: addPrompt.id },
      author.token,
    );
    const prompt = await entries({ subjectId: addPrompt.id });
    // One instant on the test clock: the rows are compared as a set.
    expect(prompt).toHaveLength(4);
    expect(prompt.map((entry) => entry.actorId)).toEqual(Array(4).fill(author.id));
    expect(prompt.map((entry) => [entry.action, entry.before, entry.after])).toEqual(
      expect.arrayContaining([
        ['PROMPT_REOPENED', { isOpen: false }, { isOpen: true }],
        ['PROMPT_CLOSED', { isOpen: true }, { isOpen: false }],
        [
          'PROMPT_UPDATED',
          { text: 'What do you give away?' },
          { text: 'What would you give away?' },
        ],
        ['PROMPT_ADDED', null, { essayId: essay.id, text: 'What do you give away?' }],
      ]),
    );

    // A refused edit (a duplicate prompt) writes nothing.
    const before = await rowCount();
    const duplicate = await app.gql(
      `mutation($id: ID!) { updatePrompt(id: $id, text: "What do you keep?") { id } }`,
      { id: addPrompt.id },
      author.token,
    );
    expect(duplicate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await rowCount()).toBe(before);
  });

  it('review changes, one and in bulk, interest status, the author deleting a response, settings and CSV exports', async () => {
    const [first, second, third] = [
      await respond('One.'),
      await respond('Two.'),
      await respond('Three.'),
    ];
    await app.gqlOk(
      `mutation($input: ReviewResponseInput!) { reviewResponse(input: $input) { id } }`,
      { input: { id: first, status: 'SHORTLISTED', labels: ['Keep'], note: 'private words' } },
      author.token,
    );
    const [reviewed] = await entries({ subjectId: first });
    expect(reviewed).toMatchObject({
      actorId: author.id,
      action: 'RESPONSE_REVIEWED',
      subjectType: 'response',
      before: { status: 'NEW', labels: [], hasNote: false },
      after: { status: 'SHORTLISTED', labels: ['keep'], hasNote: true },
    });
    // The note's words are not copied into the log.
    expect(JSON.stringify(reviewed)).not.toContain('private words');

    await app.gqlOk(
      `mutation($ids: [ID!]!) { reviewResponses(ids: $ids, status: ARCHIVED) { id } }`,
      { ids: [second, third] },
      author.token,
    );
    for (const id of [second, third]) {
      expect(await entries({ subjectId: id })).toEqual([
        expect.objectContaining({
          actorId: author.id,
          action: 'RESPONSE_REVIEWED',
          before: expect.objectContaining({ status: 'NEW' }),
          after: expect.objectContaining({ status: 'ARCHIVED' }),
        }),
      ]);
    }

    const { expressInterest } = await app.gqlOk<{ expressInterest: { id: string } }>(
      `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id } }`,
      {
        input: {
          essayId: essay.id,
          message: 'Hello',
          building: 'A thing',
          contactEmail: 'a@example.org',
          consentToContact: true,
        },
      },
      reader.token,
    );
    await app.gqlOk(
      `mutation($id: ID!) { updateInterestStatus(id: $id, status: CONTACTED) { id } }`,
      { id: expressInterest.id },
      author.token,
    );
    expect(await entries({ subjectId: expressInterest.id })).toEqual([
      expect.objectContaining({
        actorId: author.id,
        action: 'INTEREST_STATUS_CHANGED',
        subjectType: 'interest',
        before: { status: 'NEW' },
        after: { status: 'CONTACTED' },
      }),
    ]);

    // A reader deleting their own response is not an author action; the author deleting one is.
    const own = await respond('Mine to delete.');
    await app.gqlOk(
      `mutation($id: ID!) { deleteResponse(id: $id) { id } }`,
      { id: own },
      reader.token,
    );
    expect(await entries({ subjectId: own })).toEqual([]);
    await app.gqlOk(
      `mutation($id: ID!) { deleteResponse(id: $id) { id } }`,
      { id: first },
      author.token,
    );
    expect((await entries({ subjectId: first, action: 'RESPONSE_DELETED' }))[0]).toMatchObject({
      actorId: author.id,
      before: { deleted: false },
      after: { deleted: true },
    });

    await app.gqlOk(
      `mutation { updateReviewDigestSettings(input: { sendHour: 18, timezone: "Europe/Paris" }) { id } }`,
      {},
      author.token,
    );
    expect((await entries({ action: 'REVIEW_DIGEST_SETTINGS_CHANGED' }))[0]).toMatchObject({
      actorId: author.id,
      subjectType: 'user',
      subjectId: author.id,
      before: { enabled: true, timezone: 'UTC', sendHour: 8 },
      after: { enabled: true, timezone: 'Europe/Paris', sendHour: 18 },
    });

    const csv = await fetch(`${app.url}/essays/${essay.id}/export.csv`, {
      headers: { authorization: `Bearer ${author.token}` },
    });
    expect(csv.status).toBe(200);
    await csv.text();
    expect((await entries({ action: 'ESSAY_EXPORTED' }))[0]).toMatchObject({
      actorId: author.id,
      subjectType: 'essay',
      subjectId: essay.id,
      after: { format: 'csv' },
    });
  });

  it('the review digest turned off from an email link: no one signed in, so no actor', async () => {
    app.clock.advance(1_000);
    const token = app.platform.app.get(LinkTokens).sign('review', author.id, author.email);
    const page = await fetch(
      `${app.url}/notifications/unsubscribe?list=review&token=${encodeURIComponent(token)}`,
      { method: 'POST' },
    );
    expect(page.status).toBe(200);
    expect((await entries({ action: 'REVIEW_DIGEST_SETTINGS_CHANGED' }))[0]).toMatchObject({
      actorId: null,
      subjectType: 'user',
      subjectId: author.id,
      before: { enabled: true },
      after: { enabled: false },
      occurredAt: app.clock.now().toISOString(),
    });
  });

  it('moderation: settings, approve, reject, report resolution, ban and unban', async () => {
    await app.gqlOk(
      `mutation { updateModerationSettings(input: { mode: ALL, blockedTerms: ["secret word"] }) { mode } }`,
      {},
      author.token,
    );
    expect((await entries({ action: 'MODERATION_SETTINGS_CHANGED' }))[0]).toMatchObject({
      actorId: author.id,
      subjectType: 'moderation-settings',
      subjectId: 'global',
      before: { mode: 'OFF', blockedTerms: 0, maxLinks: null },
      after: { mode: 'ALL', blockedTerms: 1, maxLinks: null },
    });
    expect(JSON.stringify(await entries())).not.toContain('secret word');

    const held = await respond('Held for the author.');
    await app.gqlOk(
      `mutation($id: ID!) { approveResponse(id: $id) { id } }`,
      { id: held },
      author.token,
    );
    expect(await entries({ subjectId: held })).toEqual([
      expect.objectContaining({
        actorId: author.id,
        action: 'RESPONSE_APPROVED',
        subjectType: 'response',
        before: { state: 'HELD' },
        after: { state: 'PUBLISHED' },
      }),
    ]);
    const rejected = await respond('Turned down.');
    await app.gqlOk(
      `mutation($id: ID!) { rejectResponse(id: $id, reason: "private reasons") { id } }`,
      { id: rejected },
      author.token,
    );
    const [rejection] = await entries({ subjectId: rejected });
    expect(rejection).toMatchObject({
      actorId: author.id,
      action: 'RESPONSE_REJECTED',
      before: { state: 'HELD' },
      after: { state: 'REJECTED' },
    });
    expect(JSON.stringify(rejection)).not.toContain('private reasons');
    await app.gqlOk(
      `mutation { updateModerationSettings(input: { mode: OFF, blockedTerms: [] }) { mode } }`,
      {},
      author.token,
    );

    const other = await given(app).reader();
    await app.gqlOk(
      `mutation($id: ID!) { reportResponse(id: $id, reason: SPAM, note: "reporter words") }`,
      { id: held },
      other.token,
    );
    const [report] = await app.sql<{ id: string }>(
      `SELECT id FROM response_reports WHERE response_id = $1`,
      [held],
    );
    await app.gqlOk(
      `mutation($id: ID!) { resolveReport(id: $id, action: DISMISS) { id } }`,
      { id: report!.id },
      author.token,
    );
    const [resolution] = await entries({ subjectId: report!.id });
    expect(resolution).toMatchObject({
      actorId: author.id,
      action: 'REPORT_RESOLVED',
      subjectType: 'report',
      before: { status: 'OPEN' },
      after: { status: 'DISMISSED', responseId: held },
    });
    // Who reported, and their words, are not in the log.
    expect(JSON.stringify(resolution)).not.toContain(other.id);
    expect(JSON.stringify(resolution)).not.toContain('reporter words');

    await app.gqlOk(
      `mutation($id: ID!) { banReader(userId: $id, reason: "ban words", hideExisting: true) { hideExisting } }`,
      { id: other.id },
      author.token,
    );
    app.clock.advance(1_000);
    await app.gqlOk(
      `mutation($id: ID!) { unbanReader(userId: $id) }`,
      { id: other.id },
      author.token,
    );
    // Unbanning someone not banned changes nothing, and records nothing.
    await app.gqlOk(
      `mutation($id: ID!) { unbanReader(userId: $id) }`,
      { id: other.id },
      author.token,
    );
    const bans = await entries({ subjectId: other.id });
    expect(bans).toEqual([
      expect.objectContaining({
        actorId: author.id,
        action: 'READER_UNBANNED',
        subjectType: 'reader',
        before: { banned: true },
        after: { banned: false },
      }),
      expect.objectContaining({
        actorId: author.id,
        action: 'READER_BANNED',
        subjectType: 'reader',
        before: { banned: false, hideExisting: false },
        after: { banned: true, hideExisting: true },
      }),
    ]);
    expect(JSON.stringify(bans)).not.toContain('ban words');
  });

  it('a refused moderation action writes no row', async () => {
    const before = await rowCount();
    const results = [
      await app.gql(
        `mutation { updateModerationSettings(input: { maxLinks: -1 }) { mode } }`,
        {},
        author.token,
      ),
      await app.gql(
        `mutation($id: ID!) { approveResponse(id: $id) { id } }`,
        { id: await respond('Already out.') },
        author.token,
      ),
      await app.gql(
        `mutation { rejectResponse(id: "00000000-0000-4000-8000-000000000000", reason: "x") { id } }`,
        {},
        author.token,
      ),
      await app.gql(
        `mutation { resolveReport(id: "00000000-0000-4000-8000-000000000000", action: HIDE) { id } }`,
        {},
        author.token,
      ),
      await app.gql(
        `mutation($id: ID!) { banReader(userId: $id, reason: "x", hideExisting: false) { hideExisting } }`,
        { id: author.id },
        author.token,
      ),
      await app.gql(
        `mutation($id: ID!) { banReader(userId: $id, reason: "x", hideExisting: false) { hideExisting } }`,
        { id: reader.id },
        reader.token,
      ),
    ];
    for (const result of results) expect(result.errors?.length).toBeGreaterThan(0);
    expect(await rowCount()).toBe(before);
  });

  it('a refused action writes no row', async () => {
    const before = await rowCount();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const bulk = await app.gql(
      `mutation($ids: [ID!]!) { reviewResponses(ids: $ids, status: SPAM) { id } }`,
      { ids: [await respond('Real.'), unknown] },
      author.token,
    );
    expect(bulk.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const csv = await fetch(`${app.url}/essays/${unknown}/export.csv`, {
      headers: { authorization: `Bearer ${author.token}` },
    });
    expect(csv.status).toBe(404);
    const settings = await app.gql(
      `mutation { updateReviewDigestSettings(input: { timezone: "Mars/Olympus" }) { id } }`,
      {},
      author.token,
    );
    expect(settings.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await rowCount()).toBe(before);
  });

  it('is the author’s only: readers are FORBIDDEN, anonymous callers UNAUTHENTICATED', async () => {
    const asReader = await app.gql(AUDIT_LOG, {}, reader.token);
    expect(asReader.data).toBeNull();
    expect(asReader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await app.gql(AUDIT_LOG, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('pages newest first with cursors; a forged cursor or a bad filter is BAD_USER_INPUT', async () => {
    const all = await entries();
    expect(all.length).toBeGreaterThan(4);
    const times = all.map((entry) => entry.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    const page = await app.gqlOk<{
      auditLog: { edges: { node: Entry }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>(AUDIT_LOG, { first: 2 }, author.token);
    expect(page.auditLog.pageInfo.hasNextPage).toBe(true);
    const next = await app.gqlOk<{ auditLog: { edges: { node: Entry }[] } }>(
      AUDIT_LOG,
      { first: 100, after: page.auditLog.pageInfo.endCursor },
      author.token,
    );
    expect([...page.auditLog.edges, ...next.auditLog.edges].map((edge) => edge.node)).toEqual(all);

    for (const variables of [
      { after: 'bm90IGEgY3Vyc29y' },
      { first: 0 },
      { first: 101 },
      { filter: { actorId: 'not-a-uuid' } },
      { filter: { action: 'EVERYTHING' } },
    ]) {
      const result = await app.gql(AUDIT_LOG, variables, author.token);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('rows are never changed or removed, not even by SQL', async () => {
    await expect(app.sql(`UPDATE audit_log SET action = 'ESSAY_ARCHIVED'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(app.sql(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    // The erasure's change is refused too, outside an erasure.
    await expect(
      app.sql(
        `UPDATE audit_log SET subject_id = 'erased:hmac-sha256:00' WHERE subject_type = 'reader'`,
      ),
    ).rejects.toThrow(/append-only/);
    expect(await rowCount()).toBeGreaterThan(0);
  });

  it('archiving is recorded too', async () => {
    await app.gqlOk(
      `mutation($id: ID!) { archiveEssay(id: $id) { id } }`,
      { id: essay.id },
      author.token,
    );
    expect((await entries({ subjectId: essay.id, action: 'ESSAY_ARCHIVED' }))[0]).toMatchObject({
      actorId: author.id,
      before: { status: 'PUBLISHED' },
      after: { status: 'ARCHIVED' },
    });
  });
});
