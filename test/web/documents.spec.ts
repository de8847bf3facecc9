// Every GraphQL document the browser code sends is valid against schema.gql.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import * as conversation from '../../web/conversation/documents.js';

const root = join(import.meta.dirname, '..', '..');
const schema = buildSchema(readFileSync(join(root, 'schema.gql'), 'utf8'));

const documents = Object.entries(conversation as Record<string, unknown>).filter(
  (entry): entry is [string, string] =>
    typeof entry[1] === 'string' && /^\s*(query|mutation|subscription)\b/.test(entry[1]),
);

describe('GraphQL documents in web/', () => {
  it('finds the documents', () => {
    expect(documents.length).toBeGreaterThanOrEqual(15);
  });

  it.each(documents)('%s is valid against schema.gql', (_name, source) => {
    expect(validate(schema, parse(source)).map((error) => error.message)).toEqual([]);
  });
});
