import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { FixedClock } from '../../src/common/clock.js';
import { loadConfig } from '../../src/config/config.js';
import type { RuntimeConfig } from '../../src/config/runtime.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { freePort } from './processes.js';
import { startSmtpSink, type SmtpSink } from './smtp.js';

export interface GraphQLResult<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  url: string;
  config: RuntimeConfig;
  clock: FixedClock;
  smtp: SmtpSink;
  database: TestDatabase;
  platform: Platform;
  /** POSTs a GraphQL operation, as a client would. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResult<T>>;
  /** Like gql, but fails the test on any error and returns `data`. */
  gqlOk<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<T>;
  /** Runs SQL against the suite's own database. */
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  now?: Date;
  /** Sees every SQL statement the app runs. */
  onQuery?: (sql: string) => void;
}

/**
 * Boots the real platform (API and workers) against a database of its own,
 * the queue backend npm test chose (Redis when REDIS_URL is set), and a real
 * SMTP server in this process.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const smtp = await startSmtpSink();
  const dataDir = await mkdtemp(join(tmpdir(), 'rizom-app-'));
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    SMTP_URL: smtp.url,
    DATA_DIR: dataDir,
    // A port of its own up front, so links in emails point at this app.
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    HOST: '127.0.0.1',
    JWT_SECRET: randomBytes(32).toString('hex'),
    QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
    LOG_LEVEL: 'silent',
    MIGRATE_ON_START: 'false',
    // Suites change rows with SQL and read them back at once; the cache's own
    // suite turns it on.
    ANONYMOUS_CACHE_TTL_MS: '0',
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...options.env,
  };
  const base = loadConfig(env);
  const clock = new FixedClock(options.now ?? new Date());
  const platformConfig = { ...base, databaseUrl: base.databaseUrl!, jwtSecret: base.jwtSecret! };
  const platform = await createPlatform(platformConfig, pino({ level: 'silent' }), {
    clock,
    onQuery: options.onQuery,
    queueBoard: false,
  });
  await platform.http!.listen({ port, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const config = platformConfig;
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  // pool.end() resolves before its idle clients have hung up, and the database
  // is dropped (WITH FORCE) next: a client terminated then is no test failure.
  pool.on('error', () => undefined);

  const gql = async <T>(query: string, variables?: Record<string, unknown>, token?: string) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResult<T>;
  };

  return {
    url,
    config,
    clock,
    smtp,
    database,
    platform,
    gql,
    async gqlOk<T>(query: string, variables?: Record<string, unknown>, token?: string) {
      const result = await gql<T>(query, variables, token);
      if (result.errors?.length)
        throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data as T;
    },
    async sql<T>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as T[];
    },
    async close() {
      await platform.close();
      await pool.end();
      await smtp.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
