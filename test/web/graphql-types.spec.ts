// The committed web/shared/graphql-types.ts is what graphql-codegen makes of
// schema.gql and the documents in web/ now (like the schema.gql staleness test).
// Codegen runs in a child process (its plugins are loaded with a dynamic import
// that Jest's module sandbox refuses) and hands back its output without writing it.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '..', '..');
const GENERATED = join('web', 'shared', 'graphql-types.ts');
const STALE = `${GENERATED} is stale: run \`npm run codegen\` and commit the result.`;

const inMemory = `
  import { generate, loadContext } from '@graphql-codegen/cli';
  const outputs = await generate(await loadContext('codegen.ts'), false);
  process.stdout.write(JSON.stringify(outputs.map(({ filename, content }) => ({ filename, content }))));
`;

async function runCodegen(): Promise<{ filename: string; content: string }[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '--eval', inMemory],
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout);
}

describe('the committed GraphQL types of web/', () => {
  it('are what graphql-codegen generates from schema.gql and the documents', async () => {
    const outputs = await runCodegen();
    expect(outputs.map((output) => output.filename)).toEqual([GENERATED]);
    const committed = await readFile(join(root, GENERATED), 'utf8');
    if (outputs[0].content !== committed) throw new Error(STALE);
    expect(committed).toContain('export type ConversationQuery =');
  });
});
