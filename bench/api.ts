import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import pg from 'pg';
import { API_NODE_OPTIONS } from '../src/config/node-options.js';
import { migrateDatabase } from '../src/database/migrate.js';
import { transaction, type Replay } from './baseline-server.js';
import type { CapturedStatement } from './capture-statements.js';
import { benchDatabase, cpuTime, log, onCleanUp, positive, runBench, track } from './support.js';

/*
 * npm run bench:api: the app against a bare node:http + pg baseline, each in
 * its own process, loaded in turn by autocannon from this one. The baseline
 * replays the very statements the app ran for one request of the same kind
 * (captured from a first app process through bench/capture-statements.ts) and
 * answers the app's answer (bench/baseline-server.ts). The app runs as
 * production does (NODE_ENV=production, ROLE=api, LOG_LEVEL=warn, the Node.js
 * options of `npm run start:api`: src/config/node-options.ts) with its
 * rate limits on but raised past what the load reaches (RATE_RESPONSE_INTERVAL_SECONDS=1,
 * RATE_RESPONSES_PER_HOUR=1000000; writes rotate over 2,000 readers, so each
 * posts every few seconds). Requests are signed in with a demo reader's
 * session token, so the anonymous read cache never answers them. The table
 * gives requests/s, p50 and p99 latency over every response, and the CPU time
 * each server process spent per request (read from /proc; a steadier figure
 * than requests/s on a busy machine).
 *
 *   --page <name>      default: a prompt's 50 newest responses, their writers'
 *                      names and reply counts; widget: the Conversation query
 *                      the browser sends (web/conversation/documents.ts) for an
 *                      essay whose newest responses have 5 replies each (default)
 *   --write            `respond` through GraphQL (validation, limits, moderation,
 *                      event, transaction) against the same transaction replayed
 *   --anonymous        send no session token (the anonymous read cache answers)
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
interface Request {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  requests: [Request & { setupRequest: (request: Request) => Request }];
}) => Run;

const DEFAULT_PAGE = `query($id: ID!) { prompt(id: $id) { responses(first: 50) { edges { node { author { displayName } replyCount } } } } }`;
const RESPOND = `mutation($input: RespondInput!) { respond(input: $input) { id body bodyHtml createdAt visibility moderationState replyCount author { id displayName } } }`;
/** Readers the write benchmark rotates over, so no one writer meets the burst limit. */
const WRITERS = 2000;
const REPLIES_PER_RESPONSE = 5;

const { values: args } = parseArgs({
  options: {
    page: { type: 'string', default: 'default' },
    write: { type: 'boolean', default: false },
    anonymous: { type: 'boolean', default: false },
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
if (args.page !== 'default' && args.page !== 'widget') {
  throw new Error(`--page must be default or widget, got ${args.page}`);
}
if (args.write && args.anonymous) throw new Error('--write needs a signed-in writer');
const page = args.page;
const appEnv = Object.fromEntries(
  args['app-env'].map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--app-env takes KEY=VALUE, got ${pair}`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);

const dist = (path: string) => fileURLToPath(new URL(path, import.meta.url));
/** A file of the checkout (this script runs from dist/bench/). */
const source = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

interface Server {
  name: string;
  url: string;
  pid: number;
  stop: () => Promise<void>;
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

/** Makes each request's body and headers: one fixed read, or a new response by the next writer. */
type RequestMaker = () => { body: string; authorization?: string };

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
    [
      dist('../src/cli.js'),
      'demo',
      '--responses',
      String(responses),
      '--readers',
      String(args.write ? WRITERS : 10),
    ],
    env,
  );
  const promptId = /^prompt\s+(\S+)/m.exec(seeded)?.[1];
  const essaySlug = /^essay\s+(\S+)/m.exec(seeded)?.[1];
  if (!promptId || !essaySlug) throw new Error(`the demo printed no prompt or essay:\n${seeded}`);
  const tokens = await readerTokens(database.url, jwtSecret);
  if (page === 'widget' && !args.write) await addReplies(database.url, promptId);

  const makeRequest = await requestMaker({ promptId, essaySlug, tokens });
  const appConfig = {
    ...env,
    NODE_ENV: 'production',
    ROLE: 'api',
    HOST: '127.0.0.1',
    RATE_LIMITS: 'on',
    RATE_RESPONSE_INTERVAL_SECONDS: '1',
    RATE_RESPONSES_PER_HOUR: '1000000',
    ...appEnv,
  };

  log('capturing the statements of one request');
  const replayFile = join(workDir, 'replay.json');
  const captured = await capture(appConfig, makeRequest, join(workDir, 'statements.jsonl'));
  await writeFile(replayFile, JSON.stringify(captured));
  const t0 = captured.statements[0]!.startedAt;
  for (const s of captured.statements) {
    const at = `${(s.startedAt - t0).toFixed(1)}-${(s.endedAt - t0).toFixed(1)} ms`;
    log(`  ${at.padEnd(16)} ${s.text.replace(/\s+/g, ' ').slice(0, 110)}`);
  }
  const baseline = await startBaseline({ ...env, BENCH_REPLAY_FILE: replayFile });
  const app = await startApp({ ...appConfig, PORT: String(await freePort()) });

  const fromApp = await post(app.url, makeRequest());
  const fromBaseline = await post(baseline.url, makeRequest());
  if (!args.write && JSON.stringify(fromApp) !== JSON.stringify(fromBaseline)) {
    throw new Error(
      `the app and the baseline answer differently:\n${JSON.stringify(fromApp).slice(0, 400)}\n${JSON.stringify(fromBaseline).slice(0, 400)}`,
    );
  }
  const replayed = args.write
    ? `the ${transaction(captured.statements).statements.length} statements of the app's transaction (of ${captured.statements.length} it ran)`
    : `the app's ${captured.statements.length} statements`;
  log(`${describe()}: the baseline replays ${replayed}; loading each for ${duration} s`);

  const servers = [baseline, app];
  for (const server of servers) if (warmup > 0) await load(server.url, makeRequest, warmup);
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
      const result = await load(server.url, makeRequest, seconds, into.latencies);
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
  report(measured, replayed);
}

function describe(): string {
  if (args.write) return 'respond (writes)';
  return `${page} page, ${args.anonymous ? 'anonymous' : 'signed in'}`;
}

/** Session tokens of the demo's readers, as the app issues them. */
async function readerTokens(url: string, secret: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; session_version: number }>(
      `SELECT id, session_version FROM users WHERE role = 'READER' ORDER BY email`,
    );
    const key = new TextEncoder().encode(secret);
    const now = Math.floor(Date.now() / 1000);
    return await Promise.all(
      rows.map((row) =>
        new SignJWT({ sv: row.session_version })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(row.id)
          .setIssuer('rizom-conversations')
          .setIssuedAt(now)
          .setExpirationTime(now + 86_400)
          .sign(key),
      ),
    );
  } finally {
    await client.end();
  }
}

/** Gives the newest 50 public responses of the prompt 5 public replies each, by readers. */
async function addReplies(url: string, promptId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO responses (prompt_id, essay_id, author_id, parent_id, root_id, thread_owner_id,
         depth, body_markdown, body_html, visibility, created_at)
       SELECT r.prompt_id, r.essay_id, readers.id, r.id, r.root_id, r.thread_owner_id, 2,
         'A reply, number ' || n || '.', '<p>A reply, number ' || n || '.</p>', 'PUBLIC',
         r.created_at + n * interval '1 second'
       FROM (SELECT * FROM responses WHERE prompt_id = $1 AND parent_id IS NULL
               AND visibility = 'PUBLIC' ORDER BY created_at DESC LIMIT 50) r
       CROSS JOIN generate_series(1, $2::int) n
       CROSS JOIN LATERAL (SELECT id FROM users WHERE role = 'READER'
               ORDER BY email OFFSET (n % 10) LIMIT 1) readers`,
      [promptId, REPLIES_PER_RESPONSE],
    );
  } finally {
    await client.end();
  }
}

async function requestMaker(seed: {
  promptId: string;
  essaySlug: string;
  tokens: string[];
}): Promise<RequestMaker> {
  const reader = args.anonymous ? undefined : `Bearer ${seed.tokens[0]!}`;
  if (args.write) {
    let next = 0;
    return () => {
      next += 1;
      const body = `A benchmark response, number ${next}, from ${process.pid}: we would **love** feedback.`;
      return {
        authorization: `Bearer ${seed.tokens[next % seed.tokens.length]!}`,
        body: JSON.stringify({
          query: RESPOND,
          variables: { input: { promptId: seed.promptId, body } },
        }),
      };
    };
  }
  const body =
    page === 'widget'
      ? JSON.stringify({ query: await conversationQuery(), variables: { slug: seed.essaySlug } })
      : JSON.stringify({ query: DEFAULT_PAGE, variables: { id: seed.promptId } });
  return () => ({ body, authorization: reader });
}

/** The Conversation query exactly as web/conversation/documents.ts builds it. */
async function conversationQuery(): Promise<string> {
  const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
  const code = ts.transpileModule(await readFile(source('web/conversation/documents.ts'), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const documents = (await import(
    `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`
  )) as { conversationQuery: string };
  return documents.conversationQuery;
}

/**
 * Starts the app with the statement capture loaded, sends two requests (the
 * first warms it) and answers what the app ran for the second, and its answer.
 */
async function capture(
  appConfig: Record<string, string>,
  makeRequest: RequestMaker,
  file: string,
): Promise<Replay> {
  await writeFile(file, '');
  const app = await startApp(
    {
      ...appConfig,
      PORT: String(await freePort()),
      BENCH_CAPTURE_FILE: file,
      // An anonymous read is captured as the cache would run it on a miss.
      ANONYMOUS_CACHE_TTL_MS: '0',
    },
    [`--import=${dist('./capture-statements.js')}`],
  );
  await post(app.url, makeRequest());
  // Whatever the first request set off (a write's after-commit work) ends first.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const from = (await readFile(file, 'utf8')).length;
  const answer = await post(app.url, makeRequest());
  await new Promise((resolve) => setTimeout(resolve, 500));
  const statements = (await readFile(file, 'utf8'))
    .slice(from)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CapturedStatement);
  await app.stop();
  if (statements.length === 0) throw new Error('the app ran no statement for the request');
  return { kind: args.write ? 'write' : 'read', statements, answer };
}

async function startBaseline(env: Record<string, string>): Promise<Server> {
  const child = fork(dist('./baseline-server.js'), [], { env, stdio: 'inherit' });
  const stop = track(child);
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`the baseline server exited (${code})`)));
  });
  return { name: 'baseline', url: `http://127.0.0.1:${port}/graphql`, pid: child.pid!, stop };
}

async function startApp(env: Record<string, string>, nodeOptions: string[] = []): Promise<Server> {
  const child = spawn(
    process.execPath,
    [...API_NODE_OPTIONS, ...args['app-node-option'], ...nodeOptions, dist('../src/main.js')],
    { env, stdio: ['ignore', 2, 2] },
  );
  const stop = track(child);
  const url = `http://127.0.0.1:${env.PORT}/graphql`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode})`);
    try {
      const response = await fetch(url.replace(/\/graphql$/, '/health'));
      if (response.ok) return { name: 'app', url, pid: child.pid!, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the app did not start within 180 s');
}

async function post(url: string, request: ReturnType<RequestMaker>): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: headers(request),
    body: request.body,
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
  makeRequest: RequestMaker,
  seconds: number,
  latencies: number[] = [],
): Promise<Result> {
  const first = makeRequest();
  const run = autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: headers(first),
        body: first.body,
        setupRequest: (request) => {
          if (!args.write) return request;
          const next = makeRequest();
          return { ...request, headers: headers(next), body: next.body };
        },
      },
    ],
  });
  run.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  return await run;
}

function headers(request: ReturnType<RequestMaker>): Record<string, string> {
  return {
    'content-type': 'application/json',
    ...(request.authorization ? { authorization: request.authorization } : {}),
  };
}

function report(measured: Measured[], replayed: string): void {
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
    `${describe()}: ${responses} responses, ${connections} connections, ${duration} s per server in ${rounds} alternating rounds (after ${warmup} s warm-up); the baseline replays ${replayed}`,
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
