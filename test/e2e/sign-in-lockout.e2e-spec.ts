import type { ParsedMail } from 'mailparser';
import { startTestApp, type TestApp } from '../support/app.js';
import { clientAt } from '../support/clients.js';
import { eventually } from '../support/given.js';

const REQUEST_SIGN_IN = `mutation($email: String!) { requestSignIn(email: $email) }`;
const SIGN_IN = `mutation($token: String!) { signIn(token: $token) { user { email } } }`;
const SIGN_IN_WITH_CODE = `mutation($email: String!, $code: String!) {
  signInWithCode(email: $email, code: $code) { user { email } } }`;

describe('no lockout by someone else', () => {
  let app: TestApp;
  const victim = 'victim@example.test';

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const mailsToVictim = () =>
    app.smtp.messages.filter((mail) =>
      [mail.to ?? []].flat().some((to) => to.value.some((a) => a.address === victim)),
    );
  const decided = async () =>
    (
      await app.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM deliveries WHERE recipient = $1 AND kind = 'SIGN_IN'`,
        [victim],
      )
    )[0]!.n;
  /** Waits until every decided email reached the inbox; answers the newest. */
  const newestMail = async (): Promise<ParsedMail> => {
    const count = await decided();
    await eventually(
      async () => mailsToVictim().length,
      (n) => n >= count,
    );
    expect(mailsToVictim()).toHaveLength(count);
    return mailsToVictim().at(-1)!;
  };
  const tokenIn = (mail: ParsedMail) => /\/sign-in\?token=([\w-]+)/.exec(mail.text ?? '')![1]!;
  const codeIn = (mail: ParsedMail) => /^ {4}(\d{6})$/m.exec(mail.text ?? '')![1]!;

  it('five requests from an attacker leave the owner, from another client, a working link and code', async () => {
    const attacker = clientAt(app);
    for (let i = 0; i < 5; i += 1) {
      expect(await attacker.gql(REQUEST_SIGN_IN, { email: victim })).toEqual({
        data: { requestSignIn: true },
      });
    }
    const sixth = await attacker.gql(REQUEST_SIGN_IN, { email: victim });
    expect(sixth.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');

    const owner = clientAt(app);
    expect(await owner.gql(REQUEST_SIGN_IN, { email: victim })).toEqual({
      data: { requestSignIn: true },
    });
    expect(await decided()).toBe(6);
    const mail = await newestMail();
    const signedIn = await owner.gql(SIGN_IN, { token: tokenIn(mail) });
    expect(signedIn.data?.signIn.user.email).toBe(victim);

    // And the code of a fresh email works from the owner's client too.
    expect((await owner.gql(REQUEST_SIGN_IN, { email: victim })).errors).toBeUndefined();
    const next = await newestMail();
    const byCode = await owner.gql(SIGN_IN_WITH_CODE, { email: victim, code: codeIn(next) });
    expect(byCode.data?.signInWithCode.user.email).toBe(victim);
  });

  it('many clients cannot flood the inbox: past the cap, one email per 5 minutes, and the newest works', async () => {
    const cap = app.config.rateLimits.signInMailsPerEmailPerHour;
    expect(cap).toBe(20);
    // Fill the address's hour from fresh clients, five each.
    while ((await decided()) < cap) {
      const client = clientAt(app);
      for (let i = 0; i < 5 && (await decided()) < cap; i += 1) {
        expect((await client.gql(REQUEST_SIGN_IN, { email: victim })).errors).toBeUndefined();
      }
    }
    expect(await decided()).toBe(cap);

    // Past the cap: the answer is the same, but only the first request in the window sends.
    for (let i = 0; i < 4; i += 1) {
      expect(await clientAt(app).gql(REQUEST_SIGN_IN, { email: victim })).toEqual({
        data: { requestSignIn: true },
      });
    }
    expect(await decided()).toBe(cap + 1);

    // The owner asks now: nothing new is sent, but the newest email in the inbox works.
    const owner = clientAt(app);
    expect(await owner.gql(REQUEST_SIGN_IN, { email: victim })).toEqual({
      data: { requestSignIn: true },
    });
    expect(await decided()).toBe(cap + 1);
    const newest = await newestMail();
    expect(
      (await owner.gql(SIGN_IN_WITH_CODE, { email: victim, code: codeIn(newest) })).errors,
    ).toBeUndefined();

    // The next window sends again.
    app.clock.advance(5 * 60_000);
    expect((await owner.gql(REQUEST_SIGN_IN, { email: victim })).errors).toBeUndefined();
    expect(await decided()).toBe(cap + 2);
    const later = await newestMail();
    expect((await owner.gql(SIGN_IN, { token: tokenIn(later) })).errors).toBeUndefined();
  });
});
