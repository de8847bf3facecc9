// The browser code stays small: `npm test` builds first, so dist/web/ is what ships.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, 'dist', 'web');
const budgets = JSON.parse(readFileSync(join(root, 'web', 'budgets.json'), 'utf8'));
const manifest: Record<string, string> = JSON.parse(
  readFileSync(join(out, 'manifest.json'), 'utf8'),
);
const gzipped = (path: string) => gzipSync(readFileSync(join(out, path)), { level: 9 }).length;

describe('bundle budgets (gzipped)', () => {
  it('the manifest names the loader, the conversation app and the stylesheet', () => {
    expect(manifest['embed.js']).toBe('embed.js');
    expect(manifest['conversation.js']).toMatch(/^assets\/conversation-\w+\.js$/);
    expect(manifest['style.css']).toMatch(/^assets\/style-\w+\.css$/);
    expect(manifest['desk.js']).toMatch(/^assets\/desk-\w+\.js$/);
    expect(manifest['desk.css']).toMatch(/^assets\/desk-\w+\.css$/);
  });

  it(`embed.js is at most ${budgets['embed.js']} bytes`, () => {
    expect(gzipped('embed.js')).toBeLessThanOrEqual(budgets['embed.js']);
  });

  it(`the frame's JavaScript (every asset chunk) is at most ${budgets.frameJs} bytes`, () => {
    // The newest build's files (the build keeps the one before it for running pages).
    const generations = JSON.parse(
      readFileSync(join(out, '.generations.json'), 'utf8'),
    ) as string[][];
    const total = generations
      .at(-1)!
      .filter((name) => name.endsWith('.js') && !name.startsWith('desk-'))
      .reduce((sum, name) => sum + gzipped(join('assets', name)), 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(budgets.frameJs);
  });

  it(`the desk's JavaScript is at most ${budgets.deskJs} bytes, its styles ${budgets.deskCss}`, () => {
    expect(gzipped(manifest['desk.js']!)).toBeLessThanOrEqual(budgets.deskJs);
    expect(gzipped(manifest['desk.css']!)).toBeLessThanOrEqual(budgets.deskCss);
  });

  it(`the stylesheet is at most ${budgets.css} bytes`, () => {
    expect(gzipped(manifest['style.css'])).toBeLessThanOrEqual(budgets.css);
  });
});
