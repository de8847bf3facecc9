// Every GraphQL document the browser code sends is valid against schema.gql.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, parse, validate } from 'graphql';
import { limitExceeded, measureOperation } from '../../src/common/graphql/operation-limits.js';
import * as conversation from '../../web/conversation/documents.js';
import * as desk from '../../web/desk/documents.js';

const root = join(import.meta.dirname, '..', '..');
const schema = buildSchema(readFileSync(join(root, 'schema.gql'), 'utf8'));

const documents = Object.entries({
  ...(conversation as Record<string, unknown>),
  ...(desk as Record<string, unknown>),
}).filter(
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

  // The API measures an operation with its fragments expanded (a spread is no level).
  it.each(documents)('%s is within the API default depth and cost limits', (_name, source) => {
    const document = parse(source);
    const operation = document.definitions.find(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    if (!operation) throw new Error('no operation');
    const measure = measureOperation(schema, document, operation, {});
    expect(limitExceeded(measure, { maxDepth: 10, maxNodes: 10_000 })).toBeUndefined();
  });
});
