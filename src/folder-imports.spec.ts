import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const src = dirname(fileURLToPath(import.meta.url));

/*
 * The arrows between src/'s folders run one way (README, "Developing"): this
 * builds the folder-level import graph from the sources and fails on any cycle.
 * database/entities.ts is the one file allowed to name every feature (the entity
 * list; entities.spec.ts proves it complete), so its imports are left out.
 */
const EXEMPT = new Set([join('database', 'entities.ts')]);

/** Folder → the folders its files import, with one importing file per edge, for the message. */
async function folderGraph(): Promise<Map<string, Map<string, string>>> {
  const graph = new Map<string, Map<string, string>>();
  const files = (await readdir(src, { recursive: true })).filter(
    (file) => file.endsWith('.ts') && file.includes(sep) && !EXEMPT.has(file),
  );
  for (const file of files) {
    const from = file.split(sep)[0]!;
    const source = await readFile(join(src, file), 'utf8');
    for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = relative(src, join(src, dirname(file), fileName));
      if (target.startsWith('..') || !target.includes(sep)) continue;
      const to = target.split(sep)[0]!;
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, file);
    }
  }
  return graph;
}

/** Every cycle's folders, as `a → b → a` with the file behind each arrow. */
function cycles(graph: Map<string, Map<string, string>>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const visit = (folder: string, path: string[]) => {
    const at = path.indexOf(folder);
    if (at >= 0) {
      const loop = [...path.slice(at), folder];
      found.push(
        loop
          .slice(0, -1)
          .map((from, i) => `${from} (${graph.get(from)!.get(loop[i + 1]!)})`)
          .join(' → ') + ` → ${folder}`,
      );
      return;
    }
    if (done.has(folder)) return;
    for (const next of graph.get(folder)?.keys() ?? []) visit(next, [...path, folder]);
    done.add(folder);
  };
  for (const folder of graph.keys()) visit(folder, []);
  return found;
}

describe('imports between the folders of src/', () => {
  it('form no cycle: no two folders import each other, directly or around', async () => {
    const graph = await folderGraph();
    expect(graph.get('essays')?.has('common')).toBe(true);
    expect(cycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['auth', new Map([['users', 'auth/auth.service.ts']])],
      ['users', new Map([['auth', 'users/users.resolver.ts']])],
    ]);
    expect(cycles(graph)).toEqual([
      'auth (auth/auth.service.ts) → users (users/users.resolver.ts) → auth',
    ]);
  });
});
