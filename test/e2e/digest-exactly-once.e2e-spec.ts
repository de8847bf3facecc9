import { jest } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { simpleParser, type ParsedMail } from 'mailparser';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import {
  DigestSchedule,
  PLANNER_SCHEDULER_ID,
} from '../../src/digests/digest-planner.processor.js';
import { inIdRange, splitIdRange, type IdRange } from '../../src/digests/id-ranges.js';
import { DigestPlanner } from '../../src/digests/planner.service.js';
import { SubscriptionsService } from '../../src/digests/subscriptions.service.js';
import { DeliveriesService } from '../../src/mail/deliveries.service.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { DIGESTS_QUEUE } from '../../src/queue/queue-names.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  RESPOND,
  mailQueue,
  planAt,
  planTogetherAtALockedRow,
  postForm,
  recipientOf,
  scheduledPlanDone,
  settled,
} from '../support/digests.js';
import { eventually, given, type GivenUser } from '../support/given.js';
import { runNode, runToEnd, type RunningProcess } from '../support/processes.js';
import { rawHeader } from '../support/smtp.js';

/**
 * Losing Redis is simulated with FLUSHDB, so this suite keeps its keys in a
 * Redis database of its own (not the one other suites share).
 */
const redisUrl = (() => {
  if (!process.env.REDIS_URL) return undefined;
  const url = new URL(process.env.REDIS_URL);
  url.pathname = `/${randomInt(5, 16)}`;
  return url.toString();
})();
const env = { RATE_LIMITS: 'off', ...(redisUrl ? { REDIS_URL: redisUrl } : {}) };

/** Leaves the suite's Redis database as it found it. */
async function dropQueueKeys(prefix: string): Promise<void> {
  if (!redisUrl) return;
  const redis = new Redis(redisUrl);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
      if ((keys as string[]).length) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}

let counter = 0;

/** Confirmed subscriptions that follow one essay, straight into the table (setup, not the subject). */
async function seedSubscribers(
  app: TestApp,
  prefix: string,
  count: number,
  essayId: string,
): Promise<string[]> {
  const rows = await app.sql<{ email: string }>(
    `INSERT INTO digest_subscriptions
       (email, scope, essay_id, scope_key, frequency, timezone, send_hour, weekday, status, confirmed_at, window_start)
     SELECT $1 || '-' || i || '@example.test', 'ESSAY', $2::uuid, $2::text, 'DAILY', 'UTC', 9, 1, 'CONFIRMED', $3, $3
       FROM generate_series(1, $4::int) AS i
     RETURNING email`,
    [prefix, essayId, app.clock.now(), count],
  );
  return rows.map((row) => row.email);
}

/**
 * An essay titled "Essay <prefix>", `count` subscribers who follow it
 * (confirmed at `confirmedAt`), and the reader's response an hour later;
 * answers the subscribers' addresses.
 */
async function followedEssay(
  app: TestApp,
  people: { author: GivenUser; reader: GivenUser },
  prefix: string,
  count: number,
  confirmedAt: string,
): Promise<string[]> {
  app.clock.set(new Date(confirmedAt));
  const essay = await given(app).publishedEssay(
    await given(app).author(people.author.email),
    `Essay ${prefix}`,
  );
  const emails = await seedSubscribers(app, prefix, count, essay.id);
  app.clock.set(new Date(new Date(confirmedAt).getTime() + 3_600_000));
  await respondOn(app, people.reader, prefix, `News for ${prefix} (${(counter += 1)})`);
  return emails;
}

/** The reader responds on the essay of `followedEssay(…, prefix, …)`, at the clock's time. */
async function respondOn(app: TestApp, reader: GivenUser, prefix: string, body: string) {
  const [prompt] = await app.sql<{ id: string }>(
    `SELECT p.id FROM prompts p JOIN essays e ON e.id = p.essay_id WHERE e.title = $1 LIMIT 1`,
    [`Essay ${prefix}`],
  );
  await app.gqlOk(
    RESPOND,
    { input: { promptId: prompt!.id, body } },
    (await given(app).reader(reader.email)).token,
  );
}

/** How many emails each address got, for the addresses given. */
function countByRecipient(messages: ParsedMail[], emails: string[]): Map<string, number> {
  const counts = new Map(emails.map((email) => [email, 0]));
  for (const mail of messages) {
    const to = recipientOf(mail);
    if (counts.has(to)) counts.set(to, counts.get(to)! + 1);
  }
  return counts;
}

function expectExactlyOneEach(messages: ParsedMail[], emails: string[]): void {
  const counts = countByRecipient(messages, emails);
  const wrong = [...counts].filter(([, n]) => n !== 1);
  expect(wrong).toEqual([]);
  expect(counts.size).toBe(emails.length);
}

async function pendingCount(app: TestApp): Promise<number> {
  const [row] = await app.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM deliveries WHERE state = 'PENDING'`,
  );
  return row!.n;
}

async function sentCount(app: TestApp, prefix: string): Promise<number> {
  const [row] = await app.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM deliveries WHERE state = 'SENT' AND recipient LIKE $1`,
    [`${prefix}-%`],
  );
  return row!.n;
}

describe('every digest goes out once: planners and workers in this process', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;

  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2027-01-04T10:00:00Z'), env });
    await scheduledPlanDone(app);
    author = await given(app).author();
    reader = await given(app).reader();
    // The author's own review digest is not what these tests count.
    await app.sql(
      `INSERT INTO notification_settings (user_id, review_digest_enabled) VALUES ($1, false)
       ON CONFLICT (user_id) DO UPDATE SET review_digest_enabled = false`,
      [author.id],
    );
  });
  afterAll(async () => {
    await app.close();
    await dropQueueKeys(app.config.queuePrefix);
  });

  const scene = (prefix: string, count: number, confirmedAt: string) =>
    followedEssay(app, { author, reader }, prefix, count, confirmedAt);
  const news = (prefix: string, body: string) => respondOn(app, reader, prefix, body);

  it('planning the same instant twice, one after the other or both at once, decides one digest per subscription and slot', async () => {
    const emails = await scene('twice', 20, '2027-01-04T10:00:00Z');
    const first = await planAt(app, '2027-01-05T09:00:00Z');
    const again = await planAt(app, '2027-01-05T09:00:00Z');
    expect([first.created, again.created]).toEqual([20, 0]);
    await settled(app);
    expectExactlyOneEach(app.smtp.messages, emails);

    // The next day, two planners race for the same slot.
    app.clock.set(new Date('2027-01-05T12:00:00Z'));
    await news('twice', 'A second day of news.');
    const raced = await Promise.all([
      planAt(app, '2027-01-06T09:00:00Z'),
      planAt(app, '2027-01-06T09:00:00Z'),
    ]);
    expect(raced[0].created + raced[1].created).toBe(20);
    await settled(app);
    const counts = countByRecipient(app.smtp.messages, emails);
    expect([...counts.values()].every((n) => n === 2)).toBe(true);
    const perSlot = await app.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries WHERE kind = 'DIGEST' AND recipient LIKE 'twice-%'
        GROUP BY subscription_id, slot_key`,
    );
    expect(perSlot).toHaveLength(40);
    expect(perSlot.every((row) => row.n === 1)).toBe(true);
  });

  it('two planning passes at different instants at the same moment never give two digests the same events', async () => {
    const [email] = await scene('overlap', 1, '2027-01-25T10:00:00Z'); // news at 11:00
    const subscription = (
      await app.sql<{ id: string }>(`SELECT id FROM digest_subscriptions WHERE email = $1`, [email])
    )[0]!.id;
    app.clock.set(new Date('2027-01-26T12:00:00Z'));
    await news('overlap', 'Later news for overlap.');

    await planTogetherAtALockedRow(app, { table: 'digest_subscriptions', id: subscription }, [
      '2027-01-26T09:00:00Z',
      '2027-01-27T09:00:00Z',
    ]);
    await settled(app);

    const rows = await app.sql<{ id: string; window_start: Date; window_end: Date }>(
      `SELECT id, window_start, window_end FROM deliveries
        WHERE subscription_id = $1 AND kind = 'DIGEST' ORDER BY window_end`,
      [subscription],
    );
    expect(rows[0]!.window_start).toEqual(new Date('2027-01-25T10:00:00Z'));
    expect(rows.at(-1)!.window_end).toEqual(new Date('2027-01-27T09:00:00Z'));
    rows.slice(1).forEach((row, i) => expect(row.window_start).toEqual(rows[i]!.window_end));
    const digests = app.smtp.messages.filter((mail) => recipientOf(mail) === email);
    expect(digests.filter((mail) => /News for overlap/.test(mail.text ?? ''))).toHaveLength(1);
    expect(digests.filter((mail) => /Later news for overlap/.test(mail.text ?? ''))).toHaveLength(
      1,
    );
  });

  it('two workers at once, each job queued twice: every one of 200 subscribers gets exactly one email', async () => {
    const second: Platform = await createPlatform(
      { ...app.config, role: 'worker' },
      pino({ level: 'silent' }),
      { clock: app.clock, queueBoard: false },
    );
    try {
      const deliverHere = jest.spyOn(app.platform.app.get(DeliveriesService), 'deliver');
      const deliverThere = jest.spyOn(second.app.get(DeliveriesService), 'deliver');
      const emails = await scene('pair', 200, '2027-01-11T10:00:00Z');
      await planAt(app, '2027-01-12T09:00:00Z');
      // A duplicate job for every row, as a re-queue racing the first jobs would make.
      const ids = (
        await app.sql<{ id: string }>(
          `SELECT id FROM deliveries WHERE kind = 'DIGEST' AND recipient LIKE 'pair-%'`,
        )
      ).map((row) => row.id);
      expect(ids).toHaveLength(200);
      await app.platform.app.get(DeliveriesService).enqueue(ids, new Date('2027-01-12T09:00:01Z'));
      await settled(app, 45_000);
      expectExactlyOneEach(app.smtp.messages, emails);
      // Both workers took part.
      expect(deliverHere.mock.calls.length).toBeGreaterThan(0);
      expect(deliverThere.mock.calls.length).toBeGreaterThan(0);
      expect(await sentCount(app, 'pair')).toBe(200);
      deliverHere.mockRestore();
    } finally {
      await second.close();
    }
  }, 90_000);

  it('two workers split one planning pass by subscription id range: each decides its own range, together one digest each', async () => {
    const second: Platform = await createPlatform(
      { ...app.config, role: 'worker' },
      pino({ level: 'silent' }),
      { clock: app.clock, queueBoard: false },
    );
    try {
      // The earlier tests' subscribers would be due too: not what this counts.
      await app.sql(`UPDATE digest_subscriptions SET status = 'UNSUBSCRIBED'`);
      const emails = await scene('halves', 60, '2027-01-20T10:00:00Z');
      const at = new Date('2027-01-21T09:00:00Z');
      const [lower, upper] = splitIdRange(2) as [IdRange, IdRange];
      const [fromLower, fromUpper] = await Promise.all([
        app.platform.app.get(DigestPlanner).planSubscriptionRange(at, lower),
        second.app.get(DigestPlanner).planSubscriptionRange(at, upper),
      ]);
      const rows = await app.sql<{ subscription_id: string }>(
        `SELECT subscription_id FROM deliveries WHERE kind = 'DIGEST' AND recipient LIKE 'halves-%'`,
      );
      expect(rows).toHaveLength(60);
      expect(fromLower + fromUpper).toBe(60);
      expect(rows.filter((row) => inIdRange(row.subscription_id, lower))).toHaveLength(fromLower);
      expect(rows.filter((row) => inIdRange(row.subscription_id, upper))).toHaveLength(fromUpper);
      // Random ids: both halves have some (one empty would be 1 in 2^59).
      expect(fromLower).toBeGreaterThan(0);
      expect(fromUpper).toBeGreaterThan(0);
      // A whole pass after them, and a half again, find nothing left to decide.
      expect((await planAt(app, at)).created).toBe(0);
      expect(await second.app.get(DigestPlanner).planSubscriptionRange(at, lower)).toBe(0);
      await settled(app);
      expectExactlyOneEach(app.smtp.messages, emails);
    } finally {
      await second.close();
    }
  }, 90_000);

  it('a digest carries list headers, a stable Message-ID, and text and HTML parts', async () => {
    const [email] = await scene('headers', 1, '2027-01-18T10:00:00Z');
    await planAt(app, '2027-01-19T09:00:00Z');
    await settled(app);
    const digest = app.smtp.messages.find((mail) => recipientOf(mail) === email)!;
    const [row] = await app.sql<{ id: string; message_id: string }>(
      `SELECT id, message_id FROM deliveries WHERE recipient = $1 AND kind = 'DIGEST'`,
      [email],
    );
    expect(rawHeader(digest, 'List-Unsubscribe')).toMatch(
      /^<https?:\/\/[^>]+\/subscriptions\/unsubscribe\?token=[^>]+>, <mailto:[^>]+>$/,
    );
    expect(rawHeader(digest, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(rawHeader(digest, 'List-Id')).toMatch(/^Rizom Conversations digest <digest\.[\w.-]+>$/);
    expect(digest.messageId).toBe(row!.message_id);
    expect(digest.messageId).toMatch(new RegExp(`^<${row!.id}@[\\w.-]+>$`));
    expect(digest.text).toMatch(/News for headers/);
    expect(digest.html).toMatch(/News for headers/);
    expect(digest.html).toMatch(/^<!doctype html>/i);
  });
  it('when the queue loses everything, a worker puts the planner’s schedule back and it plans at once', async () => {
    const digests = app.platform.app.get<Queue>(getQueueToken(DIGESTS_QUEUE), { strict: false });
    expect(await digests.getJobScheduler(PLANNER_SCHEDULER_ID)).toMatchObject({
      every: 15 * 60_000,
    });
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      try {
        await redis.flushdb();
      } finally {
        redis.disconnect();
      }
    } else {
      await digests.obliterate({ force: true });
      await digests.resume();
    }
    expect(await digests.getJobScheduler(PLANNER_SCHEDULER_ID)).toBeUndefined();

    // What the worker's periodic check does.
    const schedule = app.platform.app.get(DigestSchedule);
    expect(await schedule.ensureScheduled()).toBe(true);
    expect(await schedule.ensureScheduled()).toBe(false);
    expect(await digests.getJobScheduler(PLANNER_SCHEDULER_ID)).toMatchObject({
      every: 15 * 60_000,
    });
    const counts = await eventually(
      () => digests.getJobCounts('completed'),
      (c) => (c.completed ?? 0) >= 1,
    );
    expect(counts.completed).toBeGreaterThanOrEqual(1);
  });
});

/**
 * An SMTP server that answers slowly, and can hold messages without
 * answering: the next few, or all of them. A message whose sender
 * disconnected before its answer is not kept: it was not delivered.
 */
async function startHoldingSink(delayMs = 20) {
  const messages: ParsedMail[] = [];
  const closed = new Set<string>();
  let gate: { promise: Promise<void>; open: () => void } | null = null;
  let holdingAll = false;
  let holdNext = 0;
  const held = new Set<string>();
  const close = () => {
    if (gate) return;
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    gate = { promise, open };
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onClose(session) {
      closed.add(session.id);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          if (gate && (holdingAll || holdNext > 0)) {
            if (!holdingAll) holdNext -= 1;
            held.add(session.id);
            await gate.promise;
            held.delete(session.id);
          }
          if (closed.has(session.id)) return callback(new Error('the sender is gone'));
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  // A worker killed mid-message resets its connection: expected here, not a failure.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    held: () => held.size,
    /** Whether every sender whose message is held has disconnected. */
    heldSendersGone: () => [...held].every((id) => closed.has(id)),
    /** Holds the next `count` messages; the ones after pass. */
    holdNext(count: number) {
      close();
      holdNext += count;
    },
    /** Holds every message from now on. */
    holdAll() {
      close();
      holdingAll = true;
    },
    release() {
      const current = gate;
      gate = null;
      holdingAll = false;
      holdNext = 0;
      current?.open();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('every digest goes out once: worker processes that die, and a queue that loses its jobs', () => {
  let app: TestApp;
  let author: GivenUser;
  let reader: GivenUser;
  let sink: Awaited<ReturnType<typeof startHoldingSink>>;
  let dataDir: string;
  let processEnv: Record<string, string>;
  const workers: RunningProcess[] = [];

  // A test that fails while the sink holds messages must not hold up the next.
  afterEach(() => sink.release());

  beforeAll(async () => {
    // This process only serves the API and plans; worker processes send.
    app = await startTestApp({
      now: new Date('2027-02-01T10:00:00Z'),
      // The planner here queues the jobs: as small as the workers' (below).
      env: { ...env, ROLE: 'api', MAIL_JOB_SIZE: '2' },
    });
    author = await given(app).author();
    reader = await given(app).reader();
    await app.sql(
      `INSERT INTO notification_settings (user_id, review_digest_enabled) VALUES ($1, false)
       ON CONFLICT (user_id) DO UPDATE SET review_digest_enabled = false`,
      [author.id],
    );
    sink = await startHoldingSink();
    dataDir = await mkdtemp(join(tmpdir(), 'rizom-workers-'));
    processEnv = {
      NODE_ENV: 'test',
      DATABASE_URL: app.config.databaseUrl,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      QUEUE_PREFIX: app.config.queuePrefix,
      SMTP_URL: sink.url,
      PUBLIC_URL: app.config.publicUrl,
      JWT_SECRET: app.config.jwtSecret,
      DATA_DIR: dataDir,
      MIGRATE_ON_START: 'false',
      // A worker claims the rows of the jobs it runs: jobs of 2 (4 at once)
      // keep what a killed worker had in hand within MAIL_CONCURRENCY (8).
      MAIL_JOB_SIZE: '2',
    };
  });
  afterAll(async () => {
    for (const worker of workers) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
    }
    sink.release();
    await sink.close();
    await app.close();
    await dropQueueKeys(app.config.queuePrefix);
    await rm(dataDir, { recursive: true, force: true });
  });

  const startWorker = async () => {
    const worker = runNode('dist/src/worker.js', [], processEnv);
    workers.push(worker);
    await worker.waitForOutput(/worker running/);
    return worker;
  };

  const scene = (prefix: string, count: number, confirmedAt: string) =>
    followedEssay(app, { author, reader }, prefix, count, confirmedAt);

  /**
   * Lets `after` messages through, holds one without an answer while ten
   * more pass, then holds them all: when this returns, a worker is in the
   * middle of the batch with messages waiting for their answers.
   */
  const stopMidBatch = async (app: TestApp, prefix: string, after: number) => {
    const received = () =>
      sink.messages.filter((mail) => recipientOf(mail).startsWith(`${prefix}-`)).length;
    await eventually(
      async () => received(),
      (n) => n >= after,
      30_000,
    );
    sink.holdNext(1);
    await eventually(
      async () => sink.held(),
      (n) => n > 0,
      30_000,
    );
    const passed = received();
    await eventually(
      async () => received(),
      (n) => n >= passed + 10,
      30_000,
    );
    sink.holdAll();
    expect(sink.held()).toBeGreaterThan(0);
    // A message the server has answered is delivered: the worker must record
    // it as sent at once (whatever else it is still sending), so that dying
    // now cannot send it twice.
    await eventually(
      () => sentCount(app, prefix),
      (n) => n === received(),
      10_000,
    );
    expect(received()).toBeLessThan(120);
  };

  /** Rows some worker has claimed (it is composing or sending them) right now. */
  const inHand = async (prefix: string): Promise<number> => {
    const [row] = await app.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries
        WHERE state = 'PENDING' AND claimed_by IS NOT NULL AND recipient LIKE $1`,
      [`${prefix}-%`],
    );
    return row!.n;
  };

  it('a worker killed with SIGKILL mid-batch: another takes over, the planner re-queues, each subscriber gets one', async () => {
    const emails = await scene('kill', 120, '2027-02-01T10:00:00Z');
    const first = await startWorker();
    expect(await planAt(app, '2027-02-02T09:00:00Z')).toMatchObject({ created: 120 });
    await stopMidBatch(app, 'kill', 30);
    const sentBeforeKill = await sentCount(app, 'kill');

    first.child.kill('SIGKILL');
    await first.exited;
    // The held messages' sender is gone before they were answered: they were not delivered.
    await eventually(
      async () => sink.heldSendersGone(),
      (gone) => gone,
    );
    sink.release();
    expect(await sentCount(app, 'kill')).toBe(sentBeforeKill);

    await startWorker();
    // What the dead worker had taken stays pending until the planner re-queues it.
    const stuck = await eventually(
      () => pendingCount(app),
      (n) => n <= 8,
      30_000,
    );
    expect(stuck).toBeGreaterThan(0);

    // An operator's planning pass more than 10 minutes later, from the CLI.
    const run = await runToEnd('dist/src/cli.js', ['digest:run', '--at', '2027-02-02T09:11:00Z'], {
      ...processEnv,
      LOG_LEVEL: 'silent',
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(result).toMatchObject({ at: '2027-02-02T09:11:00.000Z', created: 0 });
    expect(result.requeued).toBeGreaterThan(0);

    await eventually(
      () => pendingCount(app),
      (n) => n === 0,
      30_000,
    );
    expect(await pendingCount(app)).toBe(0);
    expectExactlyOneEach(sink.messages, emails);
  }, 120_000);

  it(
    redisUrl
      ? 'Redis flushed mid-batch: the planner re-queues from PostgreSQL, each subscriber gets exactly one'
      : "the mail queue's jobs deleted mid-batch: the planner re-queues from PostgreSQL, each subscriber gets exactly one",
    async () => {
      // The previous test's subscribers are done with.
      await app.sql(
        `UPDATE digest_subscriptions SET status = 'UNSUBSCRIBED' WHERE email LIKE 'kill-%'`,
      );
      const emails = await scene('lost', 120, '2027-02-08T10:00:00Z');
      const worker =
        workers.find((w) => w.child.exitCode === null && w.child.signalCode === null) ??
        (await startWorker());
      expect(await planAt(app, '2027-02-09T09:00:00Z')).toMatchObject({ created: 120 });
      await stopMidBatch(app, 'lost', 30);

      if (redisUrl) {
        const redis = new Redis(redisUrl);
        try {
          await redis.flushdb();
        } finally {
          redis.disconnect();
        }
      } else {
        const queue = mailQueue(app);
        await queue.obliterate({ force: true });
        await queue.resume();
      }
      sink.release(); // the worker finishes what it had in hand; the rest of the queue is gone
      await eventually(
        () => inHand('lost'),
        (n) => n === 0,
        30_000,
      );
      // Only the ledger still knows about the rest.
      const lost = await pendingCount(app);
      expect(lost).toBeGreaterThan(0);

      const replanned = await planAt(app, '2027-02-09T09:11:00Z');
      expect(replanned).toMatchObject({ at: '2027-02-09T09:11:00.000Z', created: 0 });
      expect(replanned.requeued).toBe(lost);
      await eventually(
        () => pendingCount(app),
        (n) => n === 0,
        30_000,
      );
      expect(await pendingCount(app)).toBe(0);
      expectExactlyOneEach(sink.messages, emails);
      expect(worker.child.exitCode).toBeNull();
    },
    120_000,
  );

  it('unsubscribing while the digest is in SMTP’s hands answers at once; that one message arrives and is recorded SENT, nothing after it', async () => {
    await app.sql(
      `UPDATE digest_subscriptions SET status = 'UNSUBSCRIBED' WHERE email LIKE 'lost-%'`,
    );
    const [email] = await scene('leaving', 1, '2027-02-15T10:00:00Z');
    const [subscription] = await app.sql<{ id: string }>(
      `SELECT id FROM digest_subscriptions WHERE email = $1`,
      [email],
    );
    const entity = (
      await app.platform.app.get(SubscriptionsService).findByIds([subscription!.id])
    )[0]!;
    const token = app.platform.app.get(SubscriptionsService).manageToken(entity);
    if (!workers.some((w) => w.child.exitCode === null && w.child.signalCode === null)) {
      await startWorker();
    }
    sink.holdAll();
    expect(await planAt(app, '2027-02-16T09:00:00Z')).toMatchObject({ created: 1 });
    // The message is in the SMTP server's hands; its answer is held.
    await eventually(
      async () => sink.held(),
      (n) => n === 1,
      30_000,
    );

    // The one-click unsubscribe does not wait for the send.
    const response = await postForm(
      `${app.url}/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`,
      'List-Unsubscribe=One-Click',
    );
    expect(response.status).toBe(200);
    expect(sink.held()).toBe(1);
    const [row] = await app.sql<{ state: string; claimed_by: string | null }>(
      `SELECT state, claimed_by FROM deliveries WHERE subscription_id = $1`,
      [subscription!.id],
    );
    expect(row).toMatchObject({ state: 'PENDING', claimed_by: expect.any(String) });

    sink.release();
    const [sent] = await eventually(
      () =>
        app.sql<{ state: string; message_id: string | null }>(
          `SELECT state, message_id FROM deliveries WHERE subscription_id = $1`,
          [subscription!.id],
        ),
      (rows) => rows[0]?.state !== 'PENDING',
      30_000,
    );
    expect(sent!.state).toBe('SENT');
    const received = sink.messages.filter((mail) => recipientOf(mail) === email);
    expect(received).toHaveLength(1);
    expect(received[0]!.messageId).toBe(sent!.message_id);

    // The next day's news reaches no one.
    app.clock.set(new Date('2027-02-16T12:00:00Z'));
    await respondOn(app, reader, 'leaving', 'News after leaving.');
    expect(await planAt(app, '2027-02-17T09:00:00Z')).toMatchObject({ created: 0 });
    const rows = await app.sql(`SELECT id FROM deliveries WHERE subscription_id = $1`, [
      subscription!.id,
    ]);
    expect(rows).toHaveLength(1);
  }, 90_000);
});
