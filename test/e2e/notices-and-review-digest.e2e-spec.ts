import type { ParsedMail } from 'mailparser';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import {
  REPLY,
  RESPOND,
  linkToken,
  mailQueue,
  mailsTo,
  planAt,
  planTogetherAtALockedRow,
  postForm,
  recipientOf,
  scheduledPlanDone,
  settled,
} from '../support/digests.js';
import { given, type GivenUser } from '../support/given.js';
import { rawHeader } from '../support/smtp.js';

const NOTIFICATIONS = `mutation($on: Boolean) { updateNotificationSettings(replyEmails: $on) { replyEmails } }`;
const ME = `{ me { replyEmails reviewDigest { enabled timezone sendHour } } }`;
const REVIEW_SETTINGS = `mutation($input: ReviewDigestSettingsInput!) {
  updateReviewDigestSettings(input: $input) { reviewDigest { enabled timezone sendHour } }
}`;
const EXPRESS = `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id } }`;

const codeOf = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;
const isNotice = (mail: ParsedMail) => mail.subject?.startsWith('The author replied') === true;
const isReview = (mail: ParsedMail) => mail.subject?.startsWith('Review digest') === true;
const unsubscribeUrlOf = (mail: ParsedMail) =>
  /<(https?:[^>]+)>/.exec(rawHeader(mail, 'List-Unsubscribe') ?? '')![1]!;

describe('reply notices', () => {
  let app: TestApp;
  let author: GivenUser;
  let essay: { id: string; slug: string; prompts: { id: string; text: string }[] };

  beforeAll(async () => {
    app = await startTestApp({
      now: new Date('2027-01-04T10:00:00Z'),
      env: { RATE_LIMITS: 'off', ESSAY_URL_TEMPLATE: 'https://essays.example.test/{slug}' },
    });
    await scheduledPlanDone(app);
    author = await given(app).author();
    essay = await given(app).publishedEssay(author, 'Tending');
  });
  afterAll(() => app.close());

  const respond = async (user: GivenUser, body: string): Promise<string> =>
    (
      await app.gqlOk<{ respond: { id: string } }>(
        RESPOND,
        { input: { promptId: essay.prompts[0]!.id, body } },
        user.token,
      )
    ).respond.id;
  const reply = async (user: GivenUser, id: string, body: string): Promise<string> =>
    (await app.gqlOk<{ replyToResponse: { id: string } }>(REPLY, { id, body }, user.token))
      .replyToResponse.id;
  const noticeRows = (user: GivenUser) =>
    app.sql<{ state: string; reason_key: string }>(
      `SELECT state, reason_key FROM deliveries WHERE kind = 'REPLY_NOTICE' AND user_id = $1 ORDER BY created_at`,
      [user.id],
    );

  it('the author’s reply reaches the reader in one email, with the reply and a link, sent by the worker', async () => {
    const reader = await given(app).reader();
    const other = await given(app).reader();
    const response = await respond(reader, 'We run a **tool library** in our street.');
    // Another reader's reply is no reason to email.
    await reply(other, response, 'Same here, in Leeds.');
    const replyId = await reply(author, response, 'Lovely. How do you keep track of the tools?');

    // No planner runs: the worker sends it on its own.
    const notice = await app.smtp.waitFor(
      (mail) => isNotice(mail) && recipientOf(mail) === reader.email,
    );
    expect(notice.subject).toBe('The author replied to you on “Tending”');
    expect(notice.text).toContain('How do you keep track of the tools?');
    expect(notice.text).toContain(`https://essays.example.test/${essay.slug}#response-${replyId}`);
    expect(notice.html).toContain(`https://essays.example.test/${essay.slug}#response-${replyId}`);
    expect(notice.html).toContain('How do you keep track of the tools?');
    expect(notice.html).toContain('On “Tending”:');
    expect(rawHeader(notice, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(notice, 'List-Unsubscribe')).toMatch(
      /^<http:\/\/[^>]+\/notifications\/unsubscribe\?list=replies&token=[^>]+>, <mailto:[^>]+>$/,
    );

    await settled(app);
    expect(mailsTo(app, reader.email).filter(isNotice)).toHaveLength(1);
    expect(mailsTo(app, other.email)).toEqual([]);
    expect(await noticeRows(reader)).toEqual([{ state: 'SENT', reason_key: `reply:${replyId}` }]);
  });

  it('the author replying to their own response, or a reader replying to the author, sends nothing', async () => {
    const reader = await given(app).reader();
    const own = await respond(author, 'My own answer: a reading circle.');
    await reply(author, own, 'And a follow-up to myself.');
    await reply(reader, own, 'A reader answers the author.');
    await settled(app);
    expect(await noticeRows(author)).toEqual([]);
    expect(await noticeRows(reader)).toEqual([]);
    expect(mailsTo(app, author.email).filter(isNotice)).toEqual([]);
    expect(mailsTo(app, reader.email)).toEqual([]);
  });

  it('updateNotificationSettings(replyEmails: false) turns them off, also for one not sent yet; true turns them back on', async () => {
    const reader = await given(app).reader();
    const response = await respond(reader, 'A neighbourhood compost scheme.');

    // Decided but not yet sent, then turned off: it is skipped.
    const queue = mailQueue(app);
    await queue.pause();
    try {
      await reply(author, response, 'Which bins work best?');
      expect((await noticeRows(reader)).map((row) => row.state)).toEqual(['PENDING']);
      expect(await app.gqlOk(NOTIFICATIONS, { on: false }, reader.token)).toEqual({
        updateNotificationSettings: { replyEmails: false },
      });
      expect((await noticeRows(reader)).map((row) => row.state)).toEqual(['SKIPPED']);
    } finally {
      await queue.resume();
    }
    await reply(author, response, 'Still curious about the bins.');
    expect(await noticeRows(reader)).toHaveLength(1);
    expect(await app.gqlOk(ME, {}, reader.token)).toMatchObject({ me: { replyEmails: false } });

    await app.gqlOk(NOTIFICATIONS, { on: true }, reader.token);
    const back = await reply(author, response, 'Back on: what about the smell?');
    const notice = await app.smtp.waitFor(
      (mail) => isNotice(mail) && recipientOf(mail) === reader.email,
    );
    expect(notice.text).toContain('what about the smell?');
    await settled(app);
    expect(mailsTo(app, reader.email).filter(isNotice)).toHaveLength(1);
    expect((await noticeRows(reader)).map((row) => [row.state, row.reason_key])).toEqual([
      ['SKIPPED', expect.stringMatching(/^reply:/)],
      ['SENT', `reply:${back}`],
    ]);
  });

  it('the notice’s one-click unsubscribe turns reply emails off; GET only shows a page', async () => {
    const reader = await given(app).reader();
    const response = await respond(reader, 'A repair café on Saturdays.');
    await reply(author, response, 'What gets repaired most?');
    const notice = await app.smtp.waitFor(
      (mail) => isNotice(mail) && recipientOf(mail) === reader.email,
    );
    const url = unsubscribeUrlOf(notice);
    expect(new URL(url).pathname).toBe('/notifications/unsubscribe');
    expect(new URL(url).searchParams.get('list')).toBe('replies');

    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form method="post"/);
    expect(await app.gqlOk(ME, {}, reader.token)).toMatchObject({ me: { replyEmails: true } });

    // A token for another user, or a forged one, changes nothing.
    const token = linkToken(url, '/notifications/unsubscribe');
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const refused = await postForm(
      `${app.url}/notifications/unsubscribe?list=replies&token=${encodeURIComponent(forged)}`,
      'List-Unsubscribe=One-Click',
    );
    expect(refused.status).toBe(400);
    expect(await app.gqlOk(ME, {}, reader.token)).toMatchObject({ me: { replyEmails: true } });

    for (let click = 0; click < 2; click += 1) {
      const done = await postForm(url, 'List-Unsubscribe=One-Click');
      expect(done.status).toBe(200);
      expect(done.headers.get('location')).toBeNull();
    }
    expect(await app.gqlOk(ME, {}, reader.token)).toMatchObject({ me: { replyEmails: false } });
    await reply(author, response, 'Another question nobody will be emailed about.');
    await settled(app);
    expect(mailsTo(app, reader.email).filter(isNotice)).toHaveLength(1);
    expect(await noticeRows(reader)).toHaveLength(1);
  });
});

describe('the author’s review digest', () => {
  let app: TestApp;
  let author: GivenUser;
  let essay: { id: string; slug: string; prompts: { id: string; text: string }[] };

  beforeAll(async () => {
    app = await startTestApp({
      now: new Date('2027-03-01T10:00:00Z'),
      env: { RATE_LIMITS: 'off' },
    });
    await scheduledPlanDone(app);
    author = await given(app).author();
    essay = await given(app).publishedEssay(author, 'Stewardship');
  });
  afterAll(() => app.close());

  const at = (iso: string) => app.clock.set(new Date(iso));
  const reviews = () => mailsTo(app, author.email).filter(isReview);
  const reviewRows = () =>
    app.sql<{ slot_key: string; state: string; window_end: Date }>(
      `SELECT slot_key, state, window_end FROM deliveries WHERE kind = 'AUTHOR_DIGEST' ORDER BY window_end`,
    );
  const plan = async (iso: string) => {
    await planAt(app, iso);
    await settled(app);
  };

  it('comes daily at the author’s hour with what needs attention; nothing to report sends nothing; off sends none', async () => {
    expect(
      await app.gqlOk(
        REVIEW_SETTINGS,
        { input: { timezone: 'Europe/Paris', sendHour: 7, enabled: true } },
        author.token,
      ),
    ).toEqual({
      updateReviewDigestSettings: {
        reviewDigest: { enabled: true, timezone: 'Europe/Paris', sendHour: 7 },
      },
    });
    expect(
      codeOf(await app.gql(REVIEW_SETTINGS, { input: { timezone: 'Moon/Base' } }, author.token)),
    ).toBe('BAD_USER_INPUT');
    expect(codeOf(await app.gql(REVIEW_SETTINGS, { input: { sendHour: 24 } }, author.token))).toBe(
      'BAD_USER_INPUT',
    );
    const reader = await given(app).reader();
    expect(
      codeOf(await app.gql(REVIEW_SETTINGS, { input: { enabled: false } }, reader.token)),
    ).toBe('FORBIDDEN');

    // Nothing has happened yet: the slot is decided, nothing is sent.
    await plan('2027-03-02T06:00:00Z'); // 07:00 in Paris
    expect((await reviewRows()).map((row) => [row.slot_key, row.state])).toEqual([
      ['2027-03-02', 'SKIPPED'],
    ]);
    expect(reviews()).toEqual([]);

    // A public response, a private one, an offer to collaborate.
    const writer = await given(app).reader();
    const quiet = await given(app).reader();
    const offerer = await given(app).reader();
    at('2027-03-02T10:00:00Z');
    const open = await app.gqlOk<{ respond: { id: string } }>(
      RESPOND,
      { input: { promptId: essay.prompts[0]!.id, body: 'Public: a land trust for allotments.' } },
      writer.token,
    );
    await app.gqlOk(
      RESPOND,
      {
        input: {
          promptId: essay.prompts[0]!.id,
          body: 'Private: a housing co-op.',
          visibility: 'PRIVATE',
        },
      },
      quiet.token,
    );
    await app.gqlOk(
      EXPRESS,
      {
        input: {
          essayId: essay.id,
          message: 'I would love to help.',
          building: 'A mapping tool for commons',
          contactEmail: offerer.email,
          consentToContact: true,
        },
      },
      offerer.token,
    );

    await plan('2027-03-03T05:59:00Z');
    expect(reviews()).toEqual([]);
    await plan('2027-03-03T06:00:00Z');
    const [first] = reviews();
    expect(first!.subject).toBe(
      'Review digest: 2 new responses, 1 new collaborator offer, 0 waiting for a reply',
    );
    expect(first!.text).toContain('a land trust for allotments');
    expect(first!.text).toContain('a housing co-op');
    expect(first!.text).toContain('A mapping tool for commons');
    for (const item of [
      'a land trust for allotments',
      'a housing co-op',
      'A mapping tool for commons',
    ])
      expect(first!.html).toContain(item);
    expect(rawHeader(first!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(unsubscribeUrlOf(first!)).toMatch(/\/notifications\/unsubscribe\?list=review&token=/);

    // A day later nothing is new and nothing has waited 48 hours yet.
    await plan('2027-03-04T06:00:00Z');
    expect(reviews()).toHaveLength(1);

    // Two days on, the public response still has no reply from the author.
    await plan('2027-03-05T06:00:00Z');
    expect(reviews()).toHaveLength(2);
    const waiting = reviews()[1]!;
    expect(waiting.subject).toBe(
      'Review digest: 0 new responses, 0 new collaborator offers, 1 waiting for a reply',
    );
    expect(waiting.text).toContain('a land trust for allotments');
    expect(waiting.text).not.toContain('housing co-op');

    // The author replies: it no longer waits, and the reply itself is not news to them.
    at('2027-03-05T08:00:00Z');
    await app.gqlOk(REPLY, { id: open.respond.id, body: 'Tell me more!' }, author.token);
    await plan('2027-03-06T06:00:00Z');
    expect(reviews()).toHaveLength(2);

    // Off: no digest is even decided.
    await app.gqlOk(REVIEW_SETTINGS, { input: { enabled: false } }, author.token);
    at('2027-03-06T10:00:00Z');
    await app.gqlOk(
      RESPOND,
      { input: { promptId: essay.prompts[0]!.id, body: 'While it was off: a food hub.' } },
      writer.token,
    );
    await plan('2027-03-07T06:00:00Z');
    await plan('2027-03-08T06:00:00Z');
    expect(reviews()).toHaveLength(2);
    expect((await reviewRows()).map((row) => [row.slot_key, row.state])).toEqual([
      ['2027-03-02', 'SKIPPED'],
      ['2027-03-03', 'SENT'],
      ['2027-03-04', 'SKIPPED'],
      ['2027-03-05', 'SENT'],
      ['2027-03-06', 'SKIPPED'],
    ]);
  });

  it('the review digest’s one-click unsubscribe turns it off', async () => {
    await app.gqlOk(REVIEW_SETTINGS, { input: { enabled: true } }, author.token);
    const [first] = reviews();
    const done = await postForm(unsubscribeUrlOf(first!), 'List-Unsubscribe=One-Click');
    expect(done.status).toBe(200);
    const { me } = await app.gqlOk<{ me: { reviewDigest: { enabled: boolean } } }>(
      ME,
      {},
      author.token,
    );
    expect(me.reviewDigest.enabled).toBe(false);
    const before = (await reviewRows()).length;
    await plan('2027-03-09T06:00:00Z');
    expect(await reviewRows()).toHaveLength(before);
    expect(reviews()).toHaveLength(2);
  });
  it('two planning passes at different instants at the same moment never list the same news twice', async () => {
    await app.gqlOk(REVIEW_SETTINGS, { input: { enabled: true } }, author.token);
    const writer = await given(app).reader();
    at('2027-03-10T10:00:00Z');
    await app.gqlOk(
      RESPOND,
      { input: { promptId: essay.prompts[0]!.id, body: 'Raced: a community energy co-op.' } },
      writer.token,
    );
    await planTogetherAtALockedRow(app, { table: 'users', id: author.id }, [
      '2027-03-11T06:00:00Z',
      '2027-03-12T06:00:00Z',
    ]);
    await settled(app);
    const rows = await app.sql<{ window_start: Date; window_end: Date }>(
      `SELECT window_start, window_end FROM deliveries
        WHERE kind = 'AUTHOR_DIGEST' AND window_end > '2027-03-10T00:00:00Z' ORDER BY window_end`,
    );
    expect(rows.at(-1)!.window_end).toEqual(new Date('2027-03-12T06:00:00Z'));
    rows.slice(1).forEach((row, i) => expect(row.window_start).toEqual(rows[i]!.window_end));
    expect(reviews().filter((mail) => /community energy co-op/.test(mail.text ?? ''))).toHaveLength(
      1,
    );
  });
});
