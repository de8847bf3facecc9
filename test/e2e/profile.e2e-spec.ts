import pg from 'pg';
import { NeutralDisplayNames1796145959733 } from '../../migrations/1796145959733-neutral-display-names.js';
import { UsersService } from '../../src/users/users.service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase } from '../support/database.js';
import { given } from '../support/given.js';

const UPDATE_PROFILE = `mutation($displayName: String!) {
  updateProfile(displayName: $displayName) { id displayName displayNameChosen } }`;
const ME = `{ me { id displayName displayNameChosen } }`;
const RESPOND = `mutation($input: RespondInput!) { respond(input: $input) { id author { displayName } } }`;

describe('public names', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const nameOf = async (id: string) =>
    (
      await app.sql<{ display_name: string; display_name_chosen: boolean }>(
        `SELECT display_name, display_name_chosen FROM users WHERE id = $1`,
        [id],
      )
    )[0];

  it('a new reader has a neutral name, not from the email, until they choose one', async () => {
    const email = `jane.smith.${Date.now()}@corp.example`;
    const users = app.platform.app.get(UsersService);
    const { DataSource } = await import('typeorm');
    const reader = await users.findOrCreateReader(email, app.platform.app.get(DataSource).manager);
    expect(reader.displayName).toMatch(/^Reader \d{4}$/);
    expect(reader.displayName).not.toContain('jane');
    expect(reader.displayNameChosen).toBe(false);
  });

  it('updateProfile needs a session', async () => {
    const result = await app.gql(UPDATE_PROFILE, { displayName: 'Someone' });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('sets the name, trimmed, marks it chosen, and shows it on what the reader writes', async () => {
    const g = given(app);
    const reader = await g.reader();
    await app.sql(`UPDATE users SET display_name = 'Reader 1234' WHERE id = $1`, [reader.id]);
    expect((await app.gqlOk(ME, {}, reader.token)).me).toEqual({
      id: reader.id,
      displayName: 'Reader 1234',
      displayNameChosen: false,
    });

    const { updateProfile } = await app.gqlOk(
      UPDATE_PROFILE,
      { displayName: '  Jane Smith 👩‍💻  ' },
      reader.token,
    );
    expect(updateProfile).toEqual({
      id: reader.id,
      displayName: 'Jane Smith 👩‍💻',
      displayNameChosen: true,
    });
    expect((await app.gqlOk(ME, {}, reader.token)).me).toEqual(updateProfile);

    const author = await g.author();
    const essay = await g.publishedEssay(author, 'Names');
    const { respond } = await app.gqlOk(
      RESPOND,
      { input: { promptId: essay.prompts[0]!.id, body: 'Hello.' } },
      reader.token,
    );
    expect(respond.author).toEqual({ displayName: 'Jane Smith 👩‍💻' });
  });

  it.each([
    ['empty', ''],
    ['only spaces', '    '],
    ['61 characters', 'n'.repeat(61)],
    ['a newline', 'Jane\nSmith'],
    ['a tab', 'Jane\tSmith'],
    ['an escape', 'Jane\u001b[31m'],
    ['DEL', 'Jane\u007f'],
    ['a C1 control', 'Jane\u0085'],
    ['a right-to-left override', 'evil\u202erohtua'],
    ['a left-to-right embedding', 'a\u202ab'],
    ['a right-to-left embedding', 'a\u202bb'],
    ['a pop directional formatting', 'a\u202cb'],
    ['a left-to-right override', 'a\u202db'],
    ['a left-to-right isolate', 'a\u2066b'],
    ['a right-to-left isolate', 'a\u2067b'],
    ['a first-strong isolate', 'a\u2068b'],
    ['a pop directional isolate', 'a\u2069b'],
    ['a left-to-right mark', 'a\u200eb'],
    ['a right-to-left mark', 'a\u200fb'],
    ['a zero-width space', 'The\u200bauthor'],
    ['a byte-order mark', 'Ja\ufeffne'],
    ['a line separator', 'a\u2028b'],
  ])(
    'refuses a name with %s as BAD_USER_INPUT on displayName, and keeps the old one',
    async (_what, displayName) => {
      const reader = await given(app).reader();
      const before = await nameOf(reader.id);
      const result = await app.gql(UPDATE_PROFILE, { displayName }, reader.token);
      // No data: a NUL byte is refused before the operation runs, anything else by its resolver.
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'displayName',
      });
      expect(await nameOf(reader.id)).toEqual(before);
    },
  );

  it('refuses a NUL byte before the operation runs, naming $displayName, and keeps the old name', async () => {
    const reader = await given(app).reader();
    const before = await nameOf(reader.id);
    const result = await app.gql(UPDATE_PROFILE, { displayName: 'Jane\u0000' }, reader.token);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/\$displayName contains a NUL character/);
    expect(await nameOf(reader.id)).toEqual(before);
  });

  it('takes 60 characters, counted as people count them (an emoji is one)', async () => {
    const reader = await given(app).reader();
    const displayName = '🙂'.repeat(60);
    const { updateProfile } = await app.gqlOk(UPDATE_PROFILE, { displayName }, reader.token);
    expect(updateProfile.displayName).toBe(displayName);
  });

  it('the author made with a name keeps it; one made without gets a neutral name', async () => {
    const users = app.platform.app.get(UsersService);
    const stamp = Date.now();
    const named = await users.makeAuthor(`writer.${stamp}@example.test`, 'Ada Writer');
    expect(named).toMatchObject({ displayName: 'Ada Writer', displayNameChosen: true });
    const unnamed = await users.makeAuthor(`quiet.${stamp}@example.test`);
    expect(unnamed).toMatchObject({ displayName: 'The author', displayNameChosen: false });
    // --name follows updateProfile's rules: no text-direction tricks, at most 60.
    for (const bad of ['evil\u202Erohtua', 'x'.repeat(61), '  '])
      await expect(users.makeAuthor(`odd.${stamp}@example.test`, bad)).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
      });
    // Promoting again without a name keeps the chosen one.
    expect(await users.makeAuthor(`writer.${stamp}@example.test`)).toMatchObject({
      displayName: 'Ada Writer',
      displayNameChosen: true,
    });
  });
});

describe('the migration to neutral names', () => {
  it('replaces names equal to the email local part, and keeps names people chose', async () => {
    const database = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const runner = { query: (sql: string) => pool.query(sql) } as never;
    try {
      const migration = new NeutralDisplayNames1796145959733();
      await migration.down(runner);
      await pool.query(
        `INSERT INTO users (email, display_name, role) VALUES
         ('jane.smith@corp.example', 'jane.smith', 'READER'),
         ('boss@corp.example', 'boss', 'AUTHOR'),
         ('ada@corp.example', 'Ada Lovelace', 'AUTHOR'),
         ('sam@corp.example', 'Sam', 'READER')`,
      );
      await migration.up(runner);
      const { rows } = await pool.query(
        `SELECT email, display_name, display_name_chosen FROM users ORDER BY email`,
      );
      expect(rows).toEqual([
        { email: 'ada@corp.example', display_name: 'Ada Lovelace', display_name_chosen: true },
        { email: 'boss@corp.example', display_name: 'The author', display_name_chosen: false },
        {
          email: 'jane.smith@corp.example',
          display_name: expect.stringMatching(/^Reader \d{4}$/),
          display_name_chosen: false,
        },
        { email: 'sam@corp.example', display_name: 'Sam', display_name_chosen: true },
      ]);
    } finally {
      await pool.end();
      await database.drop();
    }
  });
});
