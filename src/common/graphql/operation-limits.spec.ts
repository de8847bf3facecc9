import { readFileSync } from 'node:fs';
import { buildSchema, getOperationAST, parse } from 'graphql';
import { badBytes, limitExceeded, measureOperation } from './operation-limits.js';

const schema = buildSchema(readFileSync('schema.gql', 'utf8'));

function measure(query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  return measureOperation(schema, document, getOperationAST(document)!, variables);
}

describe('measureOperation', () => {
  it("counts an essay's page: 5 prompts, 50 responses each, 10 replies each", () => {
    const page = measure(`{ essay(slug: "x") { prompts { responses(first: 50) {
      pageInfo { hasNextPage } edges { node { author { id } replies(first: 10) { edges { node { id author { id } } } } } }
    } } } }`);
    expect(page.nodes).toBe(5 + 5 * 50 + 5 * 50 * 10);
  });

  it('counts a connection by its default page size when `first` is left out', () => {
    expect(measure('{ essays { edges { node { id } } } }').nodes).toBe(20);
    expect(measure('query($n: Int) { essays(first: $n) { edges { cursor } } }', {}).nodes).toBe(20);
    expect(measure('query($n: Int = 7) { essays(first: $n) { edges { cursor } } }').nodes).toBe(7);
  });

  it('counts anything the resolver would refuse as a full page', () => {
    for (const first of ['1000', '-5', 'null']) {
      const nodes = measure(`{ essays(first: ${first}) { edges { cursor } } }`).nodes;
      expect(nodes).toBe(first === '-5' ? 0 : 100);
    }
    expect(
      measure('query($n: Int) { essays(first: $n) { pageInfo { hasNextPage } } }', { n: 'x' })
        .nodes,
    ).toBe(100);
  });

  it('counts no introspection and no scalar lists', () => {
    expect(measure('{ __schema { types { fields { args { name } } } } }')).toMatchObject({
      nodes: 0,
      depth: 0,
    });
    expect(measure('{ essays(first: 2) { edges { node { tags entityIds } } } }').nodes).toBe(2);
  });

  it('measures each fragment once, however often a chain of spreads repeats it', () => {
    const spreads = Array.from(
      { length: 30 },
      (_, i) => `fragment f${i} on Essay { ...f${i + 1} ...f${i + 1} }`,
    ).join('\n');
    const started = Date.now();
    const result = measure(
      `{ essays(first: 1) { edges { node { ...f0 } } } } ${spreads} fragment f30 on Essay { a: id }`,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.aliases).toBe(2 ** 30);
    expect(limitExceeded(result, { maxDepth: 10, maxNodes: 10_000 })).toMatch(/aliases/);
  });

  it('reports depth first, then aliases, root fields and nodes', () => {
    const limits = { maxDepth: 3, maxNodes: 10 };
    expect(limitExceeded({ nodes: 11, depth: 4, aliases: 31, rootFields: 31 }, limits)).toMatch(
      /depth/,
    );
    expect(limitExceeded({ nodes: 11, depth: 3, aliases: 31, rootFields: 31 }, limits)).toMatch(
      /aliases/,
    );
    expect(limitExceeded({ nodes: 11, depth: 3, aliases: 30, rootFields: 31 }, limits)).toMatch(
      /root fields/,
    );
    expect(limitExceeded({ nodes: 11, depth: 3, aliases: 30, rootFields: 30 }, limits)).toMatch(
      /fetch 11 nodes; the limit is 10/,
    );
    expect(
      limitExceeded({ nodes: 10, depth: 3, aliases: 30, rootFields: 30 }, limits),
    ).toBeUndefined();
  });
});

describe('badBytes', () => {
  const document = parse('{ __typename }');

  it('finds a NUL anywhere in the variables, and names where', () => {
    expect(badBytes(document, { input: { labels: ['ok', 'a\u0000'] } })).toEqual({
      message: expect.stringMatching(/^\$input\.labels\[1\] contains a NUL/),
      field: 'labels',
    });
    expect(badBytes(document, { 'a\u0000': 1 })?.message).toMatch(/NUL/);
    expect(
      badBytes(document, { input: { body: 'fine', n: 1, ok: true, none: null } }),
    ).toBeUndefined();
    expect(badBytes(document, undefined)).toBeUndefined();
  });

  it('names the argument a variable is passed as', () => {
    const signIn = parse('mutation($e: String!) { requestSignIn(email: $e) }');
    expect(badBytes(signIn, { e: 'a\u0000@example.test' })?.field).toBe('email');
  });

  it('finds a NUL in a string literal of the document', () => {
    expect(badBytes(parse('{ essay(slug: "a\\u0000") { id } }'), {})).toEqual({
      message: expect.stringMatching(/string in the operation/),
      field: 'slug',
    });
    expect(badBytes(parse('{ essay(slug: "a\\\\u0000") { id } }'), {})).toBeUndefined();
  });

  it('allows variables ten levels deep, not eleven', () => {
    const nested = (levels: number): unknown => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i += 1) value = [value];
      return value;
    };
    expect(badBytes(document, { v: nested(10) })).toBeUndefined();
    expect(badBytes(document, { v: nested(11) })?.message).toMatch(
      /nested at most 10 deep; \$v(\[0\]){10} is deeper/,
    );
  });
});
