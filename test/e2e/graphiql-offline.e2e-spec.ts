import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort, runNode, waitForHealthy } from '../support/processes.js';

const PROCESSES = 180_000;

/** Headless Chromium with every host but loopback unresolvable: a machine without internet. */
function renderOffline(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      '--virtual-time-budget=10000',
      '--dump-dom',
      url,
    ];
    const chromium = spawn('chromium', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let dom = '';
    chromium.stdout.on('data', (chunk: Buffer) => (dom += chunk.toString()));
    chromium.on('error', reject);
    chromium.on('close', () => resolve(dom));
  });
}

describe('GraphiQL', () => {
  let database: TestDatabase;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'rizom-graphiql-'));
  });
  afterAll(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'renders in a browser with no internet, from the project’s own files',
    async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const app = runNode('dist/src/main.js', [], {
        DATABASE_URL: database.url,
        DATA_DIR: dataDir,
        JWT_SECRET: randomBytes(32).toString('hex'),
        QUEUE_PREFIX: `g${randomBytes(4).toString('hex')}`,
        ROLE: 'api',
        PORT: String(port),
      });
      try {
        await waitForHealthy(url, 60_000, app);
        const page = await (
          await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } })
        ).text();
        expect(page).toContain('/graphiql/graphiql.js');
        expect(page).not.toMatch(/https?:\/\//); // nothing from elsewhere

        const dom = await renderOffline(`${url}/graphql`);
        expect(dom).toMatch(/class="graphiql-container"/);
        expect(dom).toMatch(/graphiql-query-editor/);
        expect(dom).not.toContain('Loading…');

        expect((await fetch(`${url}/graphiql/../package.json`)).status).toBe(404);
      } finally {
        app.child.kill('SIGKILL');
        await app.exited;
      }
    },
    PROCESSES,
  );
});
