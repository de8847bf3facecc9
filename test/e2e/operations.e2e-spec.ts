import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../support/database.js';
import { freePort, runNode, runToEnd, waitForHealthy } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { given } from '../support/given.js';

const METRICS_TOKEN = randomBytes(24).toString('base64url');
const asOperator = { authorization: `Bearer ${METRICS_TOKEN}` };

describe('operating the platform: metrics and the queue dashboard', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off', METRICS_TOKEN } });
  });
  afterAll(() => app.close());

  it('GET /metrics wants the metrics token: 401 without it or with another', async () => {
    const session = (await given(app).author()).token;
    for (const authorization of [
      undefined,
      'Bearer nope',
      `Bearer ${METRICS_TOKEN}x`,
      `Bearer ${session}`,
      METRICS_TOKEN,
      `Basic ${Buffer.from(`metrics:${METRICS_TOKEN}`).toString('base64')}`,
    ]) {
      const response = await fetch(`${app.url}/metrics`, {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const body = await response.text();
      expect(body).not.toMatch(/rizom_/);
      expect(JSON.parse(body).error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('GET /health says only whether the database and the queue answer; the token shows the detail', async () => {
    const response = await fetch(`${app.url}/health`);
    expect(response.status).toBe(200);
    const up = { database: { status: 'up' }, queue: { status: 'up' } };
    expect(await response.json()).toEqual({ status: 'ok', info: up, error: {}, details: up });

    const detailed = await fetch(`${app.url}/health`, { headers: asOperator });
    expect(detailed.status).toBe(200);
    const health = (await detailed.json()) as { info: { queue: Record<string, unknown> } };
    const jobs = {
      waiting: expect.any(Number),
      active: expect.any(Number),
      delayed: expect.any(Number),
      failed: expect.any(Number),
    };
    expect(health.info.queue).toEqual({
      status: 'up',
      responseTime: expect.any(Number),
      backend: process.env.REDIS_URL ? 'redis' : 'postgres',
      mail: jobs,
      digests: jobs,
      webhooks: jobs,
      'spam-checks': jobs,
    });
    // Another token is the public answer, not an error.
    const other = await fetch(`${app.url}/health`, { headers: { authorization: 'Bearer nope' } });
    expect(other.status).toBe(200);
    expect(JSON.stringify(await other.json())).not.toMatch(/waiting|backend/);
  });

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
      const response = await fetch(`${app.url}/metrics`, { headers: asOperator });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      body = await response.text();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(body).toMatch(/rizom_deliveries\{kind="SIGN_IN",state="SENT"\} 1/);
    expect(body).toMatch(/rizom_queue_jobs\{queue="mail",state="waiting"\} \d+/);
    expect(body).toMatch(/rizom_queue_jobs\{queue="digests",state="waiting"\} \d+/);
    expect(body).toMatch(/rizom_queue_jobs\{queue="webhooks",state="waiting"\} \d+/);
    expect(body).toMatch(/rizom_queue_jobs\{queue="spam-checks",state="waiting"\} \d+/);
  });

  it('/metrics reads counters the ledger keeps, which agree with it after inserts, state changes and deletes', async () => {
    const grouped = `SELECT kind::text, state::text, count(*)::int AS count FROM deliveries GROUP BY 1, 2`;
    const counters = `SELECT kind::text, state::text, sum(count)::int AS count FROM delivery_counts
                       GROUP BY 1, 2 HAVING sum(count) <> 0`;
    const mine = `SELECT kind::text, state::text, count(*)::int AS count FROM deliveries
                   WHERE reason_key LIKE 'counted:%' GROUP BY 1, 2`;
    await app.sql(
      `INSERT INTO deliveries (kind, recipient, reason_key)
       SELECT 'REPLY_NOTICE', 'counted-' || n || '@example.test', 'counted:' || n FROM generate_series(1, 30) n`,
    );
    await app.sql(
      `UPDATE deliveries SET state = 'SENT' WHERE reason_key LIKE 'counted:%' AND right(reason_key, 1) IN ('1', '2')`,
    );
    await app.sql(
      `UPDATE deliveries SET state = 'FAILED', kind = 'AUTHOR_DIGEST' WHERE reason_key = 'counted:3'`,
    );
    await app.sql(
      `UPDATE deliveries SET attempts = attempts + 1 WHERE reason_key LIKE 'counted:%'`,
    );
    await app.sql(`DELETE FROM deliveries WHERE reason_key IN ('counted:4', 'counted:11')`);
    type Count = { kind: string; state: string; count: number };
    const sorted = (rows: Count[]) =>
      [...rows].sort((a, b) => (`${a.kind} ${a.state}` < `${b.kind} ${b.state}` ? -1 : 1));
    expect(sorted(await app.sql<Count>(mine))).toEqual([
      { kind: 'AUTHOR_DIGEST', state: 'FAILED', count: 1 },
      { kind: 'REPLY_NOTICE', state: 'PENDING', count: 22 },
      { kind: 'REPLY_NOTICE', state: 'SENT', count: 5 },
    ]);
    const ledger = sorted(await app.sql<Count>(grouped));
    expect(sorted(await app.sql<Count>(counters))).toEqual(ledger);
    const body = await (await fetch(`${app.url}/metrics`, { headers: asOperator })).text();
    const scraped = [
      ...body.matchAll(/^rizom_deliveries\{kind="(\w+)",state="(\w+)"\} (\d+)$/gm),
    ].map(([, kind, state, count]) => ({ kind: kind!, state: state!, count: Number(count) }));
    expect(sorted(scraped)).toEqual(ledger);
    await app.sql(`DELETE FROM deliveries WHERE reason_key LIKE 'counted:%'`);
    expect(sorted(await app.sql<Count>(counters))).toEqual(sorted(await app.sql<Count>(grouped)));
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
      const listed = JSON.stringify(await queues.json());
      for (const name of ['mail', 'digests', 'webhooks', 'spam-checks']) {
        expect(listed).toContain(`"name":"${name}"`);
      }
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

describe('without METRICS_TOKEN', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('does not serve /metrics at all, and /health stays public and short', async () => {
    for (const headers of [{}, asOperator, { authorization: 'Bearer ' }]) {
      const response = await fetch(`${app.url}/metrics`, { headers });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toMatch(/rizom_/);
      const health = await fetch(`${app.url}/health`, { headers });
      expect(health.status).toBe(200);
      expect(JSON.stringify(await health.json())).not.toMatch(/waiting|backend/);
    }
  });
});
