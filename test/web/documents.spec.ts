// Every GraphQL document the browser code sends is valid against schema.gql.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  extendSchema,
  isObjectType,
  Kind,
  parse,
  print,
  validate,
  type DocumentNode,
  type FieldDefinitionNode,
  type ObjectTypeExtensionNode,
} from 'graphql';
import * as conversation from '../../web/conversation/documents.js';

const root = join(import.meta.dirname, '..', '..');
const schema = buildSchema(readFileSync(join(root, 'schema.gql'), 'utf8'));
const expected = parse(
  readFileSync(join(root, 'web', 'conversation', 'expected-api.graphql'), 'utf8'),
);

// Arguments sorted: schema.gql is printed with sorted names.
const signature = (args: string[], type: string) => `(${args.sort().join(', ')}): ${type}`;
const typeOf = (field: FieldDefinitionNode) =>
  signature(
    (field.arguments ?? []).map((arg) => `${arg.name.value}: ${print(arg.type)}`),
    print(field.type),
  );

/** The expected fields schema.gql does not have yet; throws on one it has differently. */
function missingFromSchema(): DocumentNode {
  const definitions: ObjectTypeExtensionNode[] = [];
  for (const extension of expected.definitions as ObjectTypeExtensionNode[]) {
    const type = schema.getType(extension.name.value);
    if (!isObjectType(type)) throw new Error(`schema.gql has no type ${extension.name.value}`);
    const fields = (extension.fields ?? []).filter((field) => {
      const existing = type.getFields()[field.name.value];
      if (!existing) return true;
      const actual = signature(
        existing.args.map((arg) => `${arg.name}: ${arg.type}`),
        String(existing.type),
      );
      if (actual !== typeOf(field)) {
        throw new Error(
          `${type.name}.${field.name.value} is ${actual} in schema.gql but ${typeOf(field)} in expected-api.graphql`,
        );
      }
      return false;
    });
    if (fields.length > 0) definitions.push({ ...extension, fields });
  }
  return { kind: Kind.DOCUMENT, definitions };
}

const documents = Object.entries(conversation as Record<string, unknown>).filter(
  (entry): entry is [string, string] =>
    typeof entry[1] === 'string' && /^\s*(query|mutation|subscription)\b/.test(entry[1]),
);

describe('GraphQL documents in web/', () => {
  const target = extendSchema(schema, missingFromSchema());

  it('finds the documents', () => {
    expect(documents.length).toBeGreaterThanOrEqual(15);
  });

  it.each(documents)('%s is valid against schema.gql', (_name, source) => {
    expect(validate(target, parse(source)).map((error) => error.message)).toEqual([]);
  });

  it('the expected additions are used by some document', () => {
    for (const extension of expected.definitions as ObjectTypeExtensionNode[]) {
      for (const field of extension.fields ?? []) {
        const used = documents.some(([, source]) =>
          new RegExp(`\\b${field.name.value}\\b`).test(source),
        );
        expect([field.name.value, used]).toEqual([field.name.value, true]);
      }
    }
  });
});
