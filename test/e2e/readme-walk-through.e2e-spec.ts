import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { runToEnd } from '../support/processes.js';

const CLI = 'dist/src/cli.js';
const PROCESSES = 180_000;

/** The README's "First steps", command by command, with the files it names. */
describe('the README walk-through', () => {
  let database: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'rizom-readme-'));
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      QUEUE_PREFIX: `w${randomBytes(4).toString('hex')}`,
    };
  });
  afterAll(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'imports the example essay, seeds the demo as the existing author, and says why no digest was made',
    async () => {
      const author = await runToEnd(CLI, ['author', 'you@example.com', '--name', 'Your Name'], env);
      expect(author.code).toBe(0);

      const imported = await runToEnd(CLI, ['import', 'essays/designing-systems.md'], env);
      expect(imported.stdout).toMatch(
        /^created\s+designing-systems\s+\(published, essays\/designing-systems\.md\)/,
      );
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT e.title, p.text FROM essays e JOIN prompts p ON p.essay_id = e.id WHERE e.slug = 'designing-systems'`,
        );
        expect(rows).toEqual([
          {
            title: 'Designing systems that grow',
            text: 'What does a living organization look like in your world?',
          },
        ]);
      } finally {
        await client.end();
      }

      const demo = await runToEnd(CLI, ['demo', '--responses', '2', '--readers', '1'], env);
      expect(demo.code).toBe(0);
      expect(demo.stdout).toMatch(/^author\s+you@example\.com$/m);
      const names = new pg.Client({ connectionString: database.url });
      await names.connect();
      try {
        const { rows } = await names.query(
          `SELECT display_name FROM users WHERE role = 'READER' ORDER BY display_name`,
        );
        // No public name is made from an address, demo readers' included.
        expect(rows).toEqual([{ display_name: 'Demo reader 1' }]);
      } finally {
        await names.end();
      }

      const digest = await runToEnd(CLI, ['digest:run', '--at', '2026-12-01T08:00:00Z'], env);
      expect(JSON.parse(digest.stdout.trim().split('\n').at(-1)!)).toEqual({
        at: '2026-12-01T08:00:00.000Z',
        created: 0,
        requeued: 0,
        reason: 'there is no confirmed subscription (and no review digest of the author is due)',
      });
    },
    PROCESSES,
  );
});
