import { DataSource } from 'typeorm';
import { entityRowMapper } from '../../src/database/entity-rows.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { given } from '../support/given.js';

/*
 * The hot read paths map `SELECT *` rows to entities themselves
 * (src/database/entity-rows.ts), copying most columns straight across. Every
 * entity, on real rows, must come out exactly as TypeORM's own find builds it.
 */
describe('entities mapped from plain rows', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
    const scene = given(app);
    const author = await scene.author();
    const reader = await scene.reader();
    const essay = await scene.publishedEssay(author);
    const { respond } = await app.gqlOk<{ respond: { id: string } }>(
      `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
      { input: { promptId: essay.prompts[0]!.id, body: 'A *first* answer.' } },
      reader.token,
    );
    await app.gqlOk(
      `mutation($id: ID!) { replyToResponse(responseId: $id, body: "A reply") { id } }`,
      { id: respond.id },
      author.token,
    );
  }, 60_000);

  afterAll(() => app?.close());

  it('equal what TypeORM hydrates, for every entity with rows', async () => {
    const dataSource = app.platform.app.get(DataSource);
    const compared: string[] = [];
    for (const metadata of dataSource.entityMetadatas) {
      if (metadata.tableType !== 'regular' || metadata.primaryColumns.length === 0) continue;
      const rows = await dataSource.query<Record<string, unknown>[]>(
        `SELECT * FROM ${dataSource.driver.escape(metadata.tableName)} LIMIT 20`,
      );
      if (rows.length === 0) continue;
      const toEntity = entityRowMapper<Record<string, unknown>>(dataSource, metadata.target);
      for (const row of rows) {
        const key = Object.fromEntries(
          metadata.primaryColumns.map((column) => [column.propertyName, row[column.databaseName]]),
        );
        const expected = await dataSource.getRepository(metadata.target).findOneByOrFail(key);
        const mapped = toEntity(row);
        // A column TypeORM leaves out of finds (`select: false`) is mapped when the row has it.
        for (const column of metadata.columns.filter((c) => !c.isSelect)) {
          expect(mapped[column.propertyName]).toBeDefined();
          delete mapped[column.propertyName];
        }
        expect(mapped).toBeInstanceOf(metadata.target as new () => unknown);
        expect(mapped).toStrictEqual(expected);
      }
      compared.push(metadata.tableName);
    }
    expect(compared).toEqual(
      expect.arrayContaining(['users', 'essays', 'prompts', 'responses', 'events']),
    );
  });
});
