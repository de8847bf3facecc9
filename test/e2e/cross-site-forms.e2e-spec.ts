import { startTestApp, type TestApp } from '../support/app.js';

/**
 * Login CSRF and its cousins: a page on another site must not be able to post
 * a form here (its own sign-in token, an unsubscribe, a preferences change).
 */
describe('form posts from another site', () => {
  let app: TestApp;
  let counter = 0;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  /** A real sign-in token, from the email a request for it sends. */
  async function signInToken(): Promise<string> {
    const email = `csrf${(counter += 1)}@example.test`;
    await app.gqlOk(`mutation($email: String!) { requestSignIn(email: $email) }`, { email });
    const mail = await app.smtp.waitFor((candidate) =>
      JSON.stringify(candidate.to).includes(email),
    );
    const token = /\/sign-in\?token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    if (!token) throw new Error(`no sign-in link in: ${mail.text}`);
    return token;
  }

  const postForm = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
      redirect: 'manual',
    });

  async function expectRefused(response: Response): Promise<void> {
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('set-cookie')).toBeNull();
    const html = await response.text();
    expect(html).toContain('This form came from another site');
    expect(html).not.toContain('data-session-token');
  }

  const CROSS_SITE: Record<string, string>[] = [
    { origin: 'https://evil.example' },
    { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'cross-site' },
    { origin: 'null' },
    // Our host on another port is another origin.
    { origin: 'http://127.0.0.1:1' },
  ];

  it('refuses POST /sign-in from another site, and leaves the token usable from here', async () => {
    const token = await signInToken();
    const body = new URLSearchParams({ token }).toString();
    for (const headers of CROSS_SITE)
      await expectRefused(await postForm('/sign-in', body, headers));

    const here = await postForm('/sign-in', body, {
      origin: app.config.publicUrl,
      'sec-fetch-site': 'same-origin',
    });
    expect(here.status).toBe(200);
    expect(here.headers.get('set-cookie')).toMatch(/^rizom_session=/);
    expect(await here.text()).toContain('You are signed in');
  });

  it('refuses every form encoding, and every form post route', async () => {
    const encodings: [string, string][] = [
      ['application/x-www-form-urlencoded; charset=utf-8', 'token=x'],
      [
        'multipart/form-data; boundary=b',
        '--b\r\nContent-Disposition: form-data; name="token"\r\n\r\nx\r\n--b--',
      ],
      ['text/plain', 'token=x'],
      ['TEXT/PLAIN', 'token=x'],
    ];
    const routes = [
      '/sign-in',
      '/subscriptions/confirm',
      '/subscriptions/unsubscribe?token=x',
      '/subscriptions/manage',
      '/notifications/unsubscribe?list=replies&token=x',
      '/graphql',
    ];
    for (const route of routes) {
      for (const [contentType, body] of encodings) {
        await expectRefused(
          await postForm(route, body, {
            'content-type': contentType,
            origin: 'https://evil.example',
          }),
        );
      }
    }
  });

  it('lets through posts without Origin or Sec-Fetch-Site: the one-click unsubscribe of RFC 8058', async () => {
    // A mail provider's server posts List-Unsubscribe=One-Click with no browser headers.
    const response = await postForm(
      '/subscriptions/unsubscribe?token=not-a-real-token',
      'List-Unsubscribe=One-Click',
    );
    expect(response.status).not.toBe(403);
    expect(await response.text()).not.toContain('This form came from another site');
    // A same-site subdomain is not cross-site for Sec-Fetch-Site, and JSON is not a form.
    for (const headers of [{ 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': 'none' }]) {
      expect((await postForm('/sign-in', 'token=short', headers)).status).toBe(400);
    }
    const json = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(json.status).toBe(200);
  });
});
