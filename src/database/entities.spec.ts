import { readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataArgsStorage } from 'typeorm';
import { entities } from './entities.js';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, '..');

/** Every `*.entity.ts` under src/, as specifiers relative to this file. */
async function entityFiles(): Promise<string[]> {
  const files = await readdir(src, { recursive: true });
  return files
    .filter((file) => file.endsWith('.entity.ts'))
    .map((file) => relative(here, join(src, file)).replace(/\.ts$/, '.js'))
    .map((path) => (path.startsWith('.') ? path : `./${path}`))
    .sort();
}

// database/ names no feature, except in entities.ts, whose list this proves complete:
// a new *.entity.ts that is not listed would be a table the app and the migrations miss.
describe('entities', () => {
  it('lists every entity class of every *.entity.ts under src/, and nothing else', async () => {
    const files = await entityFiles();
    expect(files.length).toBeGreaterThan(0);
    const modules = await Promise.all(
      files.map(async (file) => [file, (await import(file)) as Record<string, unknown>] as const),
    );
    // Read after the imports: each @Entity() registers as its file loads.
    const tables = new Set(getMetadataArgsStorage().tables.map((table) => table.target));
    const found: string[] = [];
    const withoutEntity: string[] = [];
    for (const [file, module] of modules) {
      const names = Object.entries(module)
        .filter(([, value]) => typeof value === 'function' && tables.has(value))
        .map(([name]) => name);
      if (names.length === 0) withoutEntity.push(file);
      found.push(...names);
    }
    expect(withoutEntity).toEqual([]);
    expect(entities.map((entity) => entity.name).sort()).toEqual(found.sort());
  });

  it('lists each entity once', () => {
    expect(new Set(entities).size).toBe(entities.length);
  });
});
