import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort, runNode, runToEnd, waitForHealthy } from '../support/processes.js';

const MAIN = 'dist/src/main.js';
// Each test starts real processes (node, Nest, migrations): slow on a loaded 2-core machine.
const PROCESSES = 180_000;
const CLI = 'dist/src/cli.js';

describe('the platform run as processes, as an operator would', () => {
  let database: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'rizom-proc-'));
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      QUEUE_PREFIX: `p${randomBytes(4).toString('hex')}`,
      MIGRATE_ON_START: 'true',
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    };
  });
  afterAll(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'refuses to start on a bad configuration and names the variable',
    async () => {
      const { code, output } = await runToEnd(MAIN, [], { ...env, PORT: 'abc', ROLE: 'both' });
      expect(code).toBe(78);
      expect(output).toMatch(/PORT: must be a whole number \(got "abc"\)/);
      expect(output).toMatch(/ROLE: must be all, api or worker/);
    },
    PROCESSES,
  );

  it(
    'the CLI creates the author, prints a session token and imports essays idempotently',
    async () => {
      const author = await runToEnd(
        CLI,
        ['author', 'Writer@Example.test', '--name', 'The Writer'],
        env,
      );
      expect(author.output).toMatch(/author writer@example\.test \(The Writer\)/);
      expect(author.code).toBe(0);

      const token = await runToEnd(CLI, ['token', 'writer@example.test'], env);
      expect(token.code).toBe(0);
      expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

      const file = join(dataDir, 'essay.md');
      await writeFile(
        file,
        `---\nsubject: 'Living systems'\nstatus: published\n---\n\nHello.\n\n## Over to you\n\nWhat are you building?\n`,
      );
      const first = await runToEnd(CLI, ['import', file], env);
      expect(first.output).toMatch(/created\s+living-systems\s+\(published/);
      const again = await runToEnd(CLI, ['import', file], env);
      expect(again.output).toMatch(/unchanged\s+living-systems/);
      // The CLI acts as the system: its import is in the audit log with no actor.
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT action, subject_type, actor_id FROM audit_log ORDER BY occurred_at`,
        );
        expect(rows).toEqual([{ action: 'ESSAY_IMPORTED', subject_type: 'essay', actor_id: null }]);
      } finally {
        await client.end();
      }

      const broken = join(dataDir, 'broken.md');
      await writeFile(broken, `---\nsubject: 'Unclosed\n---\nBody`);
      const failed = await runToEnd(CLI, ['import', broken], env);
      expect(failed.code).toBe(1);
      expect(failed.output).toMatch(/frontmatter is not valid YAML/);

      const unknown = await runToEnd(CLI, ['token', 'nobody@example.test'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.output).toMatch(/nobody@example\.test was not found/);
    },
    PROCESSES,
  );

  it(
    'serves /health and GraphQL, and on SIGTERM finishes the request in flight before it exits',
    async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const app = runNode(MAIN, [], { ...env, PORT: String(port) });
      try {
        await waitForHealthy(url, 60_000, app);
        await app.waitForOutput(/GraphQL API at/);
        const health = (await (await fetch(`${url}/health`)).json()) as {
          status: string;
          info: Record<string, unknown>;
        };
        expect(health.status).toBe('ok');
        expect(Object.keys(health.info).sort()).toEqual(['database', 'queue']);

        const token = (await runToEnd(CLI, ['token', 'writer@example.test'], env)).stdout.trim();
        const client = new pg.Client({ connectionString: database.url });
        client.on('error', () => undefined); // dropped with the database if the test fails midway
        await client.connect();
        const [{ id }] = (await client.query(`SELECT id FROM essays WHERE slug = 'living-systems'`))
          .rows;
        await client.query(`UPDATE essays SET status = 'DRAFT' WHERE id = $1`, [id]);

        // Hold the essay's row lock so publishEssay is still running when SIGTERM arrives.
        await client.query('BEGIN');
        await client.query('SELECT id FROM essays WHERE id = $1 FOR UPDATE', [id]);
        const inFlight = fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: `mutation($id: ID!) { publishEssay(id: $id) { status } }`,
            variables: { id },
          }),
        });
        await waitUntil(async () => {
          const { rows } = await client.query(
            // This database's sessions only: other suites share the server.
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          return rows[0].waiting > 0;
        });
        app.child.kill('SIGTERM');
        await app.waitForOutput(/SIGTERM received/);
        await client.query('COMMIT');
        await client.end();

        const response = await inFlight;
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ data: { publishEssay: { status: 'PUBLISHED' } } });
        expect(await app.exited).toBe(0);
        expect(app.output()).toMatch(/"msg":"stopped"/);
        await expect(fetch(`${url}/health`)).rejects.toThrow();
      } finally {
        app.child.kill('SIGKILL');
      }
    },
    PROCESSES,
  );

  it(
    'answers /health with 503 when the database is gone',
    async () => {
      const doomed = await createTestDatabase();
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const app = runNode(MAIN, [], {
        ...env,
        DATABASE_URL: doomed.url,
        PORT: String(port),
        ROLE: 'api',
      });
      try {
        await waitForHealthy(url, 60_000, app);
        await doomed.drop();
        const response = await fetch(`${url}/health`).catch((error: unknown) => {
          throw new Error(`${String(error)}; the app printed:\n${app.output()}`);
        });
        expect(response.status).toBe(503);
        const body = (await response.json()) as { status: string; error: Record<string, unknown> };
        expect(body.status).toBe('error');
        expect(Object.keys(body.error)).toContain('database');
        expect(body.error.database).toEqual({ status: 'down' }); // no message, no host
      } finally {
        app.child.kill('SIGKILL');
        await app.exited;
      }
    },
    PROCESSES,
  );
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
