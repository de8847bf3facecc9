import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../support/database.js';
import { freePort, runNode, runToEnd, waitForHealthy } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/app.js';

describe('operating the platform: metrics and the queue dashboard', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
  });
  afterAll(() => app.close());

  it('GET /metrics counts deliveries by kind and state, and queue depths', async () => {
    await app.gqlOk(`mutation { requestSignIn(email: "someone@example.test") }`);
    await app.smtp.waitFor(
      (mail) => mail.to !== undefined && JSON.stringify(mail.to).includes('someone@example.test'),
    );
    let body = '';
    for (
      let i = 0;
      i < 50 && !/rizom_deliveries\{kind="SIGN_IN",state="SENT"\} 1/.test(body);
      i += 1
    ) {
      const response = await fetch(`${app.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      body = await response.text();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(body).toMatch(/rizom_deliveries\{kind="SIGN_IN",state="SENT"\} 1/);
    expect(body).toMatch(/rizom_queue_jobs\{queue="mail",state="waiting"\} \d+/);
    expect(body).toMatch(/rizom_queue_jobs\{queue="digests",state="waiting"\} \d+/);
  });

  it('shows Bull Board at /admin/queues to the author only, where the queue backend supports it', async () => {
    // A real process: Bull Board's static-file plugin cannot load under Jest's module loader.
    const database = await createTestDatabase();
    const port = await freePort();
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('hex'),
      QUEUE_PREFIX: `o${randomBytes(4).toString('hex')}`,
      DATA_DIR: await mkdtemp(join(tmpdir(), 'rizom-ops-')),
      PORT: String(port),
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    };
    const url = `http://127.0.0.1:${port}`;
    await runToEnd('dist/src/cli.js', ['author', 'boss@example.test'], env);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(
      `INSERT INTO users (email, display_name, role) VALUES ('reader@example.test', 'Reader', 'READER')`,
    );
    await client.end();
    const readerToken = (
      await runToEnd('dist/src/cli.js', ['token', 'reader@example.test'], env)
    ).stdout.trim();
    const bossToken = (
      await runToEnd('dist/src/cli.js', ['token', 'boss@example.test'], env)
    ).stdout.trim();
    const server = runNode('dist/src/main.js', [], env);
    try {
      await waitForHealthy(url, 60_000, server);
      const asAuthor = await fetch(`${url}/admin/queues`, {
        headers: { authorization: `Bearer ${bossToken}` },
      });
      if (!process.env.REDIS_URL) {
        // The PostgreSQL queue backend: no dashboard is mounted.
        expect(asAuthor.status).toBe(404);
        return;
      }
      expect(asAuthor.status).toBe(200);
      expect(await asAuthor.text()).toMatch(/<html/i);
      const viaCookie = await fetch(`${url}/admin/queues`, {
        headers: { cookie: `rizom_session=${bossToken}` },
      });
      expect(viaCookie.status).toBe(200);
      const queues = await fetch(`${url}/admin/queues/api/queues`, {
        headers: { authorization: `Bearer ${bossToken}` },
      });
      expect(JSON.stringify(await queues.json())).toMatch(/"name":"mail"/);
      expect(
        (
          await fetch(`${url}/admin/queues`, {
            headers: { authorization: `Bearer ${readerToken}` },
          })
        ).status,
      ).toBe(403);
      expect((await fetch(`${url}/admin/queues`)).status).toBe(401);
      expect((await fetch(`${url}/admin/queues/api/queues`)).status).toBe(401);
      expect(
        (await fetch(`${url}/admin/queues`, { headers: { authorization: 'Bearer nonsense' } }))
          .status,
      ).toBe(401);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await database.drop();
      await rm(env.DATA_DIR, { recursive: true, force: true });
    }
  }, 120_000);
});
