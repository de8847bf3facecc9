import { RerenderRemoteImages1796146900000 } from '../../migrations/1796146900000-rerender-remote-images.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { given } from '../support/given.js';

/** HTML stored before images were tamed, as the old renderer wrote it. */
const TRACKING =
  '<p><img src="http://tracker.example/p.gif" width="1" height="1" alt="pixel" /></p>';

describe('the migration that renders stored images again', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
  });
  afterAll(() => app.close());

  it('turns images in stored responses into links, and keeps only https, lazy, referrer-less ones in essays', async () => {
    const author = await given(app).author();
    const reader = await given(app).reader();
    const essay = await given(app).essay(
      author,
      `---\ntitle: Pictures\nstatus: published\n---\n\n![chart](https://img.example/c.png) ![pixel](http://tracker.example/p.gif)\n\n## Your turn\n\nWhat do you see?\n`,
    );
    const { respond } = await app.gqlOk<{ respond: { id: string } }>(
      `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
      { input: { promptId: essay.prompts[0]!.id, body: '![pixel](http://tracker.example/p.gif)' } },
      reader.token,
    );
    await app.sql(`UPDATE responses SET body_html = $2 WHERE id = $1`, [respond.id, TRACKING]);
    await app.sql(`UPDATE essays SET body_html = $2 WHERE id = $1`, [essay.id, TRACKING]);

    const runner = { query: (sql: string, params?: unknown[]) => app.sql(sql, params) } as never;
    await new RerenderRemoteImages1796146900000().up(runner);

    const [response] = await app.sql<{ body_html: string }>(
      `SELECT body_html FROM responses WHERE id = $1`,
      [respond.id],
    );
    expect(response!.body_html).not.toContain('<img');
    expect(response!.body_html).toContain('Image: pixel');
    const [stored] = await app.sql<{ body_html: string }>(
      `SELECT body_html FROM essays WHERE id = $1`,
      [essay.id],
    );
    expect(stored!.body_html).toContain('src="https://img.example/c.png"');
    expect(stored!.body_html).toMatch(/loading="lazy"/);
    expect(stored!.body_html).toMatch(/referrerpolicy="no-referrer"/);
    expect(stored!.body_html).not.toMatch(/tracker\.example\/p\.gif"[^>]*>|width=|height=/);
  });
});
