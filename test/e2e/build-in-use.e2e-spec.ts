import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort, runNode, runToEnd, waitForHealthy } from '../support/processes.js';

const PROCESSES = 180_000;

/** Every file under dist/src with its inode: a file replaced or removed changes or loses it. */
async function distInodes(): Promise<Map<string, number>> {
  const entries = await readdir('dist/src', { recursive: true, withFileTypes: true });
  const inodes = new Map<string, number>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    inodes.set(path, (await stat(path)).ino);
  }
  return inodes;
}

describe('building next to a running app', () => {
  let database: TestDatabase;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'rizom-build-'));
  });
  afterAll(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'a build and a CLI command leave the files a running app uses in place, and the CLI starts without building',
    async () => {
      const env = {
        DATABASE_URL: database.url,
        DATA_DIR: dataDir,
        JWT_SECRET: randomBytes(32).toString('hex'),
        QUEUE_PREFIX: `b${randomBytes(4).toString('hex')}`,
        ROLE: 'api',
      };
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const app = runNode('dist/src/main.js', [], { ...env, PORT: String(port) });
      try {
        await waitForHealthy(url, 60_000, app);
        const before = await distInodes();
        const stampBefore = (await stat('dist/.build-stamp')).mtimeMs;

        // What `npm run cli` does first: nothing, since dist/ is up to date.
        const check = await runToEnd('scripts/build.mjs', ['--if-stale'], {});
        expect(check).toMatchObject({ code: 0, output: '' });
        expect((await stat('dist/.build-stamp')).mtimeMs).toBe(stampBefore);

        // What `npm run build` does: a full build, which replaces only what changed.
        const build = await runToEnd('scripts/build.mjs', [], {});
        expect(build.code).toBe(0);
        expect(await distInodes()).toEqual(before);

        const help = await runToEnd('dist/src/cli.js', ['--help'], env);
        expect(help.code).toBe(0);
        expect(help.stdout).toMatch(/Operate Rizom Conversations/);

        const token = await runToEnd('dist/src/cli.js', ['token', 'nobody@example.test'], env);
        expect(token.output).toMatch(/nobody@example\.test was not found/);

        const answer = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ essays(first: 1) { edges { node { slug } } } }' }),
        });
        expect(await answer.json()).toEqual({ data: { essays: { edges: [] } } });
        expect(app.child.exitCode).toBeNull();
        expect(app.output()).not.toMatch(/ERR_MODULE_NOT_FOUND/);
      } finally {
        app.child.kill('SIGKILL');
        await app.exited;
      }
    },
    PROCESSES,
  );
});
