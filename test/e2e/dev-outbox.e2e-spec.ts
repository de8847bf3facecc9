import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { freePort, runNode, waitForHealthy } from '../support/processes.js';

const PROCESSES = 180_000;

/** No SMTP_URL: mail goes to DATA_DIR/outbox, and a newcomer can still read it and click. */
describe('mail on a fresh machine', () => {
  let database: TestDatabase;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'rizom-outbox-'));
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      QUEUE_PREFIX: `o${randomBytes(4).toString('hex')}`,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    };
  });
  afterAll(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'logs each link in full and lists the outbox at /dev/outbox with working links, escaped',
    async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const app = runNode('dist/src/main.js', [], {
        ...env,
        PORT: String(port),
        PUBLIC_URL: url,
        // One proxy in front, so a request can say it came from elsewhere.
        TRUST_PROXY: '1',
      });
      try {
        await waitForHealthy(url, 60_000, app);
        const asked = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'mutation { requestSignIn(email: "ada@example.test") }' }),
        });
        expect(await asked.json()).toEqual({ data: { requestSignIn: true } });

        await app.waitForOutput(/link: http:\/\/127\.0\.0\.1:\d+\/sign-in\?token=[\w-]+/);
        const logged = /link: (\S+\/sign-in\?token=[\w-]+)/.exec(app.output())![1]!;
        expect(logged).not.toContain('=3D');

        // A message whose subject and body try to inject markup.
        await mkdir(join(dataDir, 'outbox'), { recursive: true });
        await writeFile(
          join(dataDir, 'outbox', '0000-hostile.eml'),
          'From: a@example.test\nTo: b@example.test\nSubject: <script>alert(1)</script>\n\nSee https://example.test/?q="><img src=x onerror=alert(1)>\n',
        );

        const fromAfar = await fetch(`${url}/dev/outbox`, {
          headers: { 'x-forwarded-for': '203.0.113.9' },
        });
        expect(fromAfar.status).toBe(404);
        expect(await fromAfar.text()).not.toContain('sign-in?token=');

        const page = await fetch(`${url}/dev/outbox`);
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(html).toContain('ada@example.test');
        expect(html).toMatch(/Sign in/i);
        expect(html).toContain(`<a href="${logged}">`);
        expect(html).not.toContain('=3D');
        expect(html).not.toMatch(/<script>|<img/);
        expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');

        const signIn = await fetch(logged);
        expect(signIn.status).toBe(200);
      } finally {
        app.child.kill('SIGKILL');
        await app.exited;
      }
    },
    PROCESSES,
  );

  it(
    'in production there is no /dev/outbox',
    async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const app = runNode('dist/src/main.js', [], {
        ...env,
        NODE_ENV: 'production',
        ROLE: 'api',
        PORT: String(port),
      });
      try {
        await waitForHealthy(url, 60_000, app);
        expect((await fetch(`${url}/dev/outbox`)).status).toBe(404);
        expect((await fetch(`${url}/graphiql/graphiql.js`)).status).toBe(404);
      } finally {
        app.child.kill('SIGKILL');
        await app.exited;
      }
    },
    PROCESSES,
  );
});
