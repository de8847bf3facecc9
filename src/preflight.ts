import { Redis } from 'ioredis';
import { createServer } from 'node:net';
import pg from 'pg';
import type { AppConfig } from './config/config.js';
import { StartupError } from './config/startup-error.js';

/** How long start-up waits for PostgreSQL or Redis to answer before it gives up. */
export const PREFLIGHT_TIMEOUT_MS = 10_000;

/**
 * Before anything else starts (migrations, queues, workers, all of which would
 * retry forever), checks that the services the environment names answer, and
 * turns what went wrong into one line naming the variable.
 */
export async function checkServices(config: Pick<AppConfig, 'databaseUrl' | 'redisUrl'>) {
  await Promise.all([
    config.databaseUrl ? checkDatabase(config.databaseUrl) : undefined,
    config.redisUrl ? checkRedis(config.redisUrl) : undefined,
  ]);
}

/** Whether this process could listen on HOST:PORT; checked before anything starts. */
export async function checkPort(config: Pick<AppConfig, 'host' | 'port'>): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: config.port, host: config.host, exclusive: true }, resolve);
    });
  } catch (error) {
    throw listenError(error as NodeJS.ErrnoException, config);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** What a failure to listen means, naming the variable; the error itself when it is something else. */
export function listenError(
  error: NodeJS.ErrnoException,
  { host, port }: Pick<AppConfig, 'host' | 'port'>,
): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new StartupError(
        `PORT: ${port} is already in use on ${host} (is the app already running?); stop that process or set PORT to a free port`,
      );
    case 'EACCES':
      return new StartupError(`PORT: not allowed to listen on ${port}; use a port above 1023`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupError(`HOST: ${host} is not an address of this machine`);
    default:
      return error;
  }
}

async function checkDatabase(url: string): Promise<void> {
  const { hostname, port, pathname, username } = new URL(url);
  const where = `${hostname}:${port || 5432}`;
  const database = decodeURIComponent(pathname.slice(1)) || username;
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: PREFLIGHT_TIMEOUT_MS,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const problem =
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `the host "${hostname}" was not found`
        : code === 'ECONNREFUSED'
          ? `nothing accepts connections at ${where} (is PostgreSQL running?)`
          : code === '3D000'
            ? `the database "${database}" does not exist on ${where} (create it, or fix the name)`
            : code === '28000' || code === '28P01'
              ? `PostgreSQL at ${where} refused the role "${decodeURIComponent(username)}": ${message}`
              : /timeout/i.test(message)
                ? `${where} did not answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s`
                : `PostgreSQL at ${where}: ${message}`;
    throw new StartupError(`DATABASE_URL: ${problem}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  const where = `${hostname}:${port || 6379}`;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PREFLIGHT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() rejects with "Connection is closed."; the cause comes as an event.
  let cause: NodeJS.ErrnoException | undefined;
  redis.on('error', (error: NodeJS.ErrnoException) => (cause ??= error));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    const { code, message } = cause ?? (error as NodeJS.ErrnoException);
    const problem =
      code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `the host "${hostname}" was not found`
        : code === 'ECONNREFUSED'
          ? `nothing accepts connections at ${where} (is Redis running?)`
          : /ETIMEDOUT|timeout/i.test(`${code} ${message}`)
            ? `${where} did not answer within ${PREFLIGHT_TIMEOUT_MS / 1000} s`
            : `Redis at ${where}: ${message}`;
    throw new StartupError(`REDIS_URL: ${problem}`);
  } finally {
    redis.disconnect();
  }
}
