import { DigestPlanner } from '../../src/digests/planner.service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';
import { rawHeader } from '../support/smtp.js';

const tokenIn = (text: string, path: string) => {
  const match = new RegExp(`${path}\\?(?:list=\\w+&)?token=([\\w.%-]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return decodeURIComponent(match[1]!);
};

describe('a reader subscribes, confirms, and gets a digest at their hour', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;

  beforeAll(async () => {
    app = await startTestApp({
      now: new Date('2026-11-26T10:00:00Z'),
      env: { RATE_LIMITS: 'off' },
    });
    author = await given(app).author();
    reader = await given(app).reader();
  });
  afterAll(() => app.close());

  const plan = (iso: string) => app.platform.app.get(DigestPlanner).plan(new Date(iso));

  it('double opt-in, then a digest with the day’s essays and responses and list headers', async () => {
    expect(
      await app.gqlOk(
        `mutation { subscribe(input: { email: "fan@example.test", timezone: "Europe/Paris", sendHour: 8 }) }`,
      ),
    ).toEqual({ subscribe: true });
    const confirmation = await app.smtp.waitFor(
      (mail) => mail.subject?.startsWith('Confirm') === true,
    );
    const token = tokenIn(confirmation.text!, '/subscriptions/confirm');

    // Nothing goes out before confirming.
    expect(await plan('2026-11-27T07:00:00Z')).toMatchObject({ created: 0 });

    const page = await fetch(`${app.url}/subscriptions/confirm?token=${encodeURIComponent(token)}`);
    expect(await page.text()).toMatch(/<form method="post"/);
    const confirmed = await fetch(`${app.url}/subscriptions/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(token)}`,
    });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toMatch(/You are subscribed/);

    app.clock.set(new Date('2026-11-26T12:00:00Z'));
    const essay = await given(app).publishedEssay(author, 'Gardens');
    app.clock.set(new Date('2026-11-26T13:00:00Z'));
    await app.gqlOk(
      `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
      { input: { promptId: essay.prompts[0]!.id, body: 'A **rooftop** garden for the block.' } },
      reader.token,
    );

    expect(await plan('2026-11-27T06:59:00Z')).toMatchObject({ created: 0 });
    expect(await plan('2026-11-27T07:00:00Z')).toEqual({
      at: '2026-11-27T07:00:00.000Z',
      created: 1,
      requeued: 0,
    });
    expect(await plan('2026-11-27T07:00:00Z')).toMatchObject({ created: 0 });

    const digest = await app.smtp.waitFor(
      (mail) => mail.subject?.startsWith('Your daily digest') === true,
    );
    expect(digest.text).toMatch(/Gardens/);
    expect(digest.text).toMatch(/A rooftop garden for the block\./);
    expect(digest.html).toMatch(/Gardens/);
    expect(rawHeader(digest, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(String(rawHeader(digest, 'List-Unsubscribe'))).toMatch(
      /^<http:\/\/.+\/subscriptions\/unsubscribe\?token=.+>, <mailto:unsubscribe@.+>$/,
    );
    expect(rawHeader(digest, 'List-Id')).toMatch(/^Rizom Conversations digest <digest\.[\w.]+>$/);
    expect(digest.messageId).toMatch(/^<[0-9a-f-]{36}@/);

    // One-click unsubscribe, then nothing more.
    const unsubscribeUrl = /<(http[^>]+)>/.exec(String(rawHeader(digest, 'List-Unsubscribe')))![1]!;
    const oneClick = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(oneClick.status).toBe(200);
    app.clock.set(new Date('2026-11-27T10:00:00Z'));
    await app.gqlOk(
      `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
      { input: { promptId: essay.prompts[0]!.id, body: 'Another one' } },
      reader.token,
    );
    await plan('2026-11-28T07:00:00Z');
    const digests = await app.sql(`SELECT slot_key, state FROM deliveries WHERE kind = 'DIGEST'`);
    expect(digests).toEqual([{ slot_key: '2026-11-27', state: 'SENT' }]);
  });
});
