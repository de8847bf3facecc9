import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';

/*
 * What the benchmark scripts share: logging, argument checks, CPU time from
 * /proc, a database of their own, and clean-up of what they started.
 */

/** USER_HZ: the unit of /proc/<pid>/stat times; 100 on Linux everywhere that matters. */
const CLOCK_TICKS = 100;

export const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

export function positive(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`--${name} must be a whole number above 0`);
  return number;
}

/** User + system CPU time of a process in milliseconds, from /proc (Linux); undefined elsewhere. */
export async function cpuTime(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

export interface BenchDatabase {
  url: string;
  description: string;
  drop(): Promise<void>;
}

/**
 * A database of the benchmark's own: on DATABASE_URL's server when set
 * (dropped at the end), else an embedded PostgreSQL under `workDir`.
 */
export async function benchDatabase(workDir: string): Promise<BenchDatabase> {
  const name = `rizom_bench_${randomBytes(4).toString('hex')}`;
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      description: `PostgreSQL at ${url.host} (DATABASE_URL)`,
      drop: () => admin(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
    };
  }
  log('no DATABASE_URL: starting an embedded PostgreSQL');
  const embedded = await startEmbeddedPostgres({
    dataDir: workDir,
    password: randomBytes(16).toString('hex'),
    database: name,
  });
  return { url: embedded.url, description: 'embedded PostgreSQL', drop: () => embedded.stop() };
}

const cleanups: (() => Promise<unknown>)[] = [];

/** Runs `cleanup` when the benchmark ends, after those registered later. */
export function onCleanUp(cleanup: () => Promise<unknown>): void {
  cleanups.push(cleanup);
}

/** Stops the child at clean-up (or earlier, through the returned function). */
export function track(child: ChildProcess): () => Promise<void> {
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  onCleanUp(stop);
  return stop;
}

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error: unknown) => log(`cleaning up: ${String(error)}`));
  }
}

/** Runs the benchmark, then cleans up, also on failure or Ctrl-C; a failure sets the exit code. */
export async function runBench(main: () => Promise<void>): Promise<void> {
  process.once('SIGINT', () => void cleanUp().then(() => process.exit(130)));
  try {
    await main();
  } catch (error) {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}
