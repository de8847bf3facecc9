import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort, runNode, waitForHealthy } from '../support/processes.js';

const PROCESSES = 180_000;

describe('logs for people', () => {
  let database: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'rizom-logs-'));
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      QUEUE_PREFIX: `l${randomBytes(4).toString('hex')}`,
      ROLE: 'api',
    };
  });
  afterAll(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'at a terminal: readable lines, ending with what to do next',
    async () => {
      const port = await freePort();
      // `script` runs the app on a pseudo-terminal, as a person's shell would.
      const child = spawn('script', ['-qec', `${process.execPath} dist/src/main.js`, '/dev/null'], {
        env: { PATH: process.env.PATH, ...env, PORT: String(port) },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        const deadline = Date.now() + 60_000;
        while (!/dev\/outbox/.test(output) && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 200));
        const lines = output.split(/\r?\n/).filter(Boolean);
        expect(lines.some((line) => line.startsWith('{'))).toBe(false);
        expect(output).toMatch(/INFO.*GraphQL API at/);
        expect(output).not.toMatch(/Mapped \{/); // Nest's route inventory is debug
        expect(output).toMatch(/next steps:/);
        expect(output).toMatch(/npm run cli -- author you@example\.com/);
        expect(output).toContain(`http://localhost:${port}/graphql`);
        expect(output).toContain(
          `${join(dataDir, 'outbox')}; read it at http://localhost:${port}/dev/outbox`,
        );
      } finally {
        child.kill('SIGKILL');
      }
    },
    PROCESSES,
  );

  it(
    'piped: JSON lines; once there is an author, no next steps',
    async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const author = runNode('dist/src/cli.js', ['author', 'writer@example.test'], env);
      expect(await author.exited).toBe(0);
      const app = runNode('dist/src/main.js', [], { ...env, PORT: String(port) });
      try {
        await waitForHealthy(url, 60_000, app);
        await app.waitForOutput(/GraphQL API at/);
        const lines = app.stdout().trim().split('\n');
        for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
        expect(app.output()).not.toMatch(/next steps/);
      } finally {
        app.child.kill('SIGKILL');
        await app.exited;
      }
    },
    PROCESSES,
  );
});
