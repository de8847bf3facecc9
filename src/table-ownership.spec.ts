import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const src = dirname(fileURLToPath(import.meta.url));

/*
 * Each feature owns its tables (README, "Developing"): only the folder whose
 * `*.entity.ts` declares a table (`@Entity('name')`) writes that table's name in
 * SQL or imports its entity. Other folders call the owner's read methods, or, where
 * one statement must span features (a keyset page, a filter), splice in a named
 * SQL fragment the owner exports (`interestExistsSql`, `publicDisplayNameSql`…).
 *
 * This scans every non-spec `.ts` file under a folder of src/: the SQL in its
 * string and template literals (FROM, JOIN, INTO, UPDATE, TABLE followed by a
 * table name, and the comma-joined tables of a FROM list), query-builder calls
 * naming a table (`.from('users', …)`), and other folders' entity classes used as
 * a table handle (`getRepository(UserEntity)`, `new EventEntity()`).
 */

/** Files allowed to name others' tables, each with the reason. Keep this short. */
const EXEMPT = new Map<string, string>([
  [
    join('database', 'entities.ts'),
    'the entity list the app and the migrations CLI share (entities.spec.ts proves it complete)',
  ],
]);

export type Finding = { file: string; table: string; owner: string; how: string };

/** Table name → the folder of src/ whose `*.entity.ts` declares it. */
export async function tableOwners(files: string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  for (const file of files.filter((name) => name.endsWith('.entity.ts'))) {
    const source = await readFile(join(src, file), 'utf8');
    for (const [, table] of source.matchAll(/@Entity\(\s*['"]([a-z0-9_]+)['"]/g)) {
      owners.set(table!, file.split(sep)[0]!);
    }
  }
  return owners;
}

const SQL_TABLE =
  /\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+(?:ONLY\s+)?"?([a-z_][a-z0-9_]*)"?((?:\s+(?:AS\s+)?[a-z_][a-z0-9_]*)?(?:\s*,\s*"?[a-z_][a-z0-9_]*"?(?:\s+(?:AS\s+)?[a-z_][a-z0-9_]*)?)*)/g;
const LISTED_TABLE = /,\s*"?([a-z_][a-z0-9_]*)"?/g;
const BUILDER_METHODS = new Set([
  'from',
  'into',
  'update',
  'delete',
  'innerJoin',
  'leftJoin',
  'innerJoinAndSelect',
  'leftJoinAndSelect',
  'getRepository',
]);

/** The table names a source text mentions in SQL or query-builder calls. */
export function tablesIn(source: string): Set<string> {
  const found = new Set<string>();
  const sql = (text: string) => {
    for (const match of text.matchAll(SQL_TABLE)) {
      found.add(match[1]!);
      for (const [, listed] of (match[2] ?? '').matchAll(LISTED_TABLE)) found.add(listed!);
    }
  };
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      sql(node.text);
    }
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      BUILDER_METHODS.has(node.expression.name.text) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.add(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('scan.ts', source, ts.ScriptTarget.Latest, true));
  return found;
}

/**
 * The other folders' entity classes a source uses as a table handle: an argument
 * of a call (`getRepository(UserEntity)`, `manager.insert(EventEntity, …)`,
 * `.from(EssayEntity, 'e')`) or `new UserEntity()`. Naming an entity as a type, its
 * enums, or a relation in an entity's decorators (the foreign keys that tie the
 * schema together) touches no table.
 */
export function entityHandlesIn(source: string, foreign: Set<string>): Set<string> {
  const found = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isDecorator(node)) return;
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const args = [...(node.arguments ?? [])];
      if (ts.isNewExpression(node)) args.push(node.expression);
      for (const arg of args) {
        if (ts.isIdentifier(arg) && foreign.has(arg.text)) found.add(arg.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('scan.ts', source, ts.ScriptTarget.Latest, true));
  return found;
}

/** Every place a folder of src/ touches a table another folder owns. */
async function findings(): Promise<Finding[]> {
  const files = (await readdir(src, { recursive: true })).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && file.includes(sep),
  );
  const owners = await tableOwners(files);
  const entityOwners = new Map<string, string>();
  for (const file of files.filter((name) => name.endsWith('.entity.ts'))) {
    entityOwners.set(file.replace(/\.ts$/, ''), file.split(sep)[0]!);
  }
  const found: Finding[] = [];
  for (const file of files) {
    if (EXEMPT.has(file)) continue;
    const folder = file.split(sep)[0]!;
    const source = await readFile(join(src, file), 'utf8');
    for (const table of tablesIn(source)) {
      const owner = owners.get(table);
      if (owner && owner !== folder) found.push({ file, table, owner, how: 'SQL' });
    }
    const foreign = new Map<string, string>();
    const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
    for (const statement of tree.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
        continue;
      const specifier = statement.moduleSpecifier.text;
      if (!specifier.startsWith('.') || !specifier.endsWith('.entity.js')) continue;
      const target = relative(src, join(src, dirname(file), specifier)).replace(/\.js$/, '');
      const owner = entityOwners.get(target);
      const bindings = statement.importClause?.namedBindings;
      if (!owner || owner === folder || !bindings || !ts.isNamedImports(bindings)) continue;
      for (const element of bindings.elements) foreign.set(element.name.text, owner);
    }
    for (const entity of entityHandlesIn(source, new Set(foreign.keys()))) {
      found.push({ file, table: entity, owner: foreign.get(entity)!, how: 'entity' });
    }
  }
  return found;
}

describe('table ownership', () => {
  it('no folder of src/ touches a table another folder owns', async () => {
    const found = await findings();
    expect(found.map((f) => `${f.file}: ${f.how} ${f.table} (owned by ${f.owner}/)`)).toEqual([]);
  });

  it('maps each table to the folder of its entity', async () => {
    const files = (await readdir(src, { recursive: true })).filter((file) => file.endsWith('.ts'));
    const owners = await tableOwners(files);
    expect(owners.get('users')).toBe('users');
    expect(owners.get('responses')).toBe('responses');
    expect(owners.get('response_reports')).toBe('responses');
    expect(owners.get('collaborator_interests')).toBe('interest');
  });

  it('finds tables in SQL and query-builder calls, not in prose', () => {
    const source = `
      const a = \`SELECT r.id FROM responses r JOIN users u ON u.id = r.author_id
        WHERE EXISTS (SELECT 1 FROM collaborator_interests ci WHERE ci.essay_id = \${x})\`;
      const b = 'DELETE FROM prompts WHERE id = $1';
      const c = 'UPDATE "essays" SET title = $1';
      const d = 'INSERT INTO events (type) VALUES ($1)';
      const e = 'SELECT 1 FROM deliveries d, digest_subscriptions s';
      manager.createQueryBuilder().from('reader_bans', 'b');
      // The reader answers from essays they read.
      throw new Error('Answers come from readers');
    `;
    expect([...tablesIn(source)].sort()).toEqual([
      'collaborator_interests',
      'deliveries',
      'digest_subscriptions',
      'essays',
      'events',
      'prompts',
      'reader_bans',
      'responses',
      'users',
    ]);
  });

  it('finds another folder’s entity used as a table handle, not as a type or relation', () => {
    const source = `
      class ResponseEntity {
        @ManyToOne(() => UserEntity) author?: UserEntity;
      }
      const viewer: UserEntity | null = null;
      await manager.getRepository(EventEntity).insert(values);
      await manager.insert(EssayEntity, values);
      const draft = new PromptEntity();
      if (role === UserRole.AUTHOR) return;
    `;
    const foreign = new Set([
      'UserEntity',
      'EventEntity',
      'EssayEntity',
      'PromptEntity',
      'UserRole',
    ]);
    expect([...entityHandlesIn(source, foreign)].sort()).toEqual([
      'EssayEntity',
      'EventEntity',
      'PromptEntity',
    ]);
  });

  it('lists only exemptions that still exist', async () => {
    const files = new Set(await readdir(src, { recursive: true }));
    expect([...EXEMPT.keys()].filter((file) => !files.has(file))).toEqual([]);
  });
});
