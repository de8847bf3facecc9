import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { clientAt } from '../support/clients.js';
import { SUBSCRIBE } from '../support/digests.js';
import { given, type GivenUser } from '../support/given.js';

const REQUEST_SIGN_IN = `mutation($email: String!) { requestSignIn(email: $email) }`;
const SIGN_IN_WITH_CODE = `mutation($email: String!, $code: String!) {
  signInWithCode(email: $email, code: $code) { token } }`;
const EXPRESS = `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id contactEmail } }`;

/** Everything but a single plain address: each is refused wherever an address enters. */
const BAD_ADDRESSES: [string, string][] = [
  ['a display name', 'x<victim@example.org>'],
  ['a quoted display name', '"Victim" <victim@example.org>'],
  ['angle brackets alone', '<victim@example.org>'],
  ['a comment before', '(c)victim@example.org'],
  ['a comment after', 'victim@example.org(c)'],
  ['a list with a comma', 'a@b.example,c'],
  ['a list of two', 'a@b.example, victim@example.org'],
  ['a list with a semicolon', 'a@b.example;x'],
  ['a quoted local part', '"victim"@example.org'],
  ['a quote at the end', 'victim@example.org"'],
  ['a space inside', 'vic tim@example.org'],
  ['a tab inside', 'victim\t@example.org'],
  ['a header injection', 'victim@example.org\r\nBcc: all@example.org'],
  ['a newline at the end', 'victim@example.org\n'],
  ['a NUL byte', 'victim\u0000@example.org'],
  ['a DEL', 'victim@example.org\u007f'],
  ['a zero-width space', 'victim@example.org\u200b'],
  ['two @', 'two@at@example.org'],
  ['no domain dot', 'a@b'],
  ['no @', 'not-an-email'],
  ['nothing', ''],
  ['an address literal', 'victim@[127.0.0.1]'],
  ['source routing', 'a%victim@example.org'],
  ['a backslash', 'a\\b@example.org'],
  ['too long', `${'a'.repeat(250)}@example.org`],
];

type Entry = 'requestSignIn' | 'signInWithCode' | 'expressInterest' | 'subscribe';
const ENTRIES: [Entry, string][] = [
  ['requestSignIn', 'email'],
  ['signInWithCode', 'email'],
  ['expressInterest', 'contactEmail'],
  ['subscribe', 'email'],
];

describe('one address, one spelling', () => {
  let app: TestApp;
  let reader: GivenUser;
  let essayId: string;

  beforeAll(async () => {
    app = await startTestApp();
    const g = given(app);
    const author = await g.author();
    reader = await g.reader();
    essayId = (await g.publishedEssay(author, 'Addresses')).id;
  });
  afterAll(() => app.close());

  const attempt = (entry: Entry, address: string, from = clientAt(app)): Promise<GraphQLResult> => {
    switch (entry) {
      case 'requestSignIn':
        return from.gql(REQUEST_SIGN_IN, { email: address });
      case 'signInWithCode':
        return from.gql(SIGN_IN_WITH_CODE, { email: address, code: '123456' });
      case 'expressInterest':
        return from.gql(
          EXPRESS,
          {
            input: {
              essayId,
              message: 'Let us work together.',
              building: 'A seed library',
              contactEmail: address,
              consentToContact: true,
            },
          },
          reader.token,
        );
      case 'subscribe':
        return from.gql(SUBSCRIBE, { input: { email: address } });
    }
  };

  /** What a refused attempt must leave as it was. */
  const written = async () =>
    (
      await app.sql(
        `SELECT (SELECT count(*)::int FROM sign_in_tokens) AS tokens,
                (SELECT count(*)::int FROM collaborator_interests) AS interests,
                (SELECT count(*)::int FROM digest_subscriptions) AS subscriptions,
                (SELECT count(*)::int FROM deliveries) AS deliveries,
                (SELECT count(*)::int FROM users) AS users`,
      )
    )[0];

  describe.each(ENTRIES)('%s', (entry, field) => {
    it.each(BAD_ADDRESSES)(
      `refuses %s as BAD_USER_INPUT on ${field}, and writes and sends nothing`,
      async (_what, address) => {
        const before = await written();
        const mails = app.smtp.messages.length;
        const result = await attempt(entry, address);
        expect(result.data ?? null).toBeNull();
        // A NUL byte is refused before the operation runs (the bad-bytes guard), naming the variable.
        expect(result.errors?.[0]?.extensions).toEqual(
          address.includes('\u0000')
            ? { code: 'BAD_USER_INPUT' }
            : { code: 'BAD_USER_INPUT', field },
        );
        expect(await written()).toEqual(before);
        expect(app.smtp.messages.length).toBe(mails);
      },
    );
  });

  it('stores every spelling of one address as one: case, spaces, an IDN domain', async () => {
    const from = clientAt(app);
    for (const spelling of ['  Jane@Bücher.Example ', 'jane@xn--bcher-kva.example']) {
      expect((await attempt('requestSignIn', spelling, from)).errors).toBeUndefined();
      expect((await attempt('subscribe', spelling, from)).errors).toBeUndefined();
    }
    const tokens = await app.sql(
      `SELECT DISTINCT email FROM sign_in_tokens WHERE email LIKE 'jane@%'`,
    );
    expect(tokens).toEqual([{ email: 'jane@xn--bcher-kva.example' }]);
    const subscriptions = await app.sql(
      `SELECT email FROM digest_subscriptions WHERE email LIKE 'jane@%'`,
    );
    expect(subscriptions).toEqual([{ email: 'jane@xn--bcher-kva.example' }]);

    const offer = await attempt('expressInterest', ' Offers@Example.ORG ');
    expect(offer.errors).toBeUndefined();
    expect(offer.data!.expressInterest.contactEmail).toBe('offers@example.org');
  });

  it('counts rate limits by the normalised address, however it is spelled', async () => {
    const from = clientAt(app);
    const spellings = [
      'Limit@Bücher.Example',
      'limit@xn--bcher-kva.example',
      ' LIMIT@BÜCHER.EXAMPLE ',
      'limit@bücher.example',
      'Limit@Xn--Bcher-Kva.Example',
    ];
    for (const spelling of spellings) {
      expect(await attempt('requestSignIn', spelling, from)).toEqual({
        data: { requestSignIn: true },
      });
    }
    const sixth = await attempt('requestSignIn', 'limit@BÜCHER.example', from);
    expect(sixth.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});
