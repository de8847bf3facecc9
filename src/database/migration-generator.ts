import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createDataSource } from './data-source.js';

/**
 * Writes a migration with the SQL that brings the database in line with the
 * entities (the same diff TypeORM's CLI makes). Read it before committing.
 */
export async function generateMigration(
  url: string,
  name: string,
  now = new Date(),
): Promise<string | null> {
  const slug = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  if (!slug) throw new Error('Give the migration a name, e.g. add-collaborator-interest.');
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) return null;
    const timestamp = now.getTime();
    const className = `${slug.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())}${timestamp}`;
    const statement = (query: { query: string; parameters?: unknown[] }) =>
      `    await queryRunner.query(${JSON.stringify(query.query)}${query.parameters?.length ? `, ${JSON.stringify(query.parameters)}` : ''});`;
    const file = resolve('migrations', `${timestamp}-${slug}.ts`);
    await writeFile(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${sql.upQueries.map(statement).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${sql.downQueries.reverse().map(statement).join('\n')}
  }
}
`,
    );
    return `${file}\nAdd it to migrations/index.ts: import { ${className} } from './${timestamp}-${slug}.js';`;
  } finally {
    await dataSource.destroy();
  }
}
