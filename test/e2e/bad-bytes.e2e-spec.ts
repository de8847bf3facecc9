import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { encodeCursor } from '../../src/common/pagination.js';
import { startTestApp, type GraphQLResult, type TestApp } from '../support/app.js';
import { given, type GivenUser } from '../support/given.js';

const schema = buildSchema(readFileSync('schema.gql', 'utf8'));
const NUL = 'a\u0000b';
const SOME_ID = '00000000-0000-4000-8000-000000000000';

/** A plausible value of `type`: required input fields filled in, optional ones left out. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type) && field.defaultValue === undefined)
        .map((field) => [field.name, sample(field.type)]),
    );
  }
  const scalars: Record<string, unknown> = {
    String: 'x',
    ID: SOME_ID,
    Int: 1,
    Float: 1,
    Boolean: true,
    DateTime: '2026-01-01T00:00:00Z',
    JSONObject: {},
  };
  return scalars[type.name];
}

/** Every path to a String or ID inside a value of `type`, e.g. `input.labels[0]`. */
function stringPaths(type: GraphQLInputType, path: (string | number)[]): (string | number)[][] {
  if (isNonNullType(type)) return stringPaths(type.ofType, path);
  if (isListType(type)) return stringPaths(type.ofType, [...path, 0]);
  if (isInputObjectType(type)) {
    return Object.values(type.getFields()).flatMap((field) =>
      stringPaths(field.type, [...path, field.name]),
    );
  }
  return type.name === 'String' || type.name === 'ID' ? [path] : [];
}

function withValueAt(target: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container: any = Array.isArray(target)
    ? [...target]
    : typeof head === 'number'
      ? []
      : { ...(target as object) };
  container[head!] = withValueAt(container[head!], rest, value);
  return container;
}

interface Probe {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

/** One operation per string anywhere in the arguments of every query and mutation. */
function probes(): Probe[] {
  const result: Probe[] = [];
  for (const [keyword, root] of [
    ['query', schema.getQueryType()!],
    ['mutation', schema.getMutationType()!],
  ] as const) {
    for (const field of Object.values(root.getFields()) as GraphQLField<unknown, unknown>[]) {
      const selection = isCompositeType(getNamedType(field.type)) ? '{ __typename }' : '';
      const declarations = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
      const call = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
      const query = `${keyword} Probe(${declarations}) { ${field.name}(${call}) ${selection} }`;
      const base = Object.fromEntries(
        field.args
          .filter((arg) => isNonNullType(arg.type))
          .map((arg) => [arg.name, sample(arg.type)]),
      );
      for (const arg of field.args) {
        for (const path of stringPaths(arg.type, [arg.name])) {
          result.push({
            name: `${field.name}(${path.join('.')})`,
            query,
            variables: withValueAt(base, path, NUL) as Record<string, unknown>,
          });
        }
        if (getNamedType(arg.type).name === 'String' && !isListType(arg.type)) {
          // The same as a literal in the document ("\u0000" is a valid GraphQL escape).
          const others = field.args.filter((other) => other !== arg);
          const otherDeclarations = others.map((o) => `$${o.name}: ${String(o.type)}`).join(', ');
          const literal = `${keyword} Probe${otherDeclarations ? `(${otherDeclarations})` : ''} {
            ${field.name}(${[`${arg.name}: "a\\u0000b"`, ...others.map((o) => `${o.name}: $${o.name}`)].join(', ')}) ${selection}
          }`;
          const { [arg.name]: _dropped, ...rest } = base;
          result.push({
            name: `${field.name}(${arg.name}) literal`,
            query: literal,
            variables: rest,
          });
        }
      }
    }
  }
  return result;
}

describe('bad bytes are the caller’s error', () => {
  let app: TestApp;
  let author: GivenUser;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMITS: 'off' } });
    author = await given(app).author();
  });
  afterAll(() => app.close());

  function expectBadInput(result: GraphQLResult, message: RegExp): void {
    expect(result.errors?.length).toBeGreaterThan(0);
    for (const error of result.errors ?? []) {
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(message);
    }
    expect(JSON.stringify(result)).not.toMatch(/stacktrace|INTERNAL_SERVER_ERROR/);
  }

  const table = probes();

  it('walks the whole schema: dozens of string arguments, queries and mutations', () => {
    expect(table.length).toBeGreaterThan(40);
    const names = table.map((probe) => probe.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'essay(slug)',
        'requestSignIn(email)',
        'respond(input.body)',
        'subscribe(input.email)',
        'reviewResponse(input.labels.0)',
        'reviewQueue(filter.search)',
        'essays(after)',
        'importEssay(markdown) literal',
      ]),
    );
  });

  it.each(table.map((probe) => [probe.name, probe] as const))(
    'a NUL byte in %s is BAD_USER_INPUT',
    async (_name, probe) => {
      for (const token of [undefined, author.token]) {
        expectBadInput(await app.gql(probe.query, probe.variables, token), /NUL character/);
      }
    },
  );

  it('refuses variables nested deeper than 10, however deep', async () => {
    const query = `mutation($input: ReviewResponseInput!) { reviewResponse(input: $input) { id } }`;
    // Written by hand: JSON.stringify itself overflows on the deepest.
    const post = async (lists: number): Promise<GraphQLResult> => {
      const labels = `${'['.repeat(lists)}"leaf"${']'.repeat(lists)}`;
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${author.token}` },
        body: `{"query":${JSON.stringify(query)},"variables":{"input":{"id":"${SOME_ID}","labels":${labels}}}}`,
      });
      expect(response.status).toBe(400);
      return (await response.json()) as GraphQLResult;
    };
    for (const lists of [10, 1_000, 100_000])
      expectBadInput(await post(lists), /nested at most 10 deep/);
    // The input object and nine lists inside it are ten levels: through to the usual checks.
    const fine = await app.gql(
      query,
      { input: { id: SOME_ID, labels: [[[[[[[[['leaf']]]]]]]]] } },
      author.token,
    );
    expect(fine.errors?.[0]?.message).not.toMatch(/nested/);
    expect(JSON.stringify(fine)).not.toMatch(/INTERNAL_SERVER_ERROR/);
  });

  it('refuses cursors for year 0000 (or 10000) on every connection', async () => {
    const essay = await given(app).publishedEssay(author);
    const reader = await given(app).reader();
    const responded = await app.gqlOk<{ respond: { id: string } }>(
      `mutation($input: RespondInput!) { respond(input: $input) { id } }`,
      { input: { promptId: essay.prompts[0]!.id, body: 'A first answer.' } },
      reader.token,
    );
    const connections = [
      `query($after: String) { essays(after: $after) { edges { cursor } } }`,
      `query($after: String) { reviewQueue(after: $after) { edges { cursor } } }`,
      `query($after: String) { collaboratorInterests(after: $after) { edges { cursor } } }`,
      `query($after: String) { me { interests(after: $after) { edges { cursor } } } }`,
      `query($after: String) { prompt(id: "${essay.prompts[0]!.id}") { responses(after: $after) { edges { cursor } } } }`,
      `query($after: String) { response(id: "${responded.respond.id}") { replies(after: $after) { edges { cursor } } } }`,
    ];
    for (const key of ['0000-01-01T00:00:00.000000', '10000-01-01T00:00:00.000000']) {
      const after = encodeCursor({ key, id: SOME_ID });
      for (const query of connections) {
        expectBadInput(await app.gql(query, { after }, author.token), /cursor/);
      }
    }
    // Year 1 is a real (if early) timestamp: an empty page, not an error.
    const early = encodeCursor({ key: '0001-01-01T00:00:00.000000', id: SOME_ID });
    const result = await app.gql(connections[0]!, { after: early }, author.token);
    expect(result.errors).toBeUndefined();
  });

  it('refuses malformed RELEVANCE cursors in the review queue', async () => {
    const query = `query($after: String) {
      reviewQueue(filter: { search: "answer" }, order: RELEVANCE, after: $after) { edges { cursor } }
    }`;
    for (const key of [
      '',
      ' ',
      'abc',
      '0x10',
      'NaN',
      'Infinity',
      '1e39',
      '1e-50',
      '-1',
      '1 ',
      '2026-01-01',
    ]) {
      const after = encodeCursor({ key, id: SOME_ID });
      expectBadInput(await app.gql(query, { after }, author.token), /cursor/);
    }
    for (const key of ['0', '0.0607927', '6.07927e-05', '1']) {
      const after = encodeCursor({ key, id: SOME_ID });
      expect((await app.gql(query, { after }, author.token)).errors).toBeUndefined();
    }
  });
});
