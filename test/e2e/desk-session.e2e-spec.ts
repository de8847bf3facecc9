import { parse } from 'csv-parse/sync';
import { startTestApp, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

/*
 * The desk's download session: POST /desk/session copies the author's Bearer
 * session into an HttpOnly cookie that GET downloads (the CSV export,
 * /account/export) accept, so the desk's links are plain `<a download>`.
 * Nothing that changes state accepts it.
 */
describe("the desk's download session (a cookie for GET downloads only)", () => {
  let app: TestApp;
  let author: GivenUser;
  let ana: GivenUser;
  let essayId: string;

  const open = (token?: string) =>
    fetch(`${app.url}/desk/session`, {
      method: 'POST',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const cookieOf = (answer: Response) =>
    answer.headers
      .getSetCookie()
      .map((line) => line.split(';')[0]!)
      .find((pair) => pair.startsWith('rizom_desk='))!;
  const csv = (headers: Record<string, string>) =>
    fetch(`${app.url}/essays/${essayId}/export.csv`, { headers });

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
    const make = given(app);
    author = await make.author();
    ana = await make.reader();
    const essay = await make.publishedEssay(author, 'Download session');
    essayId = essay.id;
    await app.gqlOk(
      `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
      { input: { promptId: essay.prompts[0]!.id, body: 'A response to export.' } },
      ana.token,
    );
  });
  afterAll(() => app.close());

  it('is set for the author only: HttpOnly, SameSite=Strict, host-only, for /essays and /account', async () => {
    const answer = await open(author.token);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const lines = answer.headers.getSetCookie();
    expect(lines.map((line) => /Path=([^;]+)/.exec(line)?.[1]).sort()).toEqual([
      '/account',
      '/essays',
    ]);
    for (const line of lines) {
      expect(line).toMatch(new RegExp(`^rizom_desk=${author.token.replace(/\./g, '\\.')};`));
      expect(line).toContain('HttpOnly');
      expect(line).toContain('SameSite=Strict');
      expect(line).not.toMatch(/Domain=/i);
      // PUBLIC_URL is http here; with https it is Secure too (session-cookie.spec.ts).
      expect(line).not.toContain('Secure');
    }

    const reader = await open(ana.token);
    expect(reader.status).toBe(403);
    expect(reader.headers.getSetCookie()).toEqual([]);
    const anonymous = await open();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.getSetCookie()).toEqual([]);
    const forged = await open('not-a-session');
    expect(forged.status).toBe(401);
    expect(forged.headers.getSetCookie()).toEqual([]);
  });

  it('signs in the CSV export and /account/export; no session, or a reader’s, is refused', async () => {
    const cookie = cookieOf(await open(author.token));
    const answer = await csv({ cookie });
    expect(answer.status).toBe(200);
    const rows: Record<string, string>[] = parse(await answer.text(), { columns: true });
    expect(rows.map((row) => row.body)).toContain('A response to export.');

    const data = await fetch(`${app.url}/account/export`, { headers: { cookie } });
    expect(data.status).toBe(200);
    expect(((await data.json()) as { profile: { id: string } }).profile.id).toBe(author.id);

    expect((await csv({})).status).toBe(401);
    expect((await csv({ cookie: 'rizom_desk=' })).status).toBe(401);
    expect((await csv({ cookie: 'rizom_desk=garbage' })).status).toBe(401);
    // A reader's token in the cookie (they are never given one) is still a reader.
    const reader = await csv({ cookie: `rizom_desk=${ana.token}` });
    expect(reader.status).toBe(403);
    expect(await reader.text()).not.toContain('A response to export.');
  });

  it('is not accepted by GraphQL: queries see an anonymous caller, mutations are refused', async () => {
    const cookie = cookieOf(await open(author.token));
    const post = (query: string, variables: Record<string, unknown> = {}) =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ query, variables }),
      }).then(
        (answer) =>
          answer.json() as Promise<{ data?: unknown; errors: { extensions: { code: string } }[] }>,
      );
    expect((await post(`{ me { id } }`)).data).toEqual({ me: null });
    const counts = await post(`{ reviewQueueCounts { inbox } }`);
    expect(counts.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    const before = await app.sql(`SELECT status FROM essays WHERE id = $1`, [essayId]);
    const archive = await post(`mutation($id: ID!) { archiveEssay(id: $id) { id } }`, {
      id: essayId,
    });
    expect(archive.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(await app.sql(`SELECT status FROM essays WHERE id = $1`, [essayId])).toEqual(before);
    // Nor does the cookie open the desk's session again: POST needs the Bearer header.
    const again = await fetch(`${app.url}/desk/session`, { method: 'POST', headers: { cookie } });
    expect(again.status).toBe(401);
  });

  it('DELETE clears it (sign-out); a session signed out everywhere no longer downloads', async () => {
    const cleared = await fetch(`${app.url}/desk/session`, { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    const lines = cleared.headers.getSetCookie();
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line).toMatch(/^rizom_desk=; Path=\/(essays|account);.*Max-Age=0/);

    const other = await given(app).author();
    const cookie = cookieOf(await open(other.token));
    expect((await csv({ cookie })).status).toBe(200);
    await app.gqlOk(`mutation { signOut }`, {}, other.token);
    expect((await csv({ cookie })).status).toBe(401);
  });
});
