import { GraphQLSchemaHost } from '@nestjs/graphql';
import { readFile } from 'node:fs/promises';
import { buildSdl, printSdl } from '../../src/graphql-schema.js';
import { startTestApp, type TestApp } from '../support/app.js';

const STALE = 'schema.gql is stale: run `npm run schema:print` and commit the result.';

describe('the committed schema.gql', () => {
  let app: TestApp;
  let committed: string;

  beforeAll(async () => {
    committed = await readFile('schema.gql', 'utf8');
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('is what the code generates', async () => {
    const generated = await buildSdl();
    if (generated !== committed) throw new Error(STALE);
    expect(generated).toContain('type Query');
  });

  it('is exactly the schema the running API serves', () => {
    const served = printSdl(app.platform.app.get(GraphQLSchemaHost).schema);
    if (served !== committed)
      throw new Error(`${STALE} (or a resolver is missing from apiResolvers)`);
    expect(served).toContain('importEssay(markdown: String!): Essay!');
  });
});
