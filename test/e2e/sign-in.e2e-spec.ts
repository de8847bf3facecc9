import type { ParsedMail } from 'mailparser';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { clientAt } from '../support/clients.js';
import { eventually, given } from '../support/given.js';

const REQUEST_SIGN_IN = `mutation($email: String!) { requestSignIn(email: $email) }`;
const SIGN_IN = `mutation($token: String!) {
  signIn(token: $token) { token user { id email role displayName } } }`;
const ME = `{ me { id email role displayName } }`;
const REQUEST_SIGN_IN_BACK = `mutation($email: String!, $returnTo: String) {
  requestSignIn(email: $email, returnTo: $returnTo) }`;
const SIGN_IN_WITH_CODE = `mutation($email: String!, $code: String!) {
  signInWithCode(email: $email, code: $code) { token user { id email role } } }`;

let sequence = 0;
const newEmail = (name = 'reader') =>
  `${name}.${Date.now().toString(36)}.${(sequence += 1)}@example.test`;

const recipientsOf = (mail: ParsedMail): string[] =>
  [mail.to ?? []]
    .flat()
    .flatMap((to) => to.value.map((address) => address.address?.toLowerCase() ?? ''));

describe('signing in with an emailed link', () => {
  let app: TestApp;
  /** Message-IDs already handed to a test, so each test reads the email its own request caused. */
  const seen = new Set<string>();

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const requestSignIn = (email: string) => app.gql(REQUEST_SIGN_IN, { email });

  /** Waits for the next sign-in email to `email` and returns it with the token its link carries. */
  async function nextSignInMail(
    email: string,
  ): Promise<{ mail: ParsedMail; token: string; code: string }> {
    const mail = await app.smtp.waitFor(
      (candidate) =>
        recipientsOf(candidate).includes(email.toLowerCase()) &&
        !seen.has(candidate.messageId ?? ''),
    );
    seen.add(mail.messageId ?? '');
    const link = new RegExp(
      `${escapeRegExp(app.config.publicUrl)}/sign-in\\?token=([A-Za-z0-9_-]+)`,
    );
    const token = link.exec(mail.text ?? '')?.[1];
    if (!token) throw new Error(`no sign-in link in the email text: ${mail.text}`);
    const code = /^ {4}(\d{6})$/m.exec(mail.text ?? '')?.[1];
    if (!code) throw new Error(`no sign-in code in the email text: ${mail.text}`);
    return { mail, token, code };
  }

  async function signInToken(email: string): Promise<string> {
    expect(await requestSignIn(email)).toEqual({ data: { requestSignIn: true } });
    return (await nextSignInMail(email)).token;
  }

  it('emails a link that signs a new reader in, in text and HTML, with a Message-ID', async () => {
    const email = newEmail('New.Reader');
    expect(await requestSignIn(email)).toEqual({ data: { requestSignIn: true } });

    const { mail, token } = await nextSignInMail(email);
    const link = `${app.config.publicUrl}/sign-in?token=${token}`;
    expect(mail.subject).toMatch(/sign-in link/i);
    expect(mail.text).toContain(link);
    expect(mail.html).toEqual(expect.stringContaining(`href="${link}"`));
    expect(mail.messageId).toMatch(/^<[^<>@\s]+@[^<>@\s]+>$/);

    const { signIn } = await app.gqlOk(SIGN_IN, { token });
    expect(signIn.user).toEqual({
      id: expect.any(String),
      email: email.toLowerCase(),
      role: 'READER',
      // A neutral name until the reader chooses one: never a piece of the address.
      displayName: expect.stringMatching(/^Reader \d{4}$/),
    });
    expect(signIn.token).toEqual(expect.any(String));

    const { me } = await app.gqlOk(ME, {}, signIn.token);
    expect(me).toEqual(signIn.user);
    const users = await app.sql(`SELECT email, role FROM users WHERE id = $1`, [signIn.user.id]);
    expect(users).toEqual([{ email: email.toLowerCase(), role: 'READER' }]);
  });

  it('signs an existing author in as the author, whatever the case of the email', async () => {
    const author = await given(app).author();
    const token = await signInToken(author.email.toUpperCase());
    const { signIn } = await app.gqlOk(SIGN_IN, { token });
    expect(signIn.user).toMatchObject({ id: author.id, email: author.email, role: 'AUTHOR' });
    const [{ count }] = await app.sql<{ count: string }>(
      `SELECT count(*) FROM users WHERE email = $1`,
      [author.email],
    );
    expect(count).toBe('1');
  });

  it('answers the same for unknown and known emails, and makes no account until the link is used', async () => {
    const author = await given(app).author();
    const unknown = newEmail('stranger');
    const known = await requestSignIn(author.email);
    const stranger = await requestSignIn(unknown);
    expect(stranger).toEqual(known);
    expect(stranger).toEqual({ data: { requestSignIn: true } });
    await nextSignInMail(author.email);
    await nextSignInMail(unknown);
    expect(await app.sql(`SELECT id FROM users WHERE email = $1`, [unknown])).toEqual([]);
  });

  it('stores only a hash of the token', async () => {
    const email = newEmail();
    const token = await signInToken(email);
    const rows = await app.sql<{ row: string; token_hash: string }>(
      `SELECT t::text AS row, token_hash FROM sign_in_tokens t WHERE email = $1`,
      [email],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row).not.toContain(token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets a token be used once', async () => {
    const email = newEmail();
    const token = await signInToken(email);
    await app.gqlOk(SIGN_IN, { token });
    const again = await app.gql(SIGN_IN, { token });
    expect(again.data).toBeNull();
    expect(again.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(again.errors?.[0]?.message).toMatch(/expired or was already used/);
  });

  it('expires a token after 15 minutes, by the platform clock', async () => {
    const email = newEmail();
    const token = await signInToken(email);
    app.clock.advance(16 * 60_000);
    const late = await app.gql(SIGN_IN, { token });
    expect(late.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await app.sql(`SELECT id FROM users WHERE email = $1`, [email])).toEqual([]);
  });

  it('accepts a token until just before it expires', async () => {
    const email = newEmail();
    const token = await signInToken(email);
    app.clock.advance(14 * 60_000);
    const { signIn } = await app.gqlOk(SIGN_IN, { token });
    expect(signIn.user.email).toBe(email);
  });

  it('refuses garbage tokens with a clear error', async () => {
    for (const token of ['', 'abc', 'x'.repeat(1000)]) {
      const result = await app.gql(SIGN_IN, { token });
      expect(result.errors?.[0]).toMatchObject({
        message: 'That sign-in link is not valid.',
        extensions: { code: 'BAD_USER_INPUT', field: 'token' },
      });
    }
    const wellFormed = await app.gql(SIGN_IN, { token: 'A'.repeat(43) });
    expect(wellFormed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an invalid email address as BAD_USER_INPUT and sends nothing', async () => {
    const before = app.smtp.messages.length;
    for (const email of ['not-an-email', '', 'a@b', 'two@at@example.test']) {
      const result = await requestSignIn(email);
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'email',
      });
    }
    expect(
      await app.sql(`SELECT id FROM sign_in_tokens WHERE email NOT LIKE '%@example.test'`),
    ).toEqual([]);
    expect(app.smtp.messages.length).toBe(before);
  });

  it('refuses a malformed, forged or foreign Authorization header as UNAUTHENTICATED', async () => {
    const reader = await given(app).reader();
    const [header, payload] = reader.token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      `Bearer ${reader.token} extra`,
      'Bearer not-a-jwt',
      `Bearer ${forged}`,
    ]) {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: ME }),
      });
      const result = (await response.json()) as GraphQLResult;
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.data?.me ?? null).toBeNull();
    }
    expect(await app.gqlOk(ME, {}, reader.token)).toEqual({
      me: expect.objectContaining({ id: reader.id }),
    });
  });

  it('records one SENT delivery with the Message-ID for every email', async () => {
    const email = newEmail();
    expect(await requestSignIn(email)).toEqual({ data: { requestSignIn: true } });
    expect(await requestSignIn(email)).toEqual({ data: { requestSignIn: true } });
    const mails = [(await nextSignInMail(email)).mail, (await nextSignInMail(email)).mail];
    const messageIds = mails.map((mail) => mail.messageId).sort();
    expect(new Set(messageIds).size).toBe(2);

    const deliveries = await eventually(
      () =>
        app.sql<{ kind: string; state: string; message_id: string; attempts: number }>(
          `SELECT kind, state, message_id, attempts FROM deliveries WHERE recipient = $1
           ORDER BY message_id`,
          [email],
        ),
      (rows) => rows.length === 2 && rows.every((row) => row.state === 'SENT'),
    );
    expect(deliveries).toEqual(
      messageIds.map((messageId) => ({
        kind: 'SIGN_IN',
        state: 'SENT',
        message_id: messageId,
        attempts: 1,
      })),
    );
  });

  it('allows five requests per email an hour, then answers RATE_LIMITED with a retry time', async () => {
    const email = newEmail('busy');
    for (let i = 0; i < 5; i += 1) {
      expect(await requestSignIn(i % 2 ? email.toUpperCase() : email)).toEqual({
        data: { requestSignIn: true },
      });
    }
    const sixth = await requestSignIn(` ${email.toUpperCase()} `);
    expect(sixth.data).toBeNull();
    expect(sixth.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const retryAfter = sixth.errors?.[0]?.extensions?.retryAfterSeconds;
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);

    const tokens = await app.sql(`SELECT id FROM sign_in_tokens WHERE email = $1`, [email]);
    expect(tokens).toHaveLength(5);
    // Another address from the same client is not affected.
    expect(await requestSignIn(newEmail())).toEqual({ data: { requestSignIn: true } });
  });

  describe('signing in with the emailed code', () => {
    /** Each test speaks from a client address of its own, so per-client limits stay its own. */
    const client = () => clientAt(app);

    async function codeFor(email: string, from = client()) {
      expect(await from.gql(REQUEST_SIGN_IN, { email })).toEqual({ data: { requestSignIn: true } });
      return nextSignInMail(email);
    }

    const refusal = {
      code: 'BAD_USER_INPUT',
      field: 'code',
    };

    it('emails a 6-digit code with the link, easy to copy in text and HTML, that signs the reader in', async () => {
      const email = newEmail('Coder');
      const from = client();
      const { mail, code } = await codeFor(email, from);
      expect(code).toMatch(/^\d{6}$/);
      expect(mail.text).toMatch(/code/i);
      expect(mail.html).toMatch(
        new RegExp(`<p data-sign-in-code [^>]*user-select:all[^>]*>${code}</p>`),
      );

      const result = await from.gql(SIGN_IN_WITH_CODE, { email: email.toUpperCase(), code });
      expect(result.errors).toBeUndefined();
      const signedIn = result.data!.signInWithCode;
      expect(signedIn.user).toEqual({
        id: expect.any(String),
        email: email.toLowerCase(),
        role: 'READER',
      });
      const { me } = await app.gqlOk(ME, {}, signedIn.token);
      expect(me.id).toBe(signedIn.user.id);
    });

    it('stores the code only as a keyed hash', async () => {
      const email = newEmail();
      const { code } = await codeFor(email);
      const rows = await app.sql<{ row: string; code_hash: string }>(
        `SELECT t::text AS row, code_hash FROM sign_in_tokens t WHERE email = $1`,
        [email],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.row).not.toContain(code);
      expect(rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
      const { createHash } = await import('node:crypto');
      expect(rows[0]!.code_hash).not.toBe(createHash('sha256').update(code).digest('hex'));
    });

    it('takes the code with spaces around or inside it, as people paste it', async () => {
      const email = newEmail();
      const from = client();
      const { code } = await codeFor(email, from);
      const spaced = ` ${code.slice(0, 3)} ${code.slice(3)} `;
      const result = await from.gql(SIGN_IN_WITH_CODE, { email, code: spaced });
      expect(result.errors).toBeUndefined();
    });

    it('refuses something that is not 6 digits as BAD_USER_INPUT on code, without counting a try', async () => {
      const email = newEmail();
      const from = client();
      const { code } = await codeFor(email, from);
      // A NUL byte never gets this far: the bad-bytes guard refuses it (bad-bytes suite).
      for (const bad of ['', '12345', '1234567', 'abcdef']) {
        const result = await from.gql(SIGN_IN_WITH_CODE, { email, code: bad });
        expect(result.data).toBeNull();
        expect(result.errors?.[0]?.extensions).toMatchObject(refusal);
      }
      const [row] = await app.sql(
        `SELECT failed_code_attempts FROM sign_in_tokens WHERE email = $1`,
        [email],
      );
      expect(row).toEqual({ failed_code_attempts: 0 });
      expect((await from.gql(SIGN_IN_WITH_CODE, { email, code })).errors).toBeUndefined();
    });

    it('lets a code be used once', async () => {
      const email = newEmail();
      const from = client();
      const { code } = await codeFor(email, from);
      expect((await from.gql(SIGN_IN_WITH_CODE, { email, code })).errors).toBeUndefined();
      const again = await from.gql(SIGN_IN_WITH_CODE, { email, code });
      expect(again.data).toBeNull();
      expect(again.errors?.[0]?.extensions).toMatchObject(refusal);
    });

    it('dies after five wrong tries: then even the right code asks for a new one', async () => {
      const email = newEmail();
      const from = client();
      const { code } = await codeFor(email, from);
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      for (let i = 0; i < 5; i += 1) {
        const result = await from.gql(SIGN_IN_WITH_CODE, { email, code: wrong });
        expect(result.errors?.[0]?.extensions).toMatchObject(refusal);
      }
      const right = await from.gql(SIGN_IN_WITH_CODE, { email, code });
      expect(right.data).toBeNull();
      expect(right.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/request a new code/),
        extensions: refusal,
      });
      expect(await app.sql(`SELECT id FROM users WHERE email = $1`, [email])).toEqual([]);
      // The link of that email still works: only the code died.
      const fresh = await codeFor(email, from);
      expect(
        (await from.gql(SIGN_IN_WITH_CODE, { email, code: fresh.code })).errors,
      ).toBeUndefined();
    });

    it('answers a wrong code, an unknown address, and an expired code alike', async () => {
      const email = newEmail();
      const from = client();
      const { code } = await codeFor(email, from);
      const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
      const wrongCode = await from.gql(SIGN_IN_WITH_CODE, { email, code: wrong });
      const unknown = await from.gql(SIGN_IN_WITH_CODE, { email: newEmail('nobody'), code });
      expect(wrongCode.data).toBeNull();
      expect(unknown).toEqual(wrongCode);

      app.clock.advance(16 * 60_000);
      const expired = await from.gql(SIGN_IN_WITH_CODE, { email, code });
      expect(expired).toEqual(wrongCode);
      expect(await app.sql(`SELECT id FROM users WHERE email = $1`, [email])).toEqual([]);
    });

    it('accepts a code until just before it expires', async () => {
      const email = newEmail();
      const from = client();
      const { code } = await codeFor(email, from);
      app.clock.advance(14 * 60_000);
      expect((await from.gql(SIGN_IN_WITH_CODE, { email, code })).errors).toBeUndefined();
    });

    it('using the link uses up the code, and using the code uses up the link', async () => {
      const first = newEmail();
      const from = client();
      const linkFirst = await codeFor(first, from);
      await app.gqlOk(SIGN_IN, { token: linkFirst.token });
      const codeAfter = await from.gql(SIGN_IN_WITH_CODE, { email: first, code: linkFirst.code });
      expect(codeAfter.errors?.[0]?.extensions).toMatchObject(refusal);

      const second = newEmail();
      const codeFirst = await codeFor(second, from);
      expect(
        (await from.gql(SIGN_IN_WITH_CODE, { email: second, code: codeFirst.code })).errors,
      ).toBeUndefined();
      const linkAfter = await app.gql(SIGN_IN, { token: codeFirst.token });
      expect(linkAfter.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('limits tries per address from a client, and per client, with RATE_LIMITED', async () => {
      const from = client();
      const email = newEmail();
      const tries = app.config.rateLimits.signInCodeTriesPerHour;
      expect(tries).toBe(10);
      for (let i = 0; i < tries; i += 1) {
        const result = await from.gql(SIGN_IN_WITH_CODE, { email, code: '000000' });
        expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
      const over = await from.gql(SIGN_IN_WITH_CODE, { email, code: '000000' });
      expect(over.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterSeconds: expect.any(Number),
      });

      // The same client, other addresses: the client's own allowance runs out too.
      const perClient = app.config.rateLimits.signInPerClientPerHour;
      let refused = 0;
      for (let i = tries + 1; i < perClient; i += 1) {
        const result = await from.gql(SIGN_IN_WITH_CODE, { email: newEmail(), code: '000000' });
        if (result.errors?.[0]?.extensions?.code === 'RATE_LIMITED') refused += 1;
      }
      expect(refused).toBe(0);
      const overClient = await from.gql(SIGN_IN_WITH_CODE, { email: newEmail(), code: '000000' });
      expect(overClient.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      // Another client is not affected.
      const other = await client().gql(SIGN_IN_WITH_CODE, { email, code: '000000' });
      expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('the return path', () => {
    it('rides on the link as return=, a path on this site', async () => {
      const email = newEmail();
      const from = clientAt(app);
      const sent = await from.gql(REQUEST_SIGN_IN_BACK, {
        email,
        returnTo: '/essays/designing-systems?prompt=1',
      });
      expect(sent).toEqual({ data: { requestSignIn: true } });
      const { mail, token } = await nextSignInMail(email);
      const link = new URL(/http:\/\/\S+\/sign-in\?\S+/.exec(mail.text ?? '')![0]);
      expect(link.searchParams.get('token')).toBe(token);
      expect(link.searchParams.get('return')).toBe('/essays/designing-systems?prompt=1');
      expect(mail.text).toContain(`&return=/essays/designing-systems%3Fprompt%3D1`);
    });

    it('is left off when not given', async () => {
      const email = newEmail();
      await clientAt(app).gql(REQUEST_SIGN_IN, { email });
      const { mail } = await nextSignInMail(email);
      expect(mail.text).not.toContain('return=');
    });

    it.each([
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      'essays/x',
      '/essays/x\r\nLocation: //evil.example',
    ])('refuses %j as BAD_USER_INPUT on returnTo, and sends nothing', async (returnTo) => {
      const email = newEmail();
      const before = app.smtp.messages.length;
      const result = await clientAt(app).gql(REQUEST_SIGN_IN_BACK, { email, returnTo });
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'returnTo',
      });
      expect(await app.sql(`SELECT id FROM sign_in_tokens WHERE email = $1`, [email])).toEqual([]);
      expect(app.smtp.messages.length).toBe(before);
    });
  });

  describe('the page the link opens', () => {
    it('shows a sign-in button and leaves the token unused, however often it is fetched', async () => {
      const email = newEmail();
      const token = await signInToken(email);
      for (let i = 0; i < 2; i += 1) {
        const page = await fetch(`${app.url}/sign-in?token=${token}`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/^text\/html/);
        const html = await page.text();
        expect(html).toMatch(/<form method="post" action="\/sign-in">/);
        expect(html).toContain(`<input type="hidden" name="token" value="${token}">`);
        expect(html).toMatch(/<button type="submit">/);
      }
      const [row] = await app.sql(`SELECT used_at FROM sign_in_tokens WHERE email = $1`, [email]);
      expect(row).toEqual({ used_at: null });
      const { signIn } = await app.gqlOk(SIGN_IN, { token });
      expect(signIn.user.email).toBe(email);
    });

    it('escapes whatever token the link carries', async () => {
      const page = await fetch(
        `${app.url}/sign-in?token=${encodeURIComponent('"><script>alert(1)</script>')}`,
      );
      const html = await page.text();
      expect(html).not.toContain('<script>');
      expect(html).toContain('&quot;&gt;&lt;script&gt;');
    });

    it('signs the reader in when the form is posted, once', async () => {
      const email = newEmail();
      const token = await signInToken(email);
      const post = () =>
        fetch(`${app.url}/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token }).toString(),
        });

      const response = await post();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const html = await response.text();
      expect(html).toContain('You are signed in');
      expect(html).toContain(email);
      const session = /<code data-session-token>([^<]+)<\/code>/.exec(html)?.[1];
      expect(session).toBeDefined();
      const { me } = await app.gqlOk(ME, {}, session);
      expect(me).toMatchObject({ email, role: 'READER' });

      const again = await post();
      expect(again.status).toBe(400);
      const failed = await again.text();
      expect(failed).toContain('Sign-in failed');
      expect(failed).not.toContain('data-session-token');
    });

    it('answers a post without a usable token with a page, not a server error', async () => {
      for (const body of ['', 'token=', 'token=short', `token=${'B'.repeat(43)}`]) {
        const response = await fetch(`${app.url}/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('Sign-in failed');
      }
    });

    it('does not fail when the browser sends an unrelated Authorization header', async () => {
      const email = newEmail();
      const token = await signInToken(email);
      const page = await fetch(`${app.url}/sign-in?token=${token}`, {
        headers: { authorization: 'Basic c3RhZ2luZzpzZWNyZXQ=' },
      });
      expect(page.status).toBe(200);
      const response = await fetch(`${app.url}/sign-in`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: 'Basic c3RhZ2luZzpzZWNyZXQ=',
        },
        body: new URLSearchParams({ token }).toString(),
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('You are signed in');
    });
  });

  // Last, because it moves the suite's clock a month on.
  it('ends a session after 30 days', async () => {
    const email = newEmail();
    const { signIn } = await app.gqlOk(SIGN_IN, { token: await signInToken(email) });
    app.clock.advance(29 * 86_400_000);
    expect((await app.gqlOk(ME, {}, signIn.token)).me.email).toBe(email);
    app.clock.advance(2 * 86_400_000);
    const expired = await app.gql(ME, {}, signIn.token);
    expect(expired.errors?.[0]).toMatchObject({
      message: 'The session has expired. Sign in again.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
