import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const src = dirname(fileURLToPath(import.meta.url));

/*
 * No AsyncLocalStorage in src/, and nothing else from node:async_hooks. On
 * Node 20 an AsyncLocalStorage that has ever run installs promise hooks for
 * every promise of the process, for good: measured, it cost 15% of the API's
 * CPU on the signed-in read benchmark (307 req/s with it, 363 without). Pass
 * what a callee needs (who acts, for the audit log) as a parameter instead.
 */

const WHY =
  'AsyncLocalStorage (node:async_hooks) hooks every promise of the process on Node 20: ' +
  "it cost 15% of the API's CPU on the signed-in read benchmark (307 vs 363 req/s). " +
  'Pass the value as a parameter instead (as the audit log takes its actorId).';

/** Modules that are async_hooks, or exist to keep a context in it. */
const FORBIDDEN_MODULES = new Set(['async_hooks', 'node:async_hooks', 'nestjs-cls', 'cls-hooked']);

/** What in a source text brings async hooks in: imports of those modules, and the class by name. */
export function asyncHooksIn(source: string): string[] {
  const found: string[] = [];
  for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
    if (FORBIDDEN_MODULES.has(fileName)) found.push(`imports ${fileName}`);
  }
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && node.text === 'AsyncLocalStorage') {
      found.push('uses AsyncLocalStorage');
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('scan.ts', source, ts.ScriptTarget.Latest, true));
  return [...new Set(found)];
}

describe('async hooks in src/', () => {
  it('are never brought in', async () => {
    const files = (await readdir(src, { recursive: true })).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(100);
    const findings: string[] = [];
    for (const file of files) {
      const source = await readFile(join(src, file), 'utf8');
      for (const finding of asyncHooksIn(source)) findings.push(`${file}: ${finding}`);
    }
    // The reason comes first in the failure, so whoever meets it knows why.
    expect(findings.length ? [WHY, ...findings] : []).toEqual([]);
  });

  it('are found in imports, requires and code, not in comments or strings', () => {
    const source = `
      import { AsyncLocalStorage } from 'node:async_hooks';
      import * as hooks from 'async_hooks';
      const cls = await import('nestjs-cls');
      const { createHook } = require('async_hooks');
      // AsyncLocalStorage in a comment, and in a string: 'AsyncLocalStorage'
      import { Injectable } from '@nestjs/common';
    `;
    expect(asyncHooksIn(source)).toEqual([
      'imports node:async_hooks',
      'imports async_hooks',
      'imports nestjs-cls',
      'uses AsyncLocalStorage',
    ]);
    expect(asyncHooksIn(`const store = new globalThis.AsyncLocalStorage();`)).toEqual([
      'uses AsyncLocalStorage',
    ]);
    expect(
      asyncHooksIn(`import { Injectable } from '@nestjs/common'; // no AsyncLocalStorage`),
    ).toEqual([]);
  });
});
