import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is unset: run the tests with npm test.');
  return url;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of its own (a copy of the template npm test built). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rizom_test_${randomBytes(6).toString('hex')}`;
  const template = process.env.TEST_TEMPLATE_DATABASE!;
  await admin(async (client) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await client.query(
          `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`,
        );
        return;
      } catch (error) {
        // Two suites copying the template at the same instant: try again.
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      admin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      }),
  };
}

/** What a migration suite queries its database with. */
export interface MigrationClient {
  query<R extends pg.QueryResultRow = any>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/**
 * For a migration's own suite: a fresh database for the suite (made before
 * it, dropped after), a client on it, and `runner()`, what the migration's
 * `up` and `down` take as their query runner.
 */
export function migrationDatabase(): { client: MigrationClient; runner: () => never } {
  let database: TestDatabase;
  let connected: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    connected = new pg.Client({ connectionString: database.url });
    await connected.connect();
  });
  afterAll(async () => {
    await connected.end();
    await database.drop();
  });
  const client: MigrationClient = {
    query: (text, values) => connected.query(text, values),
  };
  return { client, runner: () => ({ query: (sql: string) => connected.query(sql) }) as never };
}
