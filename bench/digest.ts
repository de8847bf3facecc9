import 'reflect-metadata';
import { getQueueToken } from '@nestjs/bullmq';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../src/app.module.js';
import { PinoNestLogger } from '../src/common/logger.js';
import { loadConfig } from '../src/config/config.js';
import type { RuntimeConfig } from '../src/config/runtime.js';
import { migrateDatabase } from '../src/database/migrate.js';
import { splitIdRange } from '../src/digests/id-ranges.js';
import { DigestPlanner } from '../src/digests/planner.service.js';
import { DeliveryEntity, DeliveryKind } from '../src/mail/delivery.entity.js';
import { MailComposers } from '../src/mail/mail.composers.js';
import type { ComposedMail } from '../src/mail/mail.layout.js';
import { DIGESTS_QUEUE, MAIL_QUEUE } from '../src/queue/queue-names.js';
import { queueBackend } from '../src/queue/queue.config.js';
import type { SenderResult, SenderTask } from './plain-sender.js';
import type { PlannerResult, PlannerTask } from './planner-process.js';
import { seedDigestScene } from './digest-scene.js';
import type { SinkCount } from './smtp-sink.js';
import { benchDatabase, cpuTime, log, onCleanUp, positive, runBench, track } from './support.js';

/*
 * npm run bench:digest: one digest cycle at scale, against plain nodemailer.
 *
 * Seeds N confirmed subscriptions (a handful of time zones and send hours, all
 * due at the planning instant) and a day of events on one published essay,
 * runs one planning pass in this process (timed), then starts worker
 * processes (`dist/src/worker.js`) and times them until every digest is SENT.
 * Then plain nodemailer, in as many processes with as many messages in
 * flight, sends as many messages of the same content to the same SMTP sink.
 * The sink runs in a process of its own and counts messages without keeping
 * them.
 *
 *   --subscribers <n>  confirmed subscriptions, one digest each (100000)
 *   --workers <n>      worker processes, and baseline sender processes (2)
 *   --concurrency <n>  messages in flight per process; sets MAIL_CONCURRENCY
 *                      for the workers (default: the workers' default)
 *   --worker-env K=V   extra environment for the workers (repeatable)
 *   --worker-node-option <option>  a Node.js option for the workers (repeatable),
 *                      e.g. --worker-node-option=--cpu-prof
 *   --plan-only        only plan: the subscriber digests of one pass, decided by
 *                      --planners processes that split the subscriptions by id
 *                      range; prints the time and each planner's peak RSS
 *   --planners <n>     planner processes for --plan-only (1)
 *
 * Uses DATABASE_URL's server when set (in a database of its own, dropped at
 * the end), an embedded PostgreSQL in a temporary directory otherwise; the
 * queue is on REDIS_URL when set (under a queue prefix of its own, removed at
 * the end), on BullMQ's PostgreSQL backend otherwise.
 */

const { values: args } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '100000' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string' },
    'worker-env': { type: 'string', multiple: true, default: [] },
    'worker-node-option': { type: 'string', multiple: true, default: [] },
    'plan-only': { type: 'boolean', default: false },
    planners: { type: 'string', default: '1' },
  },
});
const plannerCount = positive(args.planners, 'planners');
const subscribers = positive(args.subscribers, 'subscribers');
const workerCount = positive(args.workers, 'workers');
const workerEnv = Object.fromEntries(
  args['worker-env'].map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--worker-env takes KEY=VALUE, got ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
if (args.concurrency !== undefined) {
  workerEnv.MAIL_CONCURRENCY = String(positive(args.concurrency, 'concurrency'));
}

const dist = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const seconds = (ms: number) => (ms / 1000).toFixed(1);

interface ProcessStats {
  /** Peak resident memory (VmHWM), MB. */
  peakMb?: number;
  /** User + system CPU milliseconds spent in the measured phase. */
  cpuMs?: number;
}

interface PhaseResult {
  name: string;
  emails: number;
  ms: number;
  bytes: number;
  processes: ProcessStats[];
  /** CPU milliseconds the SMTP sink spent in the phase. */
  sinkCpuMs?: number;
  /** CPU milliseconds PostgreSQL spent serving the phase's connections (local servers only). */
  databaseCpuMs?: number;
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), 'rizom-bench-'));
  onCleanUp(() => rm(workDir, { recursive: true, force: true }));
  const database = await benchDatabase(workDir);
  onCleanUp(() => database.drop());

  const sink = await startSink();
  const env = {
    DATABASE_URL: database.url,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    SMTP_URL: sink.url,
    JWT_SECRET: randomBytes(32).toString('hex'),
    QUEUE_PREFIX: `bench_${randomBytes(4).toString('hex')}`,
    DATA_DIR: workDir,
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'info',
    // One planning pass, and no re-queueing of rows the bench is still sending.
    DIGEST_PLAN_EVERY_MINUTES: '1440',
    DIGEST_REQUEUE_AFTER_MINUTES: '1440',
    ...workerEnv,
  };
  const config: RuntimeConfig = {
    ...loadConfig(env),
    databaseUrl: env.DATABASE_URL,
    jwtSecret: env.JWT_SECRET,
  };
  const concurrency = config.mail.concurrency;
  const backend = queueBackend(config);

  log('migrating');
  await migrateDatabase(database.url);
  const at = new Date(Math.floor(Date.now() / 1000) * 1000);
  let started = performance.now();
  await seedDigestScene(database.url, at, subscribers);
  const seedMs = performance.now() - started;
  log(`seeded ${subscribers} subscriptions in ${seconds(seedMs)} s`);

  if (args['plan-only']) {
    await planOnly(env, config, at, seedMs, database.description);
    return;
  }

  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(config, { parts: { api: false, workers: false } }),
    { logger: new PinoNestLogger(pino({ level: 'warn' }, pino.destination(2))) },
  );
  onCleanUp(() => app.close());
  const mailQueue = app.get<Queue>(getQueueToken(MAIL_QUEUE), { strict: false });
  const digestsQueue = app.get<Queue>(getQueueToken(DIGESTS_QUEUE), { strict: false });
  if (backend === 'redis') {
    onCleanUp(async () => {
      await mailQueue.obliterate({ force: true });
      await digestsQueue.obliterate({ force: true });
    });
  }

  log(`planning at ${at.toISOString()}`);
  started = performance.now();
  const plan = await app.get(DigestPlanner).plan(at);
  const planMs = performance.now() - started;
  if (plan.created !== subscribers) {
    throw new Error(`planning decided ${plan.created} digests, expected ${subscribers}`);
  }
  log(`planned ${plan.created} digests in ${seconds(planMs)} s`);
  await mailQueue.pause();
  const sample = await sampleDigest(app);

  const digest = await runWorkers(env, mailQueue, digestsQueue, sink);
  const plain = await runPlainSenders(config, sample, sink, concurrency);

  report({ backend, concurrency, database: database.description, planMs, seedMs }, [digest, plain]);
}

/**
 * One planning pass of the subscriber digests, split by id range across
 * planner processes started together; checks that every subscription got
 * its one digest.
 */
async function planOnly(
  env: Record<string, string>,
  config: RuntimeConfig,
  at: Date,
  seedMs: number,
  databaseDescription: string,
): Promise<void> {
  const backend = queueBackend(config);
  const ranges = splitIdRange(plannerCount);
  log(`planning at ${at.toISOString()} in ${plannerCount} planner process(es)`);
  const planners = await Promise.all(
    ranges.map(async (range) => {
      const child = fork(dist('./planner-process.js'), [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      track(child);
      const task: PlannerTask = { env, at: at.toISOString(), range };
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) => reject(new Error(`a planner exited (${code})`)));
        child.send(task);
      });
      return child;
    }),
  );
  const readyMb = await Promise.all(planners.map((child) => peakMemory(child.pid!)));
  const started = performance.now();
  const results = await Promise.all(
    planners.map(
      (child) =>
        new Promise<PlannerResult>((resolve) => {
          child.once('message', (result: PlannerResult) => resolve(result));
          child.send('go');
        }),
    ),
  );
  const planMs = performance.now() - started;
  const peakMb = await Promise.all(planners.map((child) => peakMemory(child.pid!)));
  const created = results.reduce((sum, result) => sum + result.created, 0);
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  const {
    rows: [ledger],
  } = await client
    .query<{ digests: number; subscriptions: number }>(
      `SELECT count(*)::int AS digests, count(DISTINCT subscription_id)::int AS subscriptions
         FROM deliveries WHERE kind = 'DIGEST'`,
    )
    .finally(() => client.end());
  if (
    created !== subscribers ||
    ledger!.digests !== subscribers ||
    ledger!.subscriptions !== subscribers
  ) {
    throw new Error(
      `planning decided ${created} digests (ledger: ${ledger!.digests} for ${ledger!.subscriptions} subscriptions), expected ${subscribers}`,
    );
  }
  if (backend === 'redis') {
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot(config, { parts: { api: false, workers: false } }),
      { logger: new PinoNestLogger(pino({ level: 'warn' }, pino.destination(2))) },
    );
    await app.get<Queue>(getQueueToken(MAIL_QUEUE), { strict: false }).obliterate({ force: true });
    await app.close();
  }
  const out = [
    `${subscribers} subscriptions; queue backend: ${backend === 'redis' ? 'Redis' : 'PostgreSQL'}; ${databaseDescription}`,
    `seeding:  ${seconds(seedMs)} s`,
    `planning: ${seconds(planMs)} s (${Math.round((subscribers * 1000) / planMs)} subscriptions/s), ${plannerCount} planner process(es); ledger rows written and send jobs queued  ${planMs < 60_000 ? 'under' : 'OVER'} the 60 s aim`,
    ...results.map(
      (result, i) =>
        `  planner ${i + 1} (ids ${ranges[i]!.after ?? 'start'} .. ${ranges[i]!.upTo ?? 'end'}): ${result.created} digests in ${seconds(result.ms)} s, peak RSS ${peakMb[i]?.toFixed(0) ?? '-'} MB (${readyMb[i]?.toFixed(0) ?? '-'} MB before planning)`,
    ),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** One planned digest, composed as a worker would: the baseline sends this. */
async function sampleDigest(app: INestApplicationContext): Promise<ComposedMail> {
  const delivery = await app
    .get(DataSource)
    .getRepository(DeliveryEntity)
    .findOneByOrFail({ kind: DeliveryKind.DIGEST });
  const composed = await app.get(MailComposers).get(DeliveryKind.DIGEST).compose(delivery);
  if (!composed)
    throw new Error('the sample digest is empty: the seed put no events in its window');
  return composed;
}

interface Sink {
  url: string;
  pid: number;
  count(): Promise<SinkCount>;
}

async function startSink(): Promise<Sink> {
  const child = fork(dist('./smtp-sink.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${code})`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    pid: child.pid!,
    count: () =>
      new Promise((resolve) => {
        child.once('message', (message: SinkCount) => resolve(message));
        child.send('count');
      }),
  };
}

async function runWorkers(
  env: Record<string, string>,
  mailQueue: Queue,
  digestsQueue: Queue,
  sink: Sink,
): Promise<PhaseResult> {
  log(`starting ${workerCount} worker processes`);
  const workers = await Promise.all(
    Array.from({ length: workerCount }, (_, index) => startWorker(index, env)),
  );
  // Each worker schedules the planner, which runs once at start: let that
  // pass (it finds nothing due) finish before the clock starts.
  await waitFor(async () => {
    const counts = await digestsQueue.getJobCounts('completed', 'failed');
    return (counts.completed ?? 0) + (counts.failed ?? 0) > 0;
  }, 120_000);

  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    const sinkBefore = await sink.count();
    const sinkCpuBefore = await cpuTime(sink.pid);
    const databaseCpuBefore = await backendCpu(client);
    const cpuBefore = await Promise.all(workers.map((pid) => cpuTime(pid)));
    const ready = await Promise.all(workers.map((pid) => peakMemory(pid)));
    log(`workers ready, peak RSS so far ${ready.map((mb) => mb?.toFixed(0)).join(' / ')} MB`);
    const startedAt = Date.now();
    await mailQueue.resume();
    log(`sending ${subscribers} digests`);
    let last = { sent: 0, at: startedAt };
    let progress = { sent: 0, at: startedAt };
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const {
        rows: [row],
      } = await client.query<{ pending: number; sent: number; other: number }>(
        `SELECT count(*) FILTER (WHERE state = 'PENDING')::int AS pending,
                count(*) FILTER (WHERE state = 'SENT')::int AS sent,
                count(*) FILTER (WHERE state NOT IN ('PENDING', 'SENT'))::int AS other
           FROM deliveries WHERE kind = 'DIGEST'`,
      );
      const now = Date.now();
      if (row!.other > 0) throw new Error(`${row!.other} digests were skipped or failed`);
      if (row!.sent > progress.sent) progress = { sent: row!.sent, at: now };
      if (now - progress.at > 60_000) throw new Error('no digest was sent for 60 s');
      if (now - last.at >= 5_000) {
        const rss = await Promise.all(workers.map((pid) => memory(pid, 'VmRSS')));
        log(
          `${row!.sent} sent, ${Math.round(((row!.sent - last.sent) * 1000) / (now - last.at))}/s, worker RSS ${rss.map((mb) => mb?.toFixed(0)).join(' / ')} MB`,
        );
        last = { sent: row!.sent, at: now };
      }
      if (row!.pending === 0) break;
    }
    const {
      rows: [{ finished }],
    } = await client.query<{ finished: Date }>(
      `SELECT max(sent_at) AS finished FROM deliveries WHERE kind = 'DIGEST'`,
    );
    const cpuAfter = await Promise.all(workers.map((pid) => cpuTime(pid)));
    const databaseCpuAfter = await backendCpu(client);
    const processes = await Promise.all(
      workers.map(async (pid, i) => ({
        peakMb: await peakMemory(pid),
        cpuMs: difference(cpuBefore[i], cpuAfter[i]),
      })),
    );
    const sinkAfter = await sink.count();
    const sinkCpuAfter = await cpuTime(sink.pid);
    if (sinkAfter.messages - sinkBefore.messages !== subscribers) {
      throw new Error(
        `the sink received ${sinkAfter.messages - sinkBefore.messages} messages, expected ${subscribers}`,
      );
    }
    return {
      name: `digest (${workerCount} worker${workerCount === 1 ? '' : 's'})`,
      emails: subscribers,
      ms: finished.getTime() - startedAt,
      bytes: sinkAfter.bytes - sinkBefore.bytes,
      processes,
      sinkCpuMs: difference(sinkCpuBefore, sinkCpuAfter),
      databaseCpuMs: databaseCpu(databaseCpuBefore, databaseCpuAfter),
    };
  } finally {
    await client.end();
    await Promise.all(workerStops.splice(0).map((stop) => stop()));
  }
}

const workerStops: (() => Promise<void>)[] = [];

/** Starts `dist/src/worker.js`; resolves with its pid once it logs that it runs. */
function startWorker(index: number, env: Record<string, string>): Promise<number> {
  const child = spawn(process.execPath, [...args['worker-node-option'], dist('../src/worker.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = track(child);
  workerStops.push(stop);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { level?: number; msg?: string };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        entry = { level: 40, msg: line };
      }
      if (entry.msg?.startsWith('worker running')) resolve(child.pid!);
      if ((entry.level ?? 0) >= 40) log(`worker ${index}: ${entry.msg}`);
    });
    child.once('exit', (code) => reject(new Error(`worker ${index} exited (${code})`)));
  });
}

async function runPlainSenders(
  config: RuntimeConfig,
  message: ComposedMail,
  sink: Sink,
  concurrency: number,
): Promise<PhaseResult> {
  log(`plain nodemailer: ${workerCount} processes × ${concurrency} in flight`);
  const senders = await Promise.all(
    Array.from({ length: workerCount }, async (_, index) => {
      const child = fork(dist('./plain-sender.js'), [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      track(child);
      const firstIndex = Math.floor((subscribers * index) / workerCount);
      const task: SenderTask = {
        smtpUrl: sink.url,
        from: config.mailFrom,
        message,
        firstIndex,
        count: Math.floor((subscribers * (index + 1)) / workerCount) - firstIndex,
        concurrency,
      };
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) => reject(new Error(`a plain sender exited (${code})`)));
        child.send(task);
      });
      return child;
    }),
  );
  const sinkBefore = await sink.count();
  const sinkCpuBefore = await cpuTime(sink.pid);
  const cpuBefore = await Promise.all(senders.map((child) => cpuTime(child.pid!)));
  const startedAt = performance.now();
  const results = await Promise.all(
    senders.map(
      (child) =>
        new Promise<SenderResult>((resolve) => {
          child.once('message', (result: SenderResult) => resolve(result));
          child.send('go');
        }),
    ),
  );
  const ms = performance.now() - startedAt;
  const cpuAfter = await Promise.all(senders.map((child) => cpuTime(child.pid!)));
  const processes = await Promise.all(
    senders.map(async (child, i) => ({
      peakMb: await peakMemory(child.pid!),
      cpuMs: difference(cpuBefore[i], cpuAfter[i]),
    })),
  );
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  if (failed > 0) {
    throw new Error(`plain nodemailer failed ${failed} messages: ${results[0]?.firstError}`);
  }
  const sinkAfter = await sink.count();
  return {
    name: 'plain nodemailer',
    emails: sinkAfter.messages - sinkBefore.messages,
    ms,
    bytes: sinkAfter.bytes - sinkBefore.bytes,
    processes,
    sinkCpuMs: difference(sinkCpuBefore, await cpuTime(sink.pid)),
  };
}

function report(
  run: { backend: string; concurrency: number; database: string; planMs: number; seedMs: number },
  phases: PhaseResult[],
): void {
  const rows = phases.map((phase) => [
    phase.name,
    String(phase.emails),
    seconds(phase.ms),
    String(Math.round((phase.emails * 1000) / phase.ms)),
    phase.processes.map((p) => (p.peakMb === undefined ? '-' : p.peakMb.toFixed(0))).join(' / '),
    cpuPerEmail(phase),
    phase.databaseCpuMs === undefined ? '-' : (phase.databaseCpuMs / phase.emails).toFixed(2),
    phase.sinkCpuMs === undefined ? '-' : (phase.sinkCpuMs / phase.emails).toFixed(2),
    (phase.bytes / phase.emails / 1024).toFixed(1),
  ]);
  const header = [
    'path',
    'emails',
    'seconds',
    'emails/s',
    'peak RSS MB',
    'cpu ms/email',
    'db cpu ms/email',
    'sink cpu ms/email',
    'KB/email',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  const [digest, plain] = phases.map((phase) => phase.emails / phase.ms);
  const ratio = digest! / plain!;
  const peak = Math.max(...phases[0]!.processes.map((p) => p.peakMb ?? 0));
  const out = [
    `${subscribers} subscriptions; queue backend: ${run.backend === 'redis' ? 'Redis' : 'PostgreSQL'}; ${run.database}`,
    `${workerCount} processes per path, ${run.concurrency} messages in flight each`,
    `seeding:  ${seconds(run.seedMs)} s`,
    `planning: ${seconds(run.planMs)} s (${Math.round((subscribers * 1000) / run.planMs)} subscriptions/s)  ${run.planMs < 10_000 ? 'under' : 'OVER'} the 10 s aim`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `ratio digest/plain: ${ratio.toFixed(2)}  ${ratio >= 0.5 ? 'meets' : 'BELOW'} the 0.5 aim`,
    `peak worker RSS: ${peak.toFixed(0)} MB  ${peak < 400 ? 'under' : 'OVER'} the 400 MB aim`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

function cpuPerEmail(phase: PhaseResult): string {
  if (phase.processes.some((p) => p.cpuMs === undefined)) return '-';
  const total = phase.processes.reduce((sum, p) => sum + p.cpuMs!, 0);
  return (total / phase.emails).toFixed(2);
}

/**
 * CPU milliseconds of each server process serving this database, by pid, but
 * this connection's: undefined unless the server runs on this machine.
 */
async function backendCpu(client: pg.Client): Promise<Map<number, number> | undefined> {
  const { rows } = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
  );
  const times = new Map<number, number>();
  for (const { pid } of rows) {
    const time = await cpuTime(pid);
    if (time === undefined) return undefined;
    times.set(pid, time);
  }
  return times;
}

function databaseCpu(
  before: Map<number, number> | undefined,
  after: Map<number, number> | undefined,
): number | undefined {
  if (!before || !after) return undefined;
  let total = 0;
  for (const [pid, time] of after) total += time - (before.get(pid) ?? 0);
  return total;
}

/** The process's peak resident set (VmHWM) in MB; undefined off Linux. */
function peakMemory(pid: number): Promise<number | undefined> {
  return memory(pid, 'VmHWM');
}

/** A memory figure of the process (VmRSS: now, VmHWM: peak) in MB, from /proc (Linux). */
async function memory(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

function difference(before: number | undefined, after: number | undefined): number | undefined {
  return before === undefined || after === undefined ? undefined : after - before;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

await runBench(main);
