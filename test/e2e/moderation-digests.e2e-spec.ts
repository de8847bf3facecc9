import type { ParsedMail } from 'mailparser';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  RESPOND,
  mailsTo,
  planAt,
  scheduledPlanDone,
  settled,
  subscribeConfirmed,
} from '../support/digests.js';
import { given, type GivenUser } from '../support/given.js';

/*
 * Held responses reach no digest and no notice until approved; the author's
 * review digest lists what is held and what readers reported; approval tells
 * the writer it is live, unless they turned reply notices off.
 */

const isDigest = (mail: ParsedMail) => /digest/i.test(mail.subject ?? '') && !isReview(mail);
const isReview = (mail: ParsedMail) => mail.subject?.startsWith('Review digest') === true;
const isLive = (mail: ParsedMail) => /is live$/.test(mail.subject ?? '');

describe('moderation in digests and notices', () => {
  let app: TestApp;
  let author: GivenUser;
  let writer: GivenUser;
  let quiet: GivenUser;
  let essay: { id: string; slug: string; prompts: { id: string }[] };
  const subscriber = 'moderation-digest@example.test';

  beforeAll(async () => {
    app = await startTestApp({
      now: new Date('2027-01-04T10:00:00Z'),
      env: { RATE_LIMITS: 'off' },
    });
    await scheduledPlanDone(app);
    author = await given(app).author();
    writer = await given(app).reader();
    quiet = await given(app).reader();
    essay = await given(app).publishedEssay(author, 'Moderated news');
    await subscribeConfirmed(app, {
      email: subscriber,
      frequency: 'DAILY',
      timezone: 'UTC',
      sendHour: 12,
    });
    await app.gqlOk(
      `mutation { updateModerationSettings(input: { mode: ALL }) { mode } }`,
      {},
      author.token,
    );
  });
  afterAll(() => app.close());

  const respond = async (user: GivenUser, body: string) =>
    (
      await app.gqlOk<{ respond: { id: string } }>(
        RESPOND,
        { input: { promptId: essay.prompts[0]!.id, body } },
        user.token,
      )
    ).respond.id;
  const plan = async (iso: string) => {
    app.clock.set(new Date(iso));
    await planAt(app, iso);
    await settled(app);
  };
  const approve = (id: string) =>
    app.gqlOk(`mutation($id: ID!) { approveResponse(id: $id) { id } }`, { id }, author.token);

  it('a held response is in no digest and sends its writer nothing; the author’s review lists it', async () => {
    app.clock.set(new Date('2027-01-04T10:30:00Z'));
    const held = await respond(writer, 'Our allotment shares seeds.');
    await respond(author, 'The author opens the conversation.');
    const reported = await respond(await given(app).reader(), 'Buy my course, everyone.');
    await approve(reported);
    await app.gqlOk(
      `mutation($id: ID!) { reportResponse(id: $id, reason: OFF_TOPIC) }`,
      { id: reported },
      (await given(app).reader()).token,
    );
    await plan('2027-01-04T12:00:00Z');
    const digest = mailsTo(app, subscriber).filter(isDigest).at(-1)!;
    expect(digest.text).toContain('The author opens the conversation.');
    expect(digest.text).not.toContain('Our allotment shares seeds.');
    expect(mailsTo(app, writer.email)).toEqual([]);

    await plan('2027-01-05T08:00:00Z');
    const review = mailsTo(app, author.email).filter(isReview).at(-1)!;
    expect(review.subject).toContain('1 held for review');
    expect(review.subject).toContain('1 reported response');
    expect(review.text).toContain('Held for your review (1)');
    expect(review.text).toContain('Our allotment shares seeds.');
    expect(review.text).toContain('Reported by readers (1)');
    expect(review.text).toContain('Buy my course, everyone.');
    // Held is not "new": the new responses list leaves it out.
    expect(review.text).not.toMatch(
      /New responses \(\d+\)[^]*Our allotment[^]*Held for your review/,
    );

    // Approved: the writer hears it is live, and the next digest has it as news.
    app.clock.set(new Date('2027-01-05T09:00:00Z'));
    await approve(held);
    await settled(app);
    const live = mailsTo(app, writer.email).filter(isLive);
    expect(live).toHaveLength(1);
    expect(live[0]!.subject).toBe('Your response on “Moderated news” is live');
    expect(live[0]!.text).toContain('Our allotment shares seeds.');
    expect(live[0]!.text).toContain(`#response-${held}`);
    await plan('2027-01-05T12:00:00Z');
    const next = mailsTo(app, subscriber).filter(isDigest).at(-1)!;
    expect(next).not.toBe(digest);
    expect(next.text).toContain('Our allotment shares seeds.');
  });

  it('a writer who turned reply notices off gets no “live” email', async () => {
    await app.gqlOk(
      `mutation { updateNotificationSettings(replyEmails: false) { replyEmails } }`,
      {},
      quiet.token,
    );
    const held = await respond(quiet, 'Quietly held.');
    await approve(held);
    await settled(app);
    expect(mailsTo(app, quiet.email)).toEqual([]);
    expect(
      await app.sql(`SELECT * FROM deliveries WHERE reason_key = $1`, [`approved:${held}`]),
    ).toEqual([]);
  });
});
