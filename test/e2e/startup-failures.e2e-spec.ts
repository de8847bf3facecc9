import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort, runNode, runToEnd, waitForHealthy } from '../support/processes.js';

const MAIN = 'dist/src/main.js';
const PROCESSES = 180_000;
/** Start-up gives up on a service that does not answer within 10 s; the rest is loading the app. */
const BOUNDED_MS = 25_000;

describe('start-up that cannot succeed stops at once, with one line naming the variable', () => {
  let database: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'rizom-fail-'));
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      QUEUE_PREFIX: `f${randomBytes(4).toString('hex')}`,
      HOST: '127.0.0.1',
      ROLE: 'api',
    };
  });
  afterAll(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const withDatabase = (name: string, user = 'postgres') => {
    const url = new URL(database.url);
    url.pathname = `/${name}`;
    url.username = user;
    return url.toString();
  };

  /** Runs the app to its end and returns the one line it wrote that is not a JSON log line. */
  async function failure(overrides: Record<string, string>): Promise<string> {
    const started = Date.now();
    const { code, output } = await runToEnd(MAIN, [], {
      ...env,
      PORT: String(await freePort()),
      ...overrides,
    });
    expect(Date.now() - started).toBeLessThan(BOUNDED_MS);
    expect(code).toBe(78);
    expect(output).not.toMatch(/\n\s+at /);
    const lines = output
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('{'));
    expect(lines).toHaveLength(1);
    return lines[0]!;
  }

  it(
    'names DATABASE_URL for an unknown host, a closed port, a missing database and an unknown role',
    async () => {
      const closedPort = await freePort();
      expect(
        await failure({ DATABASE_URL: 'postgres://postgres@no-such-host.invalid:5432/rizom' }),
      ).toBe('DATABASE_URL: the host "no-such-host.invalid" was not found');
      expect(
        await failure({ DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/rizom` }),
      ).toMatch(
        new RegExp(`^DATABASE_URL: nothing accepts connections at 127\\.0\\.0\\.1:${closedPort}`),
      );
      expect(await failure({ DATABASE_URL: withDatabase('rizom_no_such_database') })).toMatch(
        /^DATABASE_URL: the database "rizom_no_such_database" does not exist/,
      );
      expect(await failure({ DATABASE_URL: withDatabase('postgres', 'no_such_role') })).toMatch(
        /^DATABASE_URL: PostgreSQL at .* refused the role "no_such_role"/,
      );
    },
    PROCESSES,
  );

  it(
    'names REDIS_URL when nothing answers there',
    async () => {
      const closedPort = await freePort();
      expect(await failure({ REDIS_URL: `redis://127.0.0.1:${closedPort}` })).toBe(
        `REDIS_URL: nothing accepts connections at 127.0.0.1:${closedPort} (is Redis running?)`,
      );
    },
    PROCESSES,
  );

  it(
    'names PORT when another process listens there',
    async () => {
      const port = await freePort();
      const holder: Server = createServer();
      await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
      try {
        expect(await failure({ PORT: String(port) })).toMatch(
          new RegExp(`^PORT: ${port} is already in use on 127\\.0\\.0\\.1`),
        );
      } finally {
        holder.close();
      }
    },
    PROCESSES,
  );

  it(
    'with MIGRATE_ON_START=false and a migration not applied, /health answers 503 and says so',
    async () => {
      const behind = await createTestDatabase();
      const client = new pg.Client({ connectionString: behind.url });
      await client.connect();
      client.on('error', () => undefined);
      // The last migration's changes stay; the database forgets it applied it.
      const { rows } = await client.query<{ name: string; timestamp: string }>(
        'DELETE FROM typeorm_migrations WHERE id = (SELECT max(id) FROM typeorm_migrations) RETURNING name, timestamp',
      );
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const app = runNode(MAIN, [], {
        ...env,
        DATABASE_URL: behind.url,
        MIGRATE_ON_START: 'false',
        PORT: String(port),
      });
      try {
        await app.waitForOutput(/GraphQL API at/);
        expect(app.output()).toMatch(/1 migration\(s\) pending .*MIGRATE_ON_START=false/);
        const response = await fetch(`${url}/health`);
        expect(response.status).toBe(503);
        expect(await response.json()).toMatchObject({
          status: 'error',
          error: { migrations: { status: 'down', pending: [rows[0]!.name] } },
        });

        // Once it is applied again, /health recovers without a restart.
        await client.query('INSERT INTO typeorm_migrations (timestamp, name) VALUES ($1, $2)', [
          rows[0]!.timestamp,
          rows[0]!.name,
        ]);
        await waitForHealthy(url, 20_000, app);
      } finally {
        app.child.kill('SIGKILL');
        await app.exited;
        await client.end();
        await behind.drop();
      }
    },
    PROCESSES,
  );
});
