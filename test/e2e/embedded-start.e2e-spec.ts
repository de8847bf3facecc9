import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runNode, runToEnd, waitForHealthy } from '../support/processes.js';

/**
 * The fresh-clone path: no DATABASE_URL, REDIS_URL or SMTP_URL. The app starts
 * its own PostgreSQL under DATA_DIR, queues on PostgreSQL, writes mail to files.
 */
describe('npm start on a machine with nothing else installed', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rizom-fresh-'));
    env = { DATA_DIR: dataDir, METRICS_TOKEN: 'operator-token-for-this-test' };
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const gql = async (url: string, query: string, token?: string) =>
    (await (
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query }),
      })
    ).json()) as { data?: Record<string, any>; errors?: unknown[] };

  // Two cold starts of a real PostgreSQL: slow on a loaded machine, so a generous limit.
  const COLD_STARTS = 240_000;

  it(
    'starts embedded PostgreSQL, serves the API, mails to the outbox, and keeps data across restarts',
    async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const first = runNode('dist/src/main.js', [], { ...env, PORT: String(port) });
      try {
        await waitForHealthy(url, 120_000, first);
        expect(first.output()).toMatch(/embedded PostgreSQL listening on 127\.0\.0\.1:\d+/);
        expect(first.output()).toMatch(/\.eml files/);
        const health = (await (
          await fetch(`${url}/health`, {
            headers: { authorization: `Bearer ${env.METRICS_TOKEN}` },
          })
        ).json()) as {
          info: { queue: { backend: string } };
        };
        expect(health.info.queue.backend).toBe('postgres');

        // The CLI finds the running cluster through its postmaster.pid.
        const author = await runToEnd('dist/src/cli.js', ['author', 'me@example.test'], env);
        expect(author.code).toBe(0);
        expect(author.output).toMatch(/using the embedded PostgreSQL already running/);

        expect(await gql(url, `mutation { requestSignIn(email: "me@example.test") }`)).toEqual({
          data: { requestSignIn: true },
        });
        await waitFor(
          async () =>
            existsSync(join(dataDir, 'outbox')) &&
            (await readdir(join(dataDir, 'outbox'))).length > 0,
        );

        first.child.kill('SIGTERM');
        expect(await first.exited).toBe(0);
        expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
      } finally {
        first.child.kill('SIGKILL');
      }

      // Started as a terminal starts a foreground command: in a process group of its own.
      const second = runNode(
        'dist/src/main.js',
        [],
        { ...env, PORT: String(port) },
        { detached: true },
      );
      try {
        await waitForHealthy(url, 120_000, second);
        const token = await runToEnd('dist/src/cli.js', ['token', 'me@example.test'], env);
        expect(token.code).toBe(0);
        const me = await gql(url, `{ me { email role } }`, token.stdout.trim());
        expect(me).toEqual({ data: { me: { email: 'me@example.test', role: 'AUTHOR' } } });

        // Ctrl-C: the terminal sends SIGINT to the whole foreground group.
        const postmaster = Number(
          (await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
        );
        process.kill(-second.child.pid!, 'SIGINT');
        expect(await second.exited).toBe(0);
        expect(second.output()).toMatch(/SIGINT received/);
        expect(second.output()).toMatch(/"msg":"stopped"/);
        expect(second.output()).not.toMatch(/\n\s+at |"level":50|terminating connection/);
        expect(isRunning(postmaster)).toBe(false);
        expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
      } finally {
        second.child.kill('SIGKILL');
      }
    },
    COLD_STARTS,
  );
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
