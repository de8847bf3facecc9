import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrateDatabase } from '../src/database/migrate.js';
import { benchDatabase, cpuTime, log, onCleanUp, positive, runBench, track } from './support.js';

/*
 * npm run bench:api: the app against a plain node:http + pg baseline on the
 * same page (a prompt's 50 newest responses, their writers' names and reply
 * counts), each in its own process, loaded in turn by autocannon from this one.
 * The app runs as production does (NODE_ENV=production, ROLE=api,
 * LOG_LEVEL=warn), with rate limits off; its anonymous read cache is on unless
 * `--app-env ANONYMOUS_CACHE_TTL_MS=0`. The table gives requests/s, p50 and
 * p99 latency over every response, and the CPU time each server process spent
 * per request (read from /proc; a steadier figure than requests/s on a busy
 * machine).
 *
 *   --duration <s>     measured seconds per server (10)
 *   --rounds <n>       the measured seconds come in n turns, baseline and app
 *                      alternating, so a change in the machine's load hits both (2)
 *   --warmup <s>       unmeasured seconds per server first (5)
 *   --connections <n>  concurrent connections (20)
 *   --responses <n>    public responses the demo seeds (200)
 *   --app-env K=V      extra environment for the app (repeatable), e.g. ANONYMOUS_CACHE_TTL_MS=0
 *   --app-node-option <option>  a Node.js option for the app (repeatable), e.g. --app-node-option=--cpu-prof
 *
 * Uses DATABASE_URL's server when set (in a database of its own, dropped at
 * the end), an embedded PostgreSQL in a temporary directory otherwise.
 */

/** The part of autocannon's programmatic API used here (it ships no types). */
interface Result {
  requests: { total: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface Run extends PromiseLike<Result> {
  on(
    event: 'response',
    listener: (client: unknown, status: number, bytes: number, ms: number) => void,
  ): void;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
}) => Run;

const QUERY = `query($id: ID!) { prompt(id: $id) { responses(first: 50) { edges { node { author { displayName } replyCount } } } } }`;

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '20' },
    responses: { type: 'string', default: '200' },
    'app-env': { type: 'string', multiple: true, default: [] },
    'app-node-option': { type: 'string', multiple: true, default: [] },
  },
});
const duration = positive(args.duration, 'duration');
const warmup = Number(args.warmup);
if (!(warmup >= 0)) throw new Error('--warmup must be a number of seconds, 0 or more');
const connections = positive(args.connections, 'connections');
const rounds = positive(args.rounds, 'rounds');
const responses = positive(args.responses, 'responses');
const appEnv = Object.fromEntries(
  args['app-env'].map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--app-env takes KEY=VALUE, got ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

const dist = (path: string) => fileURLToPath(new URL(path, import.meta.url));

interface Server {
  name: string;
  url: string;
  pid: number;
}

/** What one server did over all its rounds. */
interface Measured {
  name: string;
  seconds: number;
  ok: number;
  failed: number;
  /** Every response time, in ms. */
  latencies: number[];
  /** CPU milliseconds of the server process over the rounds (Linux only). */
  cpu?: number;
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), 'rizom-bench-'));
  onCleanUp(() => rm(workDir, { recursive: true, force: true }));
  const database = await benchDatabase(workDir);
  onCleanUp(() => database.drop());

  log('migrating and seeding');
  await migrateDatabase(database.url);
  const jwtSecret = randomBytes(32).toString('hex');
  const env = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: database.url,
    JWT_SECRET: jwtSecret,
    DATA_DIR: workDir,
    LOG_LEVEL: 'warn',
    MIGRATE_ON_START: 'false',
  };
  const seeded = await run(
    process.execPath,
    [dist('../src/cli.js'), 'demo', '--responses', String(responses)],
    env,
  );
  const promptId = /^prompt\s+(\S+)/m.exec(seeded)?.[1];
  if (!promptId) throw new Error(`the demo printed no prompt id:\n${seeded}`);
  const body = JSON.stringify({ query: QUERY, variables: { id: promptId } });

  const baseline = await startBaseline(env);
  const app = await startApp({
    ...env,
    NODE_ENV: 'production',
    ROLE: 'api',
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    RATE_LIMITS: 'off',
    ...appEnv,
  });

  const [fromApp, fromBaseline] = await Promise.all([
    post(app.url, body),
    post(baseline.url, body),
  ]);
  if (JSON.stringify(fromApp) !== JSON.stringify(fromBaseline)) {
    throw new Error(
      `the app and the baseline answer differently:\n${JSON.stringify(fromApp).slice(0, 400)}\n${JSON.stringify(fromBaseline).slice(0, 400)}`,
    );
  }
  const edges = (fromApp as { data: { prompt: { responses: { edges: unknown[] } } } }).data.prompt
    .responses.edges.length;
  log(`both answer the same page (${edges} responses); loading each for ${duration} s`);

  const servers = [baseline, app];
  for (const server of servers) if (warmup > 0) await load(server.url, body, warmup);
  const measured: Measured[] = servers.map(({ name }) => ({
    name,
    seconds: 0,
    ok: 0,
    failed: 0,
    latencies: [],
    cpu: 0,
  }));
  for (let round = 0; round < rounds; round += 1) {
    for (const [i, server] of servers.entries()) {
      const into = measured[i]!;
      const seconds = duration / rounds;
      const cpuBefore = await cpuTime(server.pid);
      const result = await load(server.url, body, seconds, into.latencies);
      const cpuAfter = await cpuTime(server.pid);
      into.seconds += seconds;
      into.ok += result['2xx'];
      into.failed += result.non2xx + result.errors + result.timeouts;
      into.cpu =
        into.cpu === undefined || cpuBefore === undefined || cpuAfter === undefined
          ? undefined
          : into.cpu + cpuAfter - cpuBefore;
    }
  }
  report(measured);
}

async function startBaseline(env: Record<string, string>): Promise<Server> {
  const child = fork(dist('./baseline-server.js'), [], { env, stdio: 'inherit' });
  track(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the baseline server exited (${code})`)));
  });
  return { name: 'baseline', url: `http://127.0.0.1:${port}/graphql`, pid: child.pid! };
}

async function startApp(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [...args['app-node-option'], dist('../src/main.js')], {
    env,
    stdio: ['ignore', 2, 2],
  });
  track(child);
  const url = `http://127.0.0.1:${env.PORT}/graphql`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode})`);
    try {
      const response = await fetch(url.replace(/\/graphql$/, '/health'));
      if (response.ok) return { name: 'app', url, pid: child.pid! };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the app did not start within 60 s');
}

async function post(url: string, body: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const json: unknown = await response.json();
  if (!response.ok || (json as { errors?: unknown }).errors) {
    throw new Error(`${url} answered ${response.status}: ${JSON.stringify(json).slice(0, 400)}`);
  }
  return json;
}

/** Loads `url` for `seconds`, adding each response time to `latencies`. */
async function load(
  url: string,
  body: string,
  seconds: number,
  latencies: number[] = [],
): Promise<Result> {
  const run = autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
  });
  run.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  return await run;
}

function report(measured: Measured[]): void {
  const rate = (m: Measured) => m.ok / m.seconds;
  const rows = measured.map((m) => {
    const sorted = [...m.latencies].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return [
      m.name,
      rate(m).toFixed(0),
      at(0.5).toFixed(1),
      at(0.99).toFixed(1),
      m.cpu === undefined || m.ok === 0 ? '-' : (m.cpu / m.ok).toFixed(2),
      String(m.failed),
    ];
  });
  const header = ['server', 'req/s', 'p50 ms', 'p99 ms', 'cpu ms/req', 'failed'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  const [baseline, app] = measured.map(rate);
  const out = [
    `${responses} responses, ${connections} connections, ${duration} s per server in ${rounds} alternating rounds (after ${warmup} s warm-up)`,
    line(header),
    ...rows.map(line),
    `ratio app/baseline: ${(app! / baseline!).toFixed(2)}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  if (measured.some((m) => m.failed > 0)) process.exitCode = 1;
}

function run(command: string, argv: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${argv.join(' ')} exited with ${code}`)),
    );
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

await runBench(main);
