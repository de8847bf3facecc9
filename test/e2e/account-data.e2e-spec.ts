import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app.js';
import { RESPOND, REPLY, subscribeConfirmed, settled } from '../support/digests.js';
import { given, type GivenUser } from '../support/given.js';

const EXPORT = `query { exportMyData }`;
const DELETE = `mutation($confirm: String!, $mode: AccountDeletionMode) { deleteMyAccount(confirm: $confirm, mode: $mode) }`;
const RESPONSE = `query($id: ID!) { response(id: $id) { id body deletedAt author { id displayName } replies { edges { node { id body } } } } }`;

interface Person {
  id: string;
  email: string;
  token: string;
}

/**
 * Every row of every table (in every schema, so tables added later are
 * covered), cast to text, that mentions one of the needles in any case.
 */
async function rowsMentioning(app: TestApp, needles: string[]) {
  const tables = await app.sql<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  expect(tables.map((t) => t.table_name)).toEqual(
    expect.arrayContaining(['users', 'responses', 'deliveries']),
  );
  const found: string[] = [];
  for (const { table_schema, table_name } of tables) {
    const name = `"${table_schema}"."${table_name}"`;
    for (const needle of needles) {
      const [row] = await app.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${name} t WHERE strpos(lower(t::text), lower($1)) > 0`,
        [needle],
      );
      if (row!.n > 0) found.push(`${name} has ${row!.n} row(s) with ${needle}`);
    }
  }
  return found;
}

describe('a reader’s own data: export and erasure', () => {
  let app: TestApp;
  let author: GivenUser;
  let other: GivenUser;
  let essay: { id: string; prompts: { id: string }[] };

  beforeAll(async () => {
    app = await startTestApp({
      // Rate limits stay on (their counters name addresses and ids); posts one second apart.
      env: { RATE_RESPONSE_INTERVAL_SECONDS: '1' },
    });
    author = await given(app).author();
    other = await given(app).reader();
    essay = await given(app).publishedEssay(author, 'Keeping');
  });
  afterAll(() => app.close());

  /** A reader who signed in with an emailed code, as a browser would. */
  async function signedInReader(label: string): Promise<Person> {
    const email = `${label}-${randomBytes(4).toString('hex')}@example.test`;
    await app.gqlOk(`mutation($email: String!) { requestSignIn(email: $email) }`, {
      email: email.toUpperCase(),
    });
    const mail = await app.smtp.waitFor(
      (m) => (m.text ?? '').includes('sign') && JSON.stringify(m.to).includes(email),
    );
    const code = /^ {4}(\d{6})$/m.exec(mail.text ?? '')?.[1];
    const { signInWithCode } = await app.gqlOk<{
      signInWithCode: { token: string; user: { id: string } };
    }>(
      `mutation($email: String!, $code: String!) { signInWithCode(email: $email, code: $code) { token user { id } } }`,
      { email, code },
    );
    return { id: signInWithCode.user.id, email, token: signInWithCode.token };
  }

  async function respond(person: Person | GivenUser, body: string, visibility = 'PUBLIC') {
    app.clock.advance(1_100); // past the 1 s response interval, on the test clock the limits read
    return (
      await app.gqlOk<{ respond: { id: string } }>(
        RESPOND,
        { input: { promptId: essay.prompts[0]!.id, body, visibility } },
        person.token,
      )
    ).respond.id;
  }
  async function reply(person: Person | GivenUser, id: string, body: string) {
    app.clock.advance(1_100); // past the 1 s response interval, on the test clock the limits read
    return (await app.gqlOk<{ replyToResponse: { id: string } }>(REPLY, { id, body }, person.token))
      .replyToResponse.id;
  }

  /** Everything a reader can leave behind: returns the ids of what they wrote. */
  async function busyReader(label: string, name: string) {
    const person = await signedInReader(label);
    await app.gqlOk(
      `mutation($name: String!) { updateProfile(displayName: $name) { id } }`,
      { name },
      person.token,
    );
    const answered = await respond(person, `An answer by ${name}.`);
    await app.gqlOk(
      `mutation($id: ID!, $body: String!) { editResponse(id: $id, body: $body) { id } }`,
      { id: answered, body: `An edited answer by ${name}.` },
      person.token,
    );
    const lonely = await respond(person, `A private note by ${name}.`, 'PRIVATE');
    const othersReply = await reply(other, answered, `A reply by someone else (${label}).`);
    const authorsReply = await reply(author, answered, `The author answers (${label}).`);
    const othersResponse = await respond(other, `Another reader’s own answer (${label}).`);
    const theirReply = await reply(person, othersResponse, `${name} replies elsewhere.`);
    await app.gqlOk(
      `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { id } }`,
      {
        input: {
          essayId: essay.id,
          message: 'Count me in',
          building: 'A commons',
          contactEmail: person.email,
          consentToContact: true,
        },
      },
      person.token,
    );
    await subscribeConfirmed(app, {
      email: person.email,
      scope: 'ESSAY',
      essayId: essay.id,
      frequency: 'DAILY',
      timezone: 'UTC',
      sendHour: 7,
    });
    await settled(app);
    return { person, answered, lonely, othersReply, authorsReply, othersResponse, theirReply };
  }

  it('exportMyData: everything stored about the caller, as one JSON document, and as a download', async () => {
    const { person, answered, lonely, theirReply } = await busyReader('export', 'Ezra Export');
    const { exportMyData } = await app.gqlOk<{ exportMyData: Record<string, any> }>(
      EXPORT,
      {},
      person.token,
    );
    expect(exportMyData.profile).toMatchObject({
      id: person.id,
      email: person.email,
      displayName: 'Ezra Export',
      role: 'READER',
    });
    const responses = exportMyData.responses as Record<string, any>[];
    expect(responses.map((r) => r.id).sort()).toEqual([answered, lonely, theirReply].sort());
    expect(responses.find((r) => r.id === answered)).toMatchObject({
      kind: 'response',
      body: 'An edited answer by Ezra Export.',
      edits: [expect.objectContaining({ body: 'An answer by Ezra Export.' })],
      essay: { id: essay.id, title: 'Keeping' },
    });
    expect(responses.find((r) => r.id === lonely)).toMatchObject({ visibility: 'PRIVATE' });
    expect(responses.find((r) => r.id === theirReply)).toMatchObject({
      kind: 'reply',
      body: 'Ezra Export replies elsewhere.',
    });
    expect(exportMyData.collaboratorOffers).toEqual([
      expect.objectContaining({
        essayId: essay.id,
        contactEmail: person.email,
        building: 'A commons',
      }),
    ]);
    expect(exportMyData.subscriptions).toEqual([
      expect.objectContaining({ email: person.email, scope: 'ESSAY', status: 'CONFIRMED' }),
    ]);
    const kinds = (exportMyData.deliveries as { kind: string; state: string }[]).map((d) => d.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['SIGN_IN', 'SUBSCRIPTION_CONFIRM', 'REPLY_NOTICE']),
    );
    expect(Object.keys(exportMyData.deliveries[0]).sort()).toEqual([
      'createdAt',
      'kind',
      'sentAt',
      'state',
    ]);
    // Nothing of other people: not their words, not their addresses.
    const text = JSON.stringify(exportMyData);
    for (const foreign of [
      'A reply by someone else',
      'The author answers',
      'Another reader’s own answer',
      other.email,
      author.email,
    ]) {
      expect(text).not.toContain(foreign);
    }

    const bearer = await fetch(`${app.url}/account/export`, {
      headers: { authorization: `Bearer ${person.token}` },
    });
    expect(bearer.status).toBe(200);
    expect(bearer.headers.get('content-disposition')).toMatch(
      /^attachment; filename="rizom-my-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(bearer.headers.get('cache-control')).toBe('no-store');
    const downloaded = (await bearer.json()) as Record<string, any>;
    expect(downloaded.profile).toEqual(exportMyData.profile);
    expect(downloaded.responses).toEqual(exportMyData.responses);
    const cookie = await fetch(`${app.url}/account/export`, {
      headers: { cookie: `other=1; rizom_session=${person.token}` },
    });
    expect(cookie.status).toBe(200);
    expect(((await cookie.json()) as Record<string, any>).profile.id).toBe(person.id);
    for (const headers of [
      {},
      { authorization: 'Bearer not-a-token' },
      { cookie: 'rizom_session=forged' },
    ] as Record<string, string>[]) {
      const refused = await fetch(`${app.url}/account/export`, { headers });
      expect(refused.status).toBe(401);
    }
    const anonymous = await app.gql(EXPORT, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }, 120_000);

  it('deleteMyAccount refuses anything but the caller’s own address, changing nothing; the author cannot', async () => {
    const person = await signedInReader('refuse');
    const answered = await respond(person, 'Still here.');
    const before = await app.sql(
      `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM responses) AS responses`,
    );
    for (const confirm of [
      '',
      '   ',
      other.email,
      `Me <${person.email}>`,
      `${person.email}, ${other.email}`,
      `${person.email}x`,
      'not an address',
    ]) {
      const result = await app.gql(DELETE, { confirm, mode: 'ERASE' }, person.token);
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'confirm',
      });
    }
    const badMode = await app.gql(DELETE, { confirm: person.email, mode: 'SHRED' }, person.token);
    expect(badMode.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const asAuthor = await app.gql(DELETE, { confirm: author.email }, author.token);
    expect(asAuthor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await app.gql(DELETE, { confirm: person.email });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(
      await app.sql(
        `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM responses) AS responses`,
      ),
    ).toEqual(before);
    expect(
      (await app.gqlOk<{ response: { body: string } }>(RESPONSE, { id: answered }, person.token))
        .response.body,
    ).toBe('Still here.');
  }, 60_000);

  it('ERASE: the account, offers, subscriptions and sign-in tokens go; their responses go, one with replies stays as deleted; nothing personal remains in any table', async () => {
    const scene = await busyReader('erase', 'Erin Eraser');
    const { person } = scene;
    // They reported another reader's answer (it is in their export), then the author banned them.
    await app.gqlOk(
      `mutation($id: ID!) { reportResponse(id: $id, reason: PRIVACY, note: "Erin's own words") }`,
      { id: scene.othersResponse },
      person.token,
    );
    const { exportMyData } = await app.gqlOk<{ exportMyData: Record<string, any> }>(
      EXPORT,
      {},
      person.token,
    );
    expect(exportMyData.reports).toEqual([
      {
        id: expect.any(String),
        responseId: scene.othersResponse,
        reason: 'PRIVACY',
        note: "Erin's own words",
        status: 'OPEN',
        createdAt: expect.any(String),
        resolvedAt: null,
      },
    ]);
    await app.gqlOk(
      `mutation($id: ID!) { banReader(userId: $id, reason: "Too much", hideExisting: true) { hideExisting } }`,
      { id: person.id },
      author.token,
    );
    expect(
      (await app.gqlOk<{ exportMyData: Record<string, any> }>(EXPORT, {}, person.token))
        .exportMyData.auditLog,
    ).toEqual([expect.objectContaining({ action: 'READER_BANNED', after: expect.any(Object) })]);
    // An email decided for them but not sent yet.
    await app.sql(
      `INSERT INTO deliveries (kind, recipient, reason_key, user_id, state) VALUES ('REPLY_NOTICE', $1, 'pending-at-deletion', $2, 'PENDING')`,
      [person.email, person.id],
    );
    const ledgerBefore = (
      await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries`)
    )[0]!.n;
    const eventsBefore = (await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM events`))[0]!
      .n;
    expect(await rowsMentioning(app, [person.id, person.email])).not.toEqual([]);

    const done = await app.gqlOk(
      DELETE,
      { confirm: `  ${person.email.toUpperCase()} `, mode: 'ERASE' },
      person.token,
    );
    expect(done).toEqual({ deleteMyAccount: true });

    expect(
      await rowsMentioning(app, [person.id, person.email, 'Erin Eraser', "Erin's own words"]),
    ).toEqual([]);
    // The ban's audit row stays (the log is append-only), naming a keyed hash instead of them.
    const bans = await app.sql<{ subject_id: string; actor_id: string }>(
      `SELECT subject_id, actor_id FROM audit_log WHERE action = 'READER_BANNED'`,
    );
    expect(bans).toEqual([
      {
        subject_id: expect.stringMatching(/^erased:hmac-sha256:[0-9a-f]{64}$/),
        actor_id: author.id,
      },
    ]);
    // Their report is gone; the answer they reported is not.
    expect(
      await app.sql(`SELECT id FROM response_reports WHERE response_id = $1`, [
        scene.othersResponse,
      ]),
    ).toEqual([]);
    // The session is gone with the account.
    const me = await app.gql(`query { me { id } }`, {}, person.token);
    expect(me.data?.me ?? null).toBeNull();

    // Their response with others' replies keeps its place, as deleted; the replies stay.
    const kept = await app.gqlOk<{ response: Record<string, any> }>(
      RESPONSE,
      { id: scene.answered },
      author.token,
    );
    expect(kept.response).toMatchObject({ body: null, author: { displayName: 'A former reader' } });
    expect(kept.response.deletedAt).not.toBeNull();
    expect(kept.response.replies.edges.map((e: any) => e.node.id).sort()).toEqual(
      [scene.othersReply, scene.authorsReply].sort(),
    );
    // The rest of theirs is gone; the response they replied to is not.
    for (const id of [scene.lonely, scene.theirReply]) {
      const gone = await app.gql(RESPONSE, { id }, author.token);
      expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect(
      (
        await app.gqlOk<{ response: { body: string } }>(
          RESPONSE,
          { id: scene.othersResponse },
          author.token,
        )
      ).response.body,
    ).toBe('Another reader’s own answer (erase).');

    // The ledger keeps its rows (that is what proves nothing is sent twice), the pending one skipped.
    expect((await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries`))[0]!.n).toBe(
      ledgerBefore,
    );
    const [pending] = await app.sql<{ state: string; recipient: string }>(
      `SELECT state, recipient FROM deliveries WHERE reason_key = 'pending-at-deletion'`,
    );
    expect(pending!.state).toBe('SKIPPED');
    expect(pending!.recipient).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect((await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM events`))[0]!.n).toBe(
      eventsBefore,
    );

    // Deleting again with the old session: UNAUTHENTICATED, nothing more happens.
    const again = await app.gql(DELETE, { confirm: person.email }, person.token);
    expect(again.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  }, 120_000);

  it('ANONYMISE: their responses stay as "A former reader", and nothing personal remains in any table', async () => {
    const person = await signedInReader('anon');
    await app.gqlOk(
      `mutation { updateProfile(displayName: "Ana Nonymous") { id } }`,
      {},
      person.token,
    );
    const answered = await respond(person, 'Words that stay.');
    const replied = await reply(other, answered, 'And a reply to them.');
    await app.gqlOk(DELETE, { confirm: person.email, mode: 'ANONYMISE' }, person.token);

    expect(await rowsMentioning(app, [person.id, person.email, 'Ana Nonymous'])).toEqual([]);
    const { response } = await app.gqlOk<{ response: Record<string, any> }>(RESPONSE, {
      id: answered,
    });
    expect(response).toMatchObject({
      body: 'Words that stay.',
      deletedAt: null,
      author: { displayName: 'A former reader' },
    });
    expect(response.replies.edges.map((e: any) => e.node.id)).toEqual([replied]);
  }, 60_000);
});
