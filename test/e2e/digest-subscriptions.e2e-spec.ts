import type { ParsedMail } from 'mailparser';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import {
  CONFIRM,
  REPLY,
  RESPOND,
  SUBSCRIBE,
  confirmationToken,
  digestRows,
  linkToken,
  mailQueue,
  mailsTo,
  planAt,
  postForm,
  scheduledPlanDone,
  settled,
  subscribeConfirmed,
  subscriptionRow,
} from '../support/digests.js';
import { eventually, given, type GivenUser } from '../support/given.js';
import { rawHeader } from '../support/smtp.js';

const SUBSCRIPTION_FIELDS = `id email scope essayId frequency timezone sendHour weekday status token`;
const UPDATE = `mutation($token: String!, $input: UpdateSubscriptionInput!) {
  updateSubscription(token: $token, input: $input) { ${SUBSCRIPTION_FIELDS} }
}`;
const UNSUBSCRIBE = `mutation($token: String!) { unsubscribe(token: $token) }`;
const MINE = `{ mySubscriptions { ${SUBSCRIPTION_FIELDS} } }`;

const codeOf = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code;
const digestsTo = (app: TestApp, email: string) =>
  mailsTo(app, email).filter((mail) =>
    /^(Your (daily|weekly) digest|New essay)/.test(mail.subject ?? ''),
  );
const unsubscribeUrlOf = (mail: ParsedMail) =>
  /<(https?:[^>]+)>/.exec(rawHeader(mail, 'List-Unsubscribe') ?? '')![1]!;

describe('digest subscriptions', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;
  let essay: { id: string; slug: string; prompts: { id: string; text: string }[] };
  let said = 0;

  beforeAll(async () => {
    app = await startTestApp({
      now: new Date('2027-01-04T10:00:00Z'),
      env: { RATE_LIMITS: 'off' },
    });
    await scheduledPlanDone(app);
    author = await given(app).author();
    reader = await given(app).reader();
    essay = await given(app).publishedEssay(author, 'Commons');
  });
  afterAll(() => app.close());

  const at = (iso: string) => app.clock.set(new Date(iso));
  // Sessions expire by the clock, which these tests move by months: sign in afresh.
  const readerToken = async () => (await given(app).reader(reader.email)).token;
  const authorToken = async () => (await given(app).author(author.email)).token;
  /** A reader's response on the Commons essay, at `iso`; answers its id. */
  const respond = async (iso: string, body: string, on = essay): Promise<string> => {
    at(iso);
    said += 1;
    const data = await app.gqlOk<{ respond: { id: string } }>(
      RESPOND,
      { input: { promptId: on.prompts[said % on.prompts.length]!.id, body } },
      await readerToken(),
    );
    return data.respond.id;
  };

  describe('double opt-in', () => {
    it('sends nothing before confirming; opening the link confirms nothing; confirmSubscription does', async () => {
      const email = 'optin@example.test';
      expect(
        await app.gql(SUBSCRIBE, {
          input: { email: 'OptIn@Example.test', timezone: 'UTC', sendHour: 9 },
        }),
      ).toEqual({ data: { subscribe: true } });
      const token = await confirmationToken(app, email);
      const [pending] = await app.sql<{ id: string; status: string }>(
        `SELECT id, status FROM digest_subscriptions WHERE email = $1`,
        [email],
      );
      expect(pending!.status).toBe('PENDING');

      await respond('2027-01-04T12:00:00Z', 'Before confirming: a seed library.');
      await planAt(app, '2027-01-05T09:00:00Z');
      expect(await digestRows(app, pending!.id)).toEqual([]);

      // A mail scanner opening the link changes nothing.
      at('2027-01-05T10:00:00Z');
      const page = await fetch(
        `${app.url}/subscriptions/confirm?token=${encodeURIComponent(token)}`,
      );
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<form method="post"/);
      expect((await subscriptionRow(app, pending!.id)).status).toBe('PENDING');

      const confirmed = await app.gqlOk<{ confirmSubscription: Record<string, unknown> }>(CONFIRM, {
        token,
      });
      expect(confirmed.confirmSubscription).toMatchObject({
        id: pending!.id,
        email,
        status: 'CONFIRMED',
        scope: 'ALL_ESSAYS',
        frequency: 'DAILY',
        timezone: 'UTC',
        sendHour: 9,
      });
      // Confirming twice changes nothing.
      expect(
        (await app.gqlOk<{ confirmSubscription: { status: string } }>(CONFIRM, { token }))
          .confirmSubscription.status,
      ).toBe('CONFIRMED');

      await respond('2027-01-05T12:00:00Z', 'After confirming: a tool library.');
      await planAt(app, '2027-01-06T09:00:00Z');
      await settled(app);
      const digests = digestsTo(app, email);
      expect(digests).toHaveLength(1);
      expect(digests[0]!.text).toMatch(/a tool library/);
      // The first window starts at confirmation.
      expect(digests[0]!.text).not.toMatch(/seed library/);
    });

    it('re-subscribing updates the preferences of the one row; it answers true for any address', async () => {
      const email = 'again@example.test';
      const first = await app.gql(SUBSCRIBE, { input: { email, timezone: 'UTC', sendHour: 9 } });
      const second = await app.gql(SUBSCRIBE, {
        input: {
          email: 'AGAIN@example.test',
          timezone: 'Europe/Paris',
          sendHour: 18,
          frequency: 'WEEKLY',
          weekday: 'FRIDAY',
        },
      });
      const rows = await app.sql<Record<string, unknown>>(
        `SELECT id, status, timezone, send_hour, frequency, weekday FROM digest_subscriptions WHERE email = $1`,
        [email],
      );
      expect(rows).toEqual([
        {
          id: expect.any(String),
          status: 'PENDING',
          timezone: 'Europe/Paris',
          send_hour: 18,
          frequency: 'WEEKLY',
          weekday: 5,
        },
      ]);
      const id = rows[0]!.id as string;
      // Each request gets a confirmation email; the newest link works.
      await settled(app);
      expect(mailsTo(app, email).filter((mail) => /^Confirm/.test(mail.subject!))).toHaveLength(2);
      await app.gqlOk(CONFIRM, { token: await confirmationToken(app, email) });

      // Once confirmed: the same answer, but nothing changes and no new row; a manage email instead.
      const third = await app.gql(SUBSCRIBE, {
        input: { email, timezone: 'Asia/Tokyo', sendHour: 7, frequency: 'DAILY' },
      });
      for (const answer of [first, second, third])
        expect(answer).toEqual({ data: { subscribe: true } });
      expect(await subscriptionRow(app, id)).toMatchObject({
        status: 'CONFIRMED',
        timezone: 'Europe/Paris',
        send_hour: 18,
        frequency: 'WEEKLY',
      });
      expect(
        await app.sql(`SELECT kind FROM deliveries WHERE recipient = $1 ORDER BY created_at`, [
          email,
        ]),
      ).toEqual([
        { kind: 'SUBSCRIPTION_CONFIRM' },
        { kind: 'SUBSCRIPTION_CONFIRM' },
        { kind: 'SUBSCRIPTION_MANAGE' },
      ]);
      expect(
        await app.sql(`SELECT id FROM digest_subscriptions WHERE email = $1`, [email]),
      ).toHaveLength(1);
    });

    it('never rewrites a confirmed subscription: the owner gets the manage link, at most once an hour', async () => {
      at('2027-01-10T10:05:00Z');
      const email = 'settled@example.test';
      const { id, token } = await subscribeConfirmed(app, { email, timezone: 'UTC', sendHour: 9 });
      const rowText = async () =>
        (
          await app.sql<{ row: string }>(
            `SELECT s::text AS row FROM digest_subscriptions s WHERE id = $1`,
            [id],
          )
        )[0]!.row;
      const before = await rowText();
      const manageRows = () =>
        app.sql<{ reason_key: string }>(
          `SELECT reason_key FROM deliveries WHERE recipient = $1 AND kind = 'SUBSCRIPTION_MANAGE'
           ORDER BY created_at`,
          [email],
        );

      // A stranger tries to move it to Tokyo, weekly, three times in the hour.
      for (const minute of ['10:06', '10:30', '10:59']) {
        at(`2027-01-10T${minute}:00Z`);
        expect(
          await app.gql(SUBSCRIBE, {
            input: {
              email: 'Settled@Example.test',
              timezone: 'Asia/Tokyo',
              sendHour: 3,
              frequency: 'WEEKLY',
              weekday: 'SUNDAY',
            },
          }),
        ).toEqual({ data: { subscribe: true } });
      }
      expect(await rowText()).toBe(before);
      expect(await manageRows()).toHaveLength(1);

      await settled(app);
      const manageMails = mailsTo(app, email).filter((mail) => /manage/i.test(mail.subject ?? ''));
      expect(manageMails).toHaveLength(1);
      expect(manageMails[0]!.text).toMatch(/already/i);
      expect(manageMails[0]!.html).toBeTruthy();
      // Its link is the subscription's manage link: the one way to change it.
      const manageToken = linkToken(manageMails[0]!.text!, '/subscriptions/manage');
      expect(manageToken).toBe(token);

      // The next hour may bring one more.
      at('2027-01-10T11:01:00Z');
      await app.gqlOk(SUBSCRIBE, { input: { email, timezone: 'Asia/Tokyo' } });
      expect(await manageRows()).toHaveLength(2);
      expect(await rowText()).toBe(before);

      // Only the manage token changes preferences.
      const { updateSubscription } = await app.gqlOk<{ updateSubscription: { timezone: string } }>(
        UPDATE,
        { token: manageToken, input: { timezone: 'Asia/Tokyo' } },
      );
      expect(updateSubscription.timezone).toBe('Asia/Tokyo');
    });

    it('answers a confirmed, a pending and an unknown address alike', async () => {
      at('2027-01-11T10:00:00Z');
      await subscribeConfirmed(app, { email: 'known@example.test', timezone: 'UTC' });
      await app.gqlOk(SUBSCRIBE, { input: { email: 'pending@example.test' } });
      const answers = [];
      for (const email of ['known@example.test', 'pending@example.test', 'unknown@example.test']) {
        answers.push(await app.gql(SUBSCRIBE, { input: { email, timezone: 'Europe/Paris' } }));
      }
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(answers[0]).toEqual({ data: { subscribe: true } });
    });

    it('another scope for a confirmed address is a subscription of its own, confirmed on its own', async () => {
      at('2027-01-12T10:00:00Z');
      const email = 'scoped@example.test';
      const all = await subscribeConfirmed(app, { email, timezone: 'UTC', sendHour: 9 });
      await app.gqlOk(SUBSCRIBE, { input: { email, scope: 'ESSAY', essayId: essay.id } });
      const rows = await app.sql<{ id: string; scope: string; status: string }>(
        `SELECT id, scope, status FROM digest_subscriptions WHERE email = $1 ORDER BY scope`,
        [email],
      );
      expect(rows).toEqual([
        { id: all.id, scope: 'ALL_ESSAYS', status: 'CONFIRMED' },
        { id: expect.any(String), scope: 'ESSAY', status: 'PENDING' },
      ]);
    });

    it('refuses bad input with BAD_USER_INPUT and writes nothing', async () => {
      const draft = await given(app).essay(
        await given(app).author(author.email),
        `---\ntitle: 'Unfinished'\nstatus: draft\n---\n\nSoon.\n\n## Over to you\n\nWhat would you add?\n`,
      );
      const email = 'bad@example.test';
      const attempts = [
        { email, timezone: 'Mars/Olympus_Mons' },
        { email, timezone: 'UTC', sendHour: 24 },
        { email, sendHour: -1 },
        { email, scope: 'ESSAY' },
        { email, scope: 'ESSAY', essayId: draft.id },
        { email, scope: 'ESSAY', essayId: '00000000-0000-4000-8000-000000000000' },
        { email: 'not-an-address', timezone: 'UTC' },
      ];
      for (const input of attempts) {
        const result = await app.gql(SUBSCRIBE, { input });
        expect({ input, code: codeOf(result), data: result.data ?? null }).toEqual({
          input,
          code: 'BAD_USER_INPUT',
          data: null,
        });
      }
      expect(
        await app.sql(`SELECT id FROM digest_subscriptions WHERE email IN ($1, 'not-an-address')`, [
          email,
        ]),
      ).toEqual([]);
      expect(
        await app.sql(`SELECT id FROM deliveries WHERE recipient IN ($1, 'not-an-address')`, [
          email,
        ]),
      ).toEqual([]);
    });
  });

  describe('scopes', () => {
    it('ALL_ESSAYS gets new essays and every conversation; ESSAY only its own conversation', async () => {
      at('2027-01-18T10:00:00Z');
      const all = await subscribeConfirmed(app, {
        email: 'all@example.test',
        timezone: 'UTC',
        sendHour: 9,
      });
      const one = await subscribeConfirmed(app, {
        email: 'one@example.test',
        scope: 'ESSAY',
        essayId: essay.id,
        timezone: 'UTC',
        sendHour: 9,
      });
      at('2027-01-18T11:00:00Z');
      const rivers = await given(app).publishedEssay(
        await given(app).author(author.email),
        'Rivers',
      );
      const onCommons = await respond('2027-01-18T12:00:00Z', 'Commons: a shared kitchen.');
      await respond('2027-01-18T13:00:00Z', 'Rivers: a canoe club.', rivers);
      at('2027-01-18T13:30:00Z');
      await app.gqlOk(
        RESPOND,
        {
          input: {
            promptId: essay.prompts[0]!.id,
            body: 'Only for the author: my home address.',
            visibility: 'PRIVATE',
          },
        },
        await readerToken(),
      );
      at('2027-01-18T14:00:00Z');
      await app.gqlOk(
        REPLY,
        { id: onCommons, body: 'The author loves the kitchen.' },
        await authorToken(),
      );

      await planAt(app, '2027-01-19T09:00:00Z');
      await settled(app);
      const [allDigest] = digestsTo(app, 'all@example.test');
      const [oneDigest] = digestsTo(app, 'one@example.test');
      expect(allDigest!.text).toMatch(/New essays\n- Rivers:/);
      expect(allDigest!.text).toMatch(/a shared kitchen/);
      expect(allDigest!.text).toMatch(/a canoe club/);
      expect(allDigest!.text).toMatch(/The author loves the kitchen/);
      for (const item of [
        'Rivers',
        'a shared kitchen',
        'a canoe club',
        'The author loves the kitchen',
      ])
        expect(allDigest!.html).toContain(item);

      expect(oneDigest!.text).toMatch(/^Commons \(/m);
      expect(oneDigest!.text).toMatch(/a shared kitchen/);
      expect(oneDigest!.text).toMatch(/The author loves the kitchen/);
      expect(oneDigest!.text).not.toMatch(/Rivers|canoe|New essays/);
      expect(oneDigest!.html).not.toMatch(/Rivers|canoe/);
      expect(oneDigest!.html).toContain('a shared kitchen');
      // Private responses reach no subscriber.
      for (const digest of [allDigest!, oneDigest!]) {
        expect(digest.text).not.toContain('my home address');
        expect(digest.html).not.toContain('my home address');
      }
      for (const { id } of [all, one]) {
        expect((await digestRows(app, id)).map((row) => [row.slot_key, row.state])).toEqual([
          ['2027-01-19', 'SENT'],
        ]);
      }
    });
  });

  describe('daily and weekly', () => {
    it('daily every local day; weekly once a week on its weekday, keyed by ISO week', async () => {
      at('2027-02-01T10:00:00Z'); // a Monday
      const daily = await subscribeConfirmed(app, {
        email: 'daily@example.test',
        timezone: 'UTC',
        sendHour: 9,
      });
      const weekly = await subscribeConfirmed(app, {
        email: 'weekly@example.test',
        timezone: 'Europe/Paris',
        sendHour: 8,
        frequency: 'WEEKLY',
        weekday: 'FRIDAY',
      });
      const start = Date.parse('2027-02-01T11:00:00Z');
      for (let hour = 0; hour <= 14 * 24; hour += 2) {
        const now = new Date(start + hour * 3_600_000);
        if (now.getUTCHours() === 13) await respond(now.toISOString(), `Day ${now.toISOString()}`);
        await planAt(app, now);
      }
      await settled(app);

      const dailyRows = await digestRows(app, daily.id);
      expect(dailyRows.map((row) => row.slot_key)).toEqual(
        Array.from({ length: 14 }, (_, i) => `2027-02-${String(i + 2).padStart(2, '0')}`),
      );
      expect(dailyRows.every((row) => row.window_end.getUTCHours() === 9)).toBe(true);
      expect(digestsTo(app, 'daily@example.test')).toHaveLength(14);

      const weeklyRows = await digestRows(app, weekly.id);
      expect(
        weeklyRows.map((row) => [
          row.slot_key,
          row.window_start.toISOString(),
          row.window_end.toISOString(),
        ]),
      ).toEqual([
        ['2027-W05', '2027-02-01T10:00:00.000Z', '2027-02-05T07:00:00.000Z'],
        ['2027-W06', '2027-02-05T07:00:00.000Z', '2027-02-12T07:00:00.000Z'],
      ]);
      const weeklies = digestsTo(app, 'weekly@example.test');
      expect(weeklies.map((mail) => mail.subject)).toEqual([
        'Your weekly digest: 4 new responses',
        'Your weekly digest: 7 new responses',
      ]);
    });
  });

  describe('across daylight saving changes, one digest per local day at the right instant', () => {
    // The send hour is the one the change skips (spring forward) or repeats (fall back).
    const cases = [
      {
        zone: 'America/New_York',
        sendHour: 2,
        from: '2027-03-12T12:00:00Z', // clocks spring forward on Sunday 14 March
        expected: [
          ['2027-03-13', '2027-03-13T07:00:00.000Z'],
          ['2027-03-14', '2027-03-14T07:00:00.000Z'], // 02:00 does not exist: 03:00 EDT
          ['2027-03-15', '2027-03-15T06:00:00.000Z'],
        ],
      },
      {
        zone: 'Europe/London',
        sendHour: 1,
        from: '2027-03-26T12:00:00Z', // spring forward on Sunday 28 March
        expected: [
          ['2027-03-27', '2027-03-27T01:00:00.000Z'],
          ['2027-03-28', '2027-03-28T01:00:00.000Z'], // 01:00 does not exist: 02:00 BST
          ['2027-03-29', '2027-03-29T00:00:00.000Z'],
        ],
      },
      {
        zone: 'Australia/Sydney',
        sendHour: 2,
        from: '2027-04-02T00:00:00Z', // falls back on Sunday 4 April
        expected: [
          ['2027-04-03', '2027-04-02T15:00:00.000Z'],
          ['2027-04-04', '2027-04-03T15:00:00.000Z'], // 02:00 happens twice: the first one
          ['2027-04-05', '2027-04-04T16:00:00.000Z'],
        ],
      },
    ];

    it.each(cases)('$zone', async ({ zone, sendHour, from, expected }) => {
      const email = `dst-${zone.replace(/\W/g, '-').toLowerCase()}@example.test`;
      at(from);
      const subscription = await subscribeConfirmed(app, { email, timezone: zone, sendHour });
      const start = Date.parse(from) + 15 * 60_000;
      const said: { body: string; at: number }[] = [];
      // Three days, every 15 minutes.
      for (let step = 0; step < 3 * 24 * 4; step += 1) {
        const now = start + step * 15 * 60_000;
        // Something happens every five hours, at varying local times.
        if (step % 20 === 7) {
          const body = `In ${zone} at ${new Date(now).toISOString()}`;
          await respond(new Date(now).toISOString(), body);
          said.push({ body, at: now });
        }
        await planAt(app, new Date(now));
      }
      await settled(app);

      const rows = await app.sql<{
        id: string;
        slot_key: string;
        state: string;
        window_start: Date;
        window_end: Date;
      }>(
        `SELECT id, slot_key, state, window_start, window_end FROM deliveries
          WHERE subscription_id = $1 AND kind = 'DIGEST' ORDER BY window_end`,
        [subscription.id],
      );
      expect(rows.map((row) => [row.slot_key, row.window_end.toISOString()])).toEqual(expected);
      expect(rows.every((row) => row.state === 'SENT')).toBe(true);
      // Windows follow each other with no gap or overlap.
      rows.slice(1).forEach((row, i) => expect(row.window_start).toEqual(rows[i]!.window_end));

      const digests = digestsTo(app, email);
      expect(digests).toHaveLength(expected.length);
      for (const row of rows) {
        const mail = digests.find((digest) => digest.messageId?.startsWith(`<${row.id}@`));
        const inWindow = said.filter(
          (s) => s.at > row.window_start.getTime() && s.at <= row.window_end.getTime(),
        );
        const outside = said.filter((s) => !inWindow.includes(s));
        expect(inWindow.length).toBeGreaterThan(0);
        for (const s of inWindow) expect(mail!.text).toContain(s.body);
        for (const s of outside) expect(mail!.text).not.toContain(s.body);
      }
    });
  });

  describe('empty windows and a planner that was down', () => {
    it('an empty window sends nothing, is SKIPPED, and the next window starts after it', async () => {
      const email = 'quiet@example.test';
      at('2027-05-03T10:00:00Z');
      const subscription = await subscribeConfirmed(app, { email, timezone: 'UTC', sendHour: 9 });
      await respond('2027-05-03T12:00:00Z', 'Monday: a repair café.');
      await planAt(app, '2027-05-04T09:00:00Z');
      await planAt(app, '2027-05-05T09:00:00Z'); // nothing happened in between
      await settled(app);
      expect((await subscriptionRow(app, subscription.id)).window_start).toEqual(
        new Date('2027-05-05T09:00:00Z'),
      );
      await respond('2027-05-05T12:00:00Z', 'Wednesday: a bike workshop.');
      await planAt(app, '2027-05-06T09:00:00Z');
      await settled(app);

      expect(
        (await digestRows(app, subscription.id)).map((row) => [
          row.slot_key,
          row.state,
          row.window_start.toISOString(),
        ]),
      ).toEqual([
        ['2027-05-04', 'SENT', '2027-05-03T10:00:00.000Z'],
        ['2027-05-05', 'SKIPPED', '2027-05-04T09:00:00.000Z'],
        ['2027-05-06', 'SENT', '2027-05-05T09:00:00.000Z'],
      ]);
      const digests = digestsTo(app, email);
      expect(digests).toHaveLength(2);
      expect(digests[0]!.text).toMatch(/a repair café/);
      expect(digests[1]!.text).toMatch(/a bike workshop/);
      expect(digests[1]!.text).not.toMatch(/repair café/);
    });

    it('a planner down for three days sends one digest covering all three', async () => {
      const email = 'catchup@example.test';
      at('2027-05-10T10:00:00Z');
      const subscription = await subscribeConfirmed(app, { email, timezone: 'UTC', sendHour: 9 });
      await respond('2027-05-10T12:00:00Z', 'First day: a community fridge.');
      await respond('2027-05-11T12:00:00Z', 'Second day: a toy swap.');
      await respond('2027-05-12T12:00:00Z', 'Third day: a street choir.');
      await respond('2027-05-13T08:00:00Z', 'Fourth morning: a reading room.');
      await planAt(app, '2027-05-13T09:30:00Z');
      await settled(app);

      expect(
        (await digestRows(app, subscription.id)).map((row) => [
          row.slot_key,
          row.window_start.toISOString(),
          row.window_end.toISOString(),
        ]),
      ).toEqual([['2027-05-13', '2027-05-10T10:00:00.000Z', '2027-05-13T09:00:00.000Z']]);
      const digests = digestsTo(app, email);
      expect(digests).toHaveLength(1);
      expect(digests[0]!.subject).toBe('Your daily digest: 4 new responses');
      for (const item of ['community fridge', 'toy swap', 'street choir', 'reading room'])
        expect(digests[0]!.text).toContain(item);
    });
  });

  describe('unsubscribing', () => {
    it('one-click POST: 200, no redirect, idempotent; GET shows a page and changes nothing; then no more mail', async () => {
      const email = 'bye@example.test';
      at('2027-05-17T10:00:00Z');
      const subscription = await subscribeConfirmed(app, { email, timezone: 'UTC', sendHour: 9 });
      await respond('2027-05-17T12:00:00Z', 'Before leaving: a tool shed.');
      await planAt(app, '2027-05-18T09:00:00Z');
      await settled(app);
      const [digest] = digestsTo(app, email);
      const url = unsubscribeUrlOf(digest!);

      const page = await fetch(url, { redirect: 'manual' });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<form method="post"[^>]*>[\s\S]*Unsubscribe/);
      expect((await subscriptionRow(app, subscription.id)).status).toBe('CONFIRMED');

      for (let click = 0; click < 2; click += 1) {
        const response = await postForm(url, 'List-Unsubscribe=One-Click');
        expect(response.status).toBe(200);
        expect(response.headers.get('location')).toBeNull();
        expect(await response.text()).toMatch(/You are unsubscribed/);
        expect((await subscriptionRow(app, subscription.id)).status).toBe('UNSUBSCRIBED');
      }

      // RFC 8058's own example posts multipart/form-data: that works too.
      const keep = await subscribeConfirmed(app, { email: 'multipart@example.test' });
      const form = new FormData();
      form.append('List-Unsubscribe', 'One-Click');
      const multipart = await fetch(
        `${app.url}/subscriptions/unsubscribe?token=${encodeURIComponent(keep.token)}`,
        { method: 'POST', body: form, redirect: 'manual' },
      );
      expect(multipart.status).toBe(200);
      expect((await subscriptionRow(app, keep.id)).status).toBe('UNSUBSCRIBED');

      await respond('2027-05-18T12:00:00Z', 'After leaving: a seed swap.');
      await planAt(app, '2027-05-19T09:00:00Z');
      await planAt(app, '2027-05-20T09:00:00Z');
      await settled(app);
      expect((await digestRows(app, subscription.id)).map((row) => row.slot_key)).toEqual([
        '2027-05-18',
      ]);
      expect(digestsTo(app, email)).toHaveLength(1);
    });

    it('a digest decided but not yet sent is SKIPPED when its subscription unsubscribes', async () => {
      const email = 'pending-bye@example.test';
      at('2027-05-24T10:00:00Z');
      const subscription = await subscribeConfirmed(app, { email, timezone: 'UTC', sendHour: 9 });
      await respond('2027-05-24T12:00:00Z', 'A garden share.');
      const queue = mailQueue(app);
      await queue.pause();
      try {
        await planAt(app, '2027-05-25T09:00:00Z');
        expect((await digestRows(app, subscription.id)).map((row) => row.state)).toEqual([
          'PENDING',
        ]);
        expect(await app.gqlOk(UNSUBSCRIBE, { token: subscription.token })).toEqual({
          unsubscribe: true,
        });
        expect((await digestRows(app, subscription.id)).map((row) => row.state)).toEqual([
          'SKIPPED',
        ]);
      } finally {
        await queue.resume();
      }
      // The job still runs and finds nothing to send.
      const counts = await eventually(
        () => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
        (c) => Object.values(c).every((n) => n === 0),
      );
      expect(Object.values(counts).every((n) => n === 0)).toBe(true);
      expect(digestsTo(app, email)).toEqual([]);
    });
  });

  describe('links', () => {
    let first: { id: string; token: string; confirmToken: string };
    let second: { id: string; token: string; confirmToken: string };

    beforeAll(async () => {
      at('2027-06-01T10:00:00Z');
      first = await subscribeConfirmed(app, {
        email: 'first@example.test',
        timezone: 'Europe/Paris',
        sendHour: 9,
      });
      second = await subscribeConfirmed(app, {
        email: 'second@example.test',
        timezone: 'UTC',
        sendHour: 7,
      });
    });

    it('a token works for its own subscription only: tampered, spliced or confirm tokens are refused', async () => {
      const [encodedId, signature] = first.token.split('.') as [string, string];
      const [otherId, otherSignature] = second.token.split('.') as [string, string];
      const flip = (text: string) => text.slice(0, -1) + (text.endsWith('A') ? 'B' : 'A');
      const forged = [
        `${encodedId}.${flip(signature)}`,
        `${otherId}.${signature}`, // the second subscription's id, the first one's signature
        `${encodedId}.${otherSignature}`,
        first.confirmToken, // a confirm link is not a manage link
        'nonsense',
      ];
      for (const token of forged) {
        const oneClick = await postForm(
          `${app.url}/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`,
          'List-Unsubscribe=One-Click',
        );
        expect({ token, status: oneClick.status }).toEqual({ token, status: 400 });
        const manage = await fetch(
          `${app.url}/subscriptions/manage?token=${encodeURIComponent(token)}`,
        );
        expect({ token, status: manage.status }).toEqual({ token, status: 400 });
        expect(codeOf(await app.gql(UNSUBSCRIBE, { token }))).toBe('BAD_USER_INPUT');
        expect(codeOf(await app.gql(UPDATE, { token, input: { sendHour: 3 } }))).toBe(
          'BAD_USER_INPUT',
        );
      }
      for (const id of [first.id, second.id]) {
        expect(await subscriptionRow(app, id)).toMatchObject({ status: 'CONFIRMED' });
      }
      expect((await subscriptionRow(app, first.id)).send_hour).toBe(9);
      expect((await subscriptionRow(app, second.id)).send_hour).toBe(7);
    });

    it('the manage page shows the preferences, changes them by POST, and has an unsubscribe button', async () => {
      const url = `${app.url}/subscriptions/manage?token=${encodeURIComponent(first.token)}`;
      const page = await fetch(url);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toMatch(/first@example\.test/);
      expect(html).toMatch(/<option value="DAILY" selected>/);
      expect(html).toMatch(/<option value="9" selected>09:00/);
      expect(html).toMatch(/name="timezone" value="Europe\/Paris"/);
      expect(html).toMatch(
        /<form method="post" action="\/subscriptions\/unsubscribe\?token=[^"]+"><p><button type="submit">Unsubscribe<\/button>/,
      );
      expect(await subscriptionRow(app, first.id)).toMatchObject({
        status: 'CONFIRMED',
        send_hour: 9,
      });

      const form = (fields: Record<string, string>) =>
        new URLSearchParams({ token: first.token, ...fields }).toString();
      const saved = await postForm(
        `${app.url}/subscriptions/manage`,
        form({ frequency: 'WEEKLY', weekday: 'FRIDAY', sendHour: '18', timezone: 'Asia/Tokyo' }),
      );
      expect(saved.status).toBe(200);
      const savedHtml = await saved.text();
      expect(savedHtml).toMatch(/Saved/);
      expect(savedHtml).toMatch(/<option value="WEEKLY" selected>/);
      expect(await subscriptionRow(app, first.id)).toMatchObject({
        frequency: 'WEEKLY',
        weekday: 5,
        send_hour: 18,
        timezone: 'Asia/Tokyo',
        status: 'CONFIRMED',
      });

      const refused = await postForm(
        `${app.url}/subscriptions/manage`,
        form({ frequency: 'DAILY', sendHour: '6', timezone: 'Nowhere/Land' }),
      );
      expect(refused.status).toBe(400);
      expect(await refused.text()).toMatch(/not an IANA time zone/);
      expect(await subscriptionRow(app, first.id)).toMatchObject({
        frequency: 'WEEKLY',
        send_hour: 18,
        timezone: 'Asia/Tokyo',
      });

      // The next digest follows the new schedule: Friday 18:00 in Tokyo.
      await respond('2027-06-02T12:00:00Z', 'For the Friday digest: a makerspace.');
      await planAt(app, '2027-06-04T08:59:00Z');
      expect(await digestRows(app, first.id)).toEqual([]);
      await planAt(app, '2027-06-04T09:00:00Z');
      expect((await digestRows(app, first.id)).map((row) => row.slot_key)).toEqual(['2027-W22']);

      // The page's unsubscribe button.
      const action =
        /<form method="post" action="([^"]+)"><p><button type="submit">Unsubscribe/.exec(html)![1]!;
      const unsubscribed = await postForm(`${app.url}${action.replace(/&amp;/g, '&')}`, '');
      expect(unsubscribed.status).toBe(200);
      expect((await subscriptionRow(app, first.id)).status).toBe('UNSUBSCRIBED');
      const after = await (await fetch(url)).text();
      expect(after).toMatch(/<strong>unsubscribed<\/strong>/);
      expect(after).not.toMatch(/action="\/subscriptions\/unsubscribe/);
    });

    it('mySubscriptions lists the signed-in reader’s subscriptions, and updateSubscription changes one', async () => {
      at('2027-06-07T10:00:00Z');
      const me = await given(app).reader('Member@Example.test');
      const all = await subscribeConfirmed(app, {
        email: 'member@example.test',
        timezone: 'UTC',
        sendHour: 9,
      });
      await app.gqlOk(SUBSCRIBE, {
        input: { email: 'member@example.test', scope: 'ESSAY', essayId: essay.id },
      });
      expect(codeOf(await app.gql(MINE))).toBe('UNAUTHENTICATED');
      expect(await app.gqlOk(MINE, {}, await readerToken())).toEqual({ mySubscriptions: [] });

      const { mySubscriptions } = await app.gqlOk<{
        mySubscriptions: Record<string, unknown>[];
      }>(MINE, {}, me.token);
      expect(mySubscriptions).toEqual([
        expect.objectContaining({
          id: all.id,
          email: 'member@example.test',
          scope: 'ALL_ESSAYS',
          essayId: null,
          status: 'CONFIRMED',
          sendHour: 9,
        }),
        expect.objectContaining({
          scope: 'ESSAY',
          essayId: essay.id,
          status: 'PENDING',
          frequency: 'DAILY',
          timezone: 'UTC',
          sendHour: 8,
          weekday: 'MONDAY',
        }),
      ]);

      const token = mySubscriptions[0]!.token as string;
      const updated = await app.gqlOk<{ updateSubscription: Record<string, unknown> }>(UPDATE, {
        token,
        input: {
          sendHour: 20,
          timezone: 'America/New_York',
          frequency: 'WEEKLY',
          weekday: 'SUNDAY',
        },
      });
      expect(updated.updateSubscription).toMatchObject({
        id: all.id,
        sendHour: 20,
        timezone: 'America/New_York',
        frequency: 'WEEKLY',
        weekday: 'SUNDAY',
        status: 'CONFIRMED',
      });
      for (const input of [
        { sendHour: 24 },
        { timezone: 'Atlantis/Capital' },
        { scope: 'ESSAY', essayId: '00000000-0000-4000-8000-000000000000' },
      ]) {
        expect({ input, code: codeOf(await app.gql(UPDATE, { token, input })) }).toEqual({
          input,
          code: 'BAD_USER_INPUT',
        });
      }
      expect(await subscriptionRow(app, all.id)).toMatchObject({
        send_hour: 20,
        timezone: 'America/New_York',
        frequency: 'WEEKLY',
        weekday: 7,
        scope: 'ALL_ESSAYS',
      });
    });
  });
});

describe('subscribing is rate-limited per address', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      now: new Date('2027-01-04T10:00:00Z'),
      env: { RATE_SUBSCRIBE_PER_EMAIL_HOUR: '3', RATE_SUBSCRIBE_PER_CLIENT_HOUR: '100' },
    });
  });
  afterAll(() => app.close());

  it('answers RATE_LIMITED after the limit, for any spelling of the address, and writes nothing more', async () => {
    for (const email of ['limit@example.test', 'Limit@Example.test', 'LIMIT@example.test']) {
      expect(await app.gql(SUBSCRIBE, { input: { email } })).toEqual({
        data: { subscribe: true },
      });
    }
    const refused = await app.gql(SUBSCRIBE, { input: { email: 'limit@EXAMPLE.test' } });
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect(
      await app.sql(
        `SELECT confirmation_requests FROM digest_subscriptions WHERE email = 'limit@example.test'`,
      ),
    ).toEqual([{ confirmation_requests: 3 }]);
    expect(
      await app.sql(`SELECT id FROM deliveries WHERE recipient = 'limit@example.test'`),
    ).toHaveLength(3);
    // Another address is not affected.
    expect(await app.gql(SUBSCRIBE, { input: { email: 'other@example.test' } })).toEqual({
      data: { subscribe: true },
    });
  });
});
