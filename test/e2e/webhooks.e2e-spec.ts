import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { createPlatform, type Platform } from '../../src/platform.js';
import { WebhooksService } from '../../src/webhooks/webhooks.service.js';
import { verifyWebhookSignature } from '../../src/webhooks/webhook-signature.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { RESPOND, subscribeConfirmed } from '../support/digests.js';
import { eventually, given, type GivenUser } from '../support/given.js';
import { runNode, type RunningProcess } from '../support/processes.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const SECRET = 'the-authors-webhook-secret';
const EXPRESS = `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id } }`;

/** Waits until the receiver accepted a webhook for which `match` holds, and answers it. */
async function acceptedWhere(
  receiver: WebhookReceiver,
  match: (hook: WebhookReceiver['received'][number]) => boolean,
  timeoutMs = 30_000,
) {
  const found = await eventually(
    async () => receiver.accepted().filter(match),
    (hooks) => hooks.length > 0,
    timeoutMs,
  );
  expect(found.length).toBeGreaterThan(0);
  return found[0]!;
}

async function respond(
  app: TestApp,
  reader: GivenUser,
  promptId: string,
  body: string,
  visibility = 'PUBLIC',
) {
  const data = await app.gqlOk<{ respond: { id: string } }>(
    RESPOND,
    { input: { promptId, body, visibility } },
    reader.token,
  );
  return data.respond.id;
}

describe('webhooks: signed events from the outbox to the author’s own systems', () => {
  let app: TestApp;
  let first: WebhookReceiver;
  let second: WebhookReceiver;
  let author: GivenUser;
  let essay: { id: string; prompts: { id: string }[] };

  beforeAll(async () => {
    first = await startWebhookReceiver();
    second = await startWebhookReceiver();
    app = await startTestApp({
      env: {
        RATE_LIMITS: 'off',
        WEBHOOK_URL: `${first.url}, ${second.url}`,
        WEBHOOK_SECRET: SECRET,
      },
    });
    author = await given(app).author();
    essay = await given(app).publishedEssay(author, 'Webhooks');
  });
  afterAll(async () => {
    await app.close();
    await first.close();
    await second.close();
  });

  it('POSTs response.published to every endpoint, signed over "<timestamp>.<body>", with the event id in a header and the body', async () => {
    const reader = await given(app).reader();
    const responseId = await respond(
      app,
      reader,
      essay.prompts[0]!.id,
      'Published over **webhooks**.',
    );
    for (const receiver of [first, second]) {
      const hook = await acceptedWhere(receiver, (h) => h.json.data.response?.id === responseId);
      expect(hook.headers['content-type']).toBe('application/json');
      expect(hook.json).toMatchObject({
        type: 'response.published',
        essayId: essay.id,
        subjectId: responseId,
        data: {
          response: { id: responseId, body: 'Published over **webhooks**.', visibility: 'PUBLIC' },
          essay: { id: essay.id, title: 'Webhooks' },
        },
      });
      expect(hook.headers['x-rizom-event-id']).toBe(hook.json.id);
      expect(hook.headers['x-rizom-event']).toBe('response.published');
      const timestamp = String(hook.headers['x-rizom-timestamp']);
      expect(timestamp).toMatch(/^\d{10}$/);
      const signature = String(hook.headers['x-rizom-signature']);
      expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature(SECRET, timestamp, hook.body, signature)).toBe(true);
      expect(verifyWebhookSignature('not-the-secret-at-all', timestamp, hook.body, signature)).toBe(
        false,
      );
      expect(verifyWebhookSignature(SECRET, timestamp, `${hook.body} `, signature)).toBe(false);
    }
    // One delivery row per (event, endpoint), both sent.
    // The row is marked once the receiver has answered, a moment after it saw the request.
    const rows = await eventually(
      () =>
        app.sql<{ endpoint: string; state: string }>(
          `SELECT d.endpoint, d.state FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
            WHERE e.subject_id = $1 ORDER BY d.endpoint`,
          [responseId],
        ),
      (found) => found.length === 2 && found.every((row) => row.state === 'SENT'),
    );
    expect(rows.map((row) => row.state)).toEqual(['SENT', 'SENT']);
    expect(new Set(rows.map((row) => row.endpoint))).toEqual(new Set([first.url, second.url]));
  }, 60_000);

  it('private content goes to webhooks: a private response, an offer with its contact email, a confirmed subscription with its address', async () => {
    const reader = await given(app).reader();
    const privateId = await respond(
      app,
      reader,
      essay.prompts[0]!.id,
      'Only for the author.',
      'PRIVATE',
    );
    const privateHook = await acceptedWhere(first, (h) => h.json.data.response?.id === privateId);
    expect(privateHook.json.data.response).toMatchObject({
      visibility: 'PRIVATE',
      body: 'Only for the author.',
    });

    const { expressInterest } = await app.gqlOk<{ expressInterest: { id: string } }>(
      EXPRESS,
      {
        input: {
          essayId: essay.id,
          message: 'Let us build it.',
          areas: ['software'],
          building: 'A tool library',
          contactEmail: 'Builder@Example.org',
          consentToContact: true,
        },
      },
      reader.token,
    );
    const interestHook = await acceptedWhere(first, (h) => h.json.subjectId === expressInterest.id);
    expect(interestHook.json).toMatchObject({
      type: 'interest.received',
      data: {
        interest: {
          id: expressInterest.id,
          contactEmail: 'builder@example.org',
          building: 'A tool library',
        },
      },
    });

    const subscription = await subscribeConfirmed(app, {
      email: 'hooked@example.test',
      scope: 'ESSAY',
      essayId: essay.id,
      frequency: 'DAILY',
      timezone: 'Europe/Berlin',
      sendHour: 8,
    });
    const subscriptionHook = await acceptedWhere(
      first,
      (h) => h.json.subjectId === subscription.id,
    );
    expect(subscriptionHook.json).toMatchObject({
      type: 'subscription.confirmed',
      essayId: essay.id,
      data: {
        subscription: { id: subscription.id, email: 'hooked@example.test', status: 'CONFIRMED' },
      },
    });
  }, 60_000);

  it('report.opened carries the report, its response and reason, never who reported', async () => {
    const writer = await given(app).reader();
    const reporter = await given(app).reader();
    const responseId = await respond(app, writer, essay.prompts[0]!.id, 'Worth a report.');
    await app.gqlOk(
      `mutation($id: ID!) { reportResponse(id: $id, reason: ABUSE, note: "Signed, the reporter") }`,
      { id: responseId },
      reporter.token,
    );
    const hook = await acceptedWhere(
      first,
      (h) => h.json.type === 'report.opened' && h.json.data.report?.responseId === responseId,
    );
    const [report] = await app.sql<{ id: string }>(
      `SELECT id FROM response_reports WHERE response_id = $1`,
      [responseId],
    );
    expect(hook.json).toMatchObject({
      type: 'report.opened',
      essayId: essay.id,
      subjectId: report!.id,
      data: {
        report: {
          id: report!.id,
          responseId,
          reason: 'ABUSE',
          createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        },
      },
    });
    for (const secret of [reporter.id, reporter.email, 'Signed, the reporter']) {
      expect(hook.body).not.toContain(secret);
    }
  }, 60_000);

  it('a receiver that fails twice gets the same event a third time, with the same id, and it is then SENT once', async () => {
    const reader = await given(app).reader();
    first.failNext(2);
    const responseId = await respond(app, reader, essay.prompts[0]!.id, 'Third time lucky.');
    await acceptedWhere(first, (h) => h.json.data.response?.id === responseId);
    const attempts = first.received.filter((h) => h.json.data.response?.id === responseId);
    expect(attempts.map((h) => h.status)).toEqual([500, 500, 200]);
    expect(new Set(attempts.map((h) => h.json.id)).size).toBe(1);
    expect(new Set(attempts.map((h) => h.headers['x-rizom-event-id'])).size).toBe(1);
    const [row] = await eventually(
      () =>
        app.sql<{ state: string; attempts: number }>(
          `SELECT d.state, d.attempts FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
            WHERE e.subject_id = $1 AND d.endpoint = $2`,
          [responseId, first.url],
        ),
      (found) => found[0]?.state === 'SENT',
    );
    expect(row).toEqual({ state: 'SENT', attempts: 3 });
    // The other endpoint was not held up, and got it once.
    expect(second.accepted().filter((h) => h.json.data.response?.id === responseId)).toHaveLength(
      1,
    );
  }, 60_000);

  it('a deleted response is not sent after the fact: its pending delivery is skipped', async () => {
    const reader = await given(app).reader();
    first.holdNext();
    const kept = await respond(app, reader, essay.prompts[0]!.id, 'Held at the receiver.');
    await eventually(
      async () => first.held(),
      (n) => n > 0,
    );
    expect(first.held()).toBe(1);
    const gone = await respond(app, reader, essay.prompts[0]!.id, 'Deleted before it went out.');
    await app.sql(`UPDATE responses SET deleted_at = now(), body_markdown = '' WHERE id = $1`, [
      gone,
    ]);
    first.release();
    await acceptedWhere(first, (h) => h.json.data.response?.id === kept, 60_000);
    const states = await eventually(
      () =>
        app.sql<{ state: string }>(
          `SELECT d.state FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
            WHERE e.subject_id = $1 AND d.endpoint = $2`,
          [gone, first.url],
        ),
      (rows) => rows[0]?.state === 'SKIPPED' || rows[0]?.state === 'SENT',
    );
    // Either it went out before the delete (then the body is the old one) or it was skipped.
    if (states[0]?.state === 'SENT') {
      expect(
        first.accepted().find((h) => h.json.data.response?.id === gone)?.json.data.response.body,
      ).toBe('Deleted before it went out.');
    } else {
      expect(first.accepted().some((h) => h.json.data.response?.id === gone)).toBe(false);
    }
  }, 90_000);
});

describe('webhooks: none lost when the worker process dies', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let dataDir: string;
  let processEnv: Record<string, string>;
  const workers: RunningProcess[] = [];
  let essay: { id: string; prompts: { id: string }[] };
  let reader: GivenUser;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    const webhookEnv = { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, RATE_LIMITS: 'off' };
    // This process serves the API only; worker processes relay and send.
    app = await startTestApp({ env: { ...webhookEnv, ROLE: 'api' } });
    const author = await given(app).author();
    essay = await given(app).publishedEssay(author, 'Restarts');
    reader = await given(app).reader();
    dataDir = await mkdtemp(join(tmpdir(), 'rizom-webhook-workers-'));
    processEnv = {
      ...webhookEnv,
      NODE_ENV: 'test',
      DATABASE_URL: app.config.databaseUrl,
      ...(app.config.redisUrl ? { REDIS_URL: app.config.redisUrl } : {}),
      QUEUE_PREFIX: app.config.queuePrefix,
      PUBLIC_URL: app.config.publicUrl,
      JWT_SECRET: app.config.jwtSecret,
      DATA_DIR: dataDir,
      MIGRATE_ON_START: 'false',
    };
  });
  afterAll(async () => {
    for (const worker of workers) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
    }
    await app.close();
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const startWorker = async () => {
    const worker = runNode('dist/src/worker.js', [], processEnv);
    workers.push(worker);
    await worker.waitForOutput(/worker running/);
    return worker;
  };

  it('events recorded while no worker runs, and one whose POST was cut off by SIGKILL, all arrive once a worker is back', async () => {
    const worker = await startWorker();
    const before = await respond(app, reader, essay.prompts[0]!.id, 'Before the crash.');
    await acceptedWhere(receiver, (h) => h.json.subjectId === before, 90_000);

    receiver.holdNext();
    const inFlight = await respond(app, reader, essay.prompts[0]!.id, 'In flight at the crash.');
    await eventually(
      async () => receiver.held(),
      (n) => n > 0,
      60_000,
    );
    expect(receiver.held()).toBe(1);
    worker.child.kill('SIGKILL');
    await worker.exited;
    receiver.release();

    const whileDown = [
      await respond(app, reader, essay.prompts[0]!.id, 'While no worker runs (1).'),
      await respond(app, reader, essay.prompts[0]!.id, 'While no worker runs (2).'),
    ];
    expect(
      receiver
        .accepted()
        .some((h) => [inFlight, ...whileDown].includes(h.json.subjectId as string)),
    ).toBe(false);

    await startWorker();
    for (const id of [inFlight, ...whileDown]) {
      await acceptedWhere(receiver, (h) => h.json.subjectId === id, 120_000);
    }
    const states = await eventually(
      () =>
        app.sql<{ state: string }>(
          `SELECT d.state FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
            WHERE e.subject_id = ANY($1::uuid[])`,
          [[before, inFlight, ...whileDown]],
        ),
      (found) => found.length === 4 && found.every((row) => row.state === 'SENT'),
    );
    expect(states.map((row) => row.state)).toEqual(['SENT', 'SENT', 'SENT', 'SENT']);
    // Each event was accepted once (at least once; repeats carry the same id for the receiver to drop).
    const ids = receiver.accepted().map((h) => h.json.subjectId);
    for (const id of [before, inFlight, ...whileDown])
      expect(ids.filter((x) => x === id)).toHaveLength(1);
  }, 300_000);
});

describe('webhooks: the relay reads the outbox from a cursor', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let essay: { id: string; prompts: { id: string }[] };
  let reader: GivenUser;
  const workers: Platform[] = [];

  /** A worker process's platform, in this process: it relays on its schedule and sends. */
  const startWorker = async () => {
    const worker = await createPlatform(
      { ...app.config, role: 'worker' },
      pino({ level: 'silent' }),
      { clock: app.clock, queueBoard: false },
    );
    workers.push(worker);
    return worker;
  };
  const stopWorker = async (worker: Platform) => {
    workers.splice(workers.indexOf(worker), 1);
    await worker.close();
  };
  const relay = (worker: Platform) => worker.app.get(WebhooksService).relay();
  const cursor = async () =>
    (
      await app.sql<{ tx: string; id: string }>(
        `SELECT relayed_tx_id AS tx, relayed_event_id AS id FROM webhook_endpoints WHERE url = $1`,
        [receiver.url],
      )
    )[0]!;
  const lastEvent = async () =>
    (
      await app.sql<{ tx: string; id: string }>(
        `SELECT tx_id AS tx, id FROM events ORDER BY tx_id DESC, id DESC LIMIT 1`,
      )
    )[0]!;
  const deliveriesOf = (subjectIds: string[]) =>
    app.sql<{ subject_id: string; state: string }>(
      `SELECT e.subject_id, d.state FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
        WHERE e.subject_id = ANY($1::uuid[])`,
      [subjectIds],
    );

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    // This one serves the API; the workers started here relay and send.
    app = await startTestApp({
      env: { RATE_LIMITS: 'off', WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, ROLE: 'api' },
    });
    const author = await given(app).author();
    essay = await given(app).publishedEssay(author, 'Cursor');
    reader = await given(app).reader();
  });
  afterAll(async () => {
    for (const worker of workers.splice(0)) await worker.close();
    await app.close();
    await receiver.close();
  });

  it('two relays at once deliver each event once, and a pass reads only events after the cursor', async () => {
    const [a, b] = [await startWorker(), await startWorker()];
    const ids: string[] = [];
    for (let round = 0; round < 6; round += 1) {
      ids.push(await respond(app, reader, essay.prompts[0]!.id, `Round ${round}, first.`));
      ids.push(await respond(app, reader, essay.prompts[0]!.id, `Round ${round}, second.`));
      await Promise.all([relay(a), relay(b), relay(a), relay(b)]);
    }
    const sent = await eventually(
      () => deliveriesOf(ids),
      (rows) => rows.length === ids.length && rows.every((row) => row.state === 'SENT'),
      60_000,
    );
    expect(sent).toHaveLength(ids.length);
    const accepted = receiver.accepted().map((hook) => hook.json.subjectId);
    for (const id of ids) expect(accepted.filter((x) => x === id)).toHaveLength(1);
    expect(await cursor()).toEqual(await lastEvent());

    // A delivery row gone missing is not made again: the relay no longer looks behind its cursor.
    await app.sql(
      `DELETE FROM webhook_deliveries WHERE event_id IN (SELECT id FROM events WHERE subject_id = $1)`,
      [ids[0]],
    );
    const later = await respond(app, reader, essay.prompts[0]!.id, 'After the cursor.');
    await Promise.all([relay(a), relay(b)]);
    const laterRows = await eventually(
      () => deliveriesOf([later]),
      (rows) => rows.length === 1,
      60_000,
    );
    expect(laterRows).toHaveLength(1);
    expect(await deliveriesOf([ids[0]!])).toEqual([]);
    expect(await cursor()).toEqual(await lastEvent());
    await stopWorker(a);
    await stopWorker(b);
  }, 120_000);

  it('an event whose transaction is still open when the relay passes is not skipped: the cursor waits for it', async () => {
    const worker = await startWorker();
    const earlier = await respond(
      app,
      reader,
      essay.prompts[0]!.id,
      'Written while a transaction is open.',
    );
    const client = new pg.Client({ connectionString: app.config.databaseUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      // Written first, committed last: the outbox of a slow transaction.
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO events (type, essay_id, subject_id, occurred_at)
         VALUES ('RESPONSE_HELD', $1, $2, now()) RETURNING id`,
        [essay.id, earlier],
      );
      const slow = rows[0]!.id;
      const after = await respond(app, reader, essay.prompts[0]!.id, 'Committed while it is open.');
      await relay(worker);
      // Nothing from a transaction at or after the open one is relayed yet.
      expect(await deliveriesOf([after])).toEqual([]);
      const held = await cursor();
      const [committed] = await app.sql<{ tx: string }>(
        `SELECT tx_id AS tx FROM events WHERE subject_id = $1`,
        [after],
      );
      expect(BigInt(held.tx)).toBeLessThan(BigInt(committed!.tx));
      await client.query('COMMIT');
      await relay(worker);
      const hooks = await eventually(
        async () =>
          receiver
            .accepted()
            .filter((hook) => hook.json.id === slow || hook.json.subjectId === after),
        (found) => found.length === 2,
        60_000,
      );
      expect(hooks.map((hook) => hook.json.type).sort()).toEqual([
        'response.held',
        'response.published',
      ]);
    } finally {
      await client.end();
      await stopWorker(worker);
    }
  }, 120_000);

  it('a transaction left open in another database on the same server does not hold the relay back', async () => {
    const worker = await startWorker();
    const neighbour = await createTestDatabase();
    const client = new pg.Client({ connectionString: neighbour.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      // A neighbour's long write, begun before the response and open throughout.
      const [open] = (
        await client.query<{ xid: string }>(`SELECT pg_current_xact_id()::text AS xid`)
      ).rows;
      const id = await respond(app, reader, essay.prompts[0]!.id, 'Beside a long transaction.');
      const [event] = await app.sql<{ tx: string }>(
        `SELECT tx_id AS tx FROM events WHERE subject_id = $1`,
        [id],
      );
      expect(BigInt(open!.xid)).toBeLessThan(BigInt(event!.tx));
      // A pass of the worker's own schedule may hold the endpoint a moment: pass again then.
      const made = await eventually(
        async () => {
          await relay(worker);
          return deliveriesOf([id]);
        },
        (rows) => rows.length === 1,
        20_000,
      );
      expect(made).toHaveLength(1);
      expect(await cursor()).toEqual(await lastEvent());
    } finally {
      await client.end();
      await neighbour.drop();
      await stopWorker(worker);
    }
  });

  it('the cursor survives a restart: a new worker goes on from it, reading nothing twice', async () => {
    const before = await cursor();
    expect(BigInt(before.tx)).toBeGreaterThan(0n);
    // While no worker runs, events wait in the outbox.
    const waiting = [
      await respond(app, reader, essay.prompts[0]!.id, 'While no relay runs (1).'),
      await respond(app, reader, essay.prompts[0]!.id, 'While no relay runs (2).'),
    ];
    expect(await cursor()).toEqual(before);
    const rowsBefore = await app.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhook_deliveries`,
    );
    await startWorker();
    const sent = await eventually(
      () => deliveriesOf(waiting),
      (rows) => rows.length === 2 && rows.every((row) => row.state === 'SENT'),
      60_000,
    );
    expect(sent).toHaveLength(2);
    // Only the two new events became deliveries: nothing behind the cursor was read again.
    expect(await app.sql(`SELECT count(*)::int AS n FROM webhook_deliveries`)).toEqual([
      { n: rowsBefore[0]!.n + 2 },
    ]);
    expect(await cursor()).toEqual(await lastEvent());
    const accepted = receiver.accepted().map((hook) => hook.json.subjectId);
    for (const id of waiting) expect(accepted.filter((x) => x === id)).toHaveLength(1);
  }, 120_000);
});
