import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrateDatabase } from '../src/database/migrate.js';
import { benchDatabase, log, onCleanUp, positive, runBench, track } from './support.js';

/*
 * npm run bench:metrics: what a /metrics scrape costs on a long ledger.
 *
 * Seeds N delivery rows with generate_series (in statements of a million, as
 * many writers would, so the ledger's counters are kept by their triggers),
 * starts the app (`dist/src/main.js`, ROLE=api) and times sequential scrapes
 * of GET /metrics over HTTP, against a `SELECT 1` round trip from this process
 * and against the GROUP BY over the ledger a scrape used to run.
 *
 *   --deliveries <n>  ledger rows (10000000)
 *   --scrapes <n>     timed scrapes, after 5 untimed (50)
 *
 * Uses DATABASE_URL's server when set (in a database of its own, dropped at
 * the end), an embedded PostgreSQL otherwise; the app's queues are on
 * REDIS_URL when set.
 */

const { values: args } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '10000000' },
    scrapes: { type: 'string', default: '50' },
  },
});
const deliveries = positive(args.deliveries, 'deliveries');
const scrapes = positive(args.scrapes, 'scrapes');
const CHUNK = 1_000_000;
const KINDS = ['SIGN_IN', 'SUBSCRIPTION_CONFIRM', 'DIGEST', 'REPLY_NOTICE', 'AUTHOR_DIGEST'];

const dist = (path: string) => fileURLToPath(new URL(path, import.meta.url));

async function main(): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), 'rizom-bench-'));
  onCleanUp(() => rm(workDir, { recursive: true, force: true }));
  const database = await benchDatabase(workDir);
  onCleanUp(() => database.drop());
  log('migrating');
  await migrateDatabase(database.url);

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  onCleanUp(() => client.end());
  const started = performance.now();
  for (let first = 1; first <= deliveries; first += CHUNK) {
    const last = Math.min(first + CHUNK - 1, deliveries);
    // Mostly sent, some pending and failed, over every kind.
    await client.query(
      `INSERT INTO deliveries (kind, recipient, reason_key, state, attempts, sent_at, created_at, updated_at)
       SELECT ($3::text[])[1 + n % 5]::delivery_kind, 'reader' || (n % 100000) || '@bench.test', 'bench:' || n,
              (CASE WHEN n % 100 = 0 THEN 'PENDING' WHEN n % 97 = 0 THEN 'FAILED' ELSE 'SENT' END)::delivery_state,
              1, now(), now(), now()
         FROM generate_series($1::int, $2::int) n`,
      [first, last, KINDS],
    );
    log(`seeded ${last} deliveries (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await client.query('VACUUM ANALYZE deliveries');
  log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const token = randomBytes(16).toString('hex');
  const port = await freePort();
  const app = spawn(process.execPath, [dist('../src/main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: database.url,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      JWT_SECRET: randomBytes(32).toString('hex'),
      METRICS_TOKEN: token,
      QUEUE_PREFIX: `bench_${randomBytes(4).toString('hex')}`,
      DATA_DIR: workDir,
      PORT: String(port),
      ROLE: 'api',
      NODE_ENV: 'production',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 2, 2],
  });
  track(app);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, () => app.exitCode);

  const scrape = async () => {
    const response = await fetch(`${url}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
    return response.text();
  };
  for (let i = 0; i < 5; i += 1) await scrape();
  const body = await scrape();
  const counted = [...body.matchAll(/^rizom_deliveries\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
  if (counted !== deliveries) {
    throw new Error(`/metrics counts ${counted} deliveries, the ledger has ${deliveries}`);
  }
  const scrapeMs = await timed(scrapes, scrape);
  const selectOneMs = await timed(scrapes, () => client.query('SELECT 1'));
  log('timing the GROUP BY over the ledger that a scrape used to run');
  const groupByMs = await timed(3, () =>
    client.query(`SELECT kind, state, count(*)::int AS count FROM deliveries GROUP BY kind, state`),
  );

  const row = (name: string, ms: number[]) =>
    `${name.padEnd(44)} ${median(ms).toFixed(2).padStart(9)} ${percentile(ms, 0.95).toFixed(2).padStart(9)}`;
  const out = [
    `a ledger of ${deliveries} deliveries; ${database.description}`,
    '',
    `${'what'.padEnd(44)} ${'median ms'.padStart(9)} ${'p95 ms'.padStart(9)}`,
    row(`GET /metrics over HTTP (${scrapes} scrapes)`, scrapeMs),
    row(`baseline: SELECT 1 round trip (${scrapes})`, selectOneMs),
    row('before: GROUP BY over the ledger (3)', groupByMs),
    '',
    `scrape: ${median(scrapeMs).toFixed(1)} ms  ${median(scrapeMs) < 50 ? 'under' : 'OVER'} the 50 ms aim`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

async function timed(times: number, run: () => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = performance.now();
    await run();
    ms.push(performance.now() - started);
  }
  return ms;
}

function median(values: number[]): number {
  return percentile(values, 0.5);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function waitForHealth(url: string, exitCode: () => number | null): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exitCode() !== null) throw new Error(`the app exited (${exitCode()})`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the app did not start within 60 s');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

await runBench(main);
