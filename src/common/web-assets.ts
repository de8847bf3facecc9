import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build` puts the browser code (web/build.mjs): found from this
 * file, not the working directory, so `npm start` works from any folder. The
 * file runs as src/common (tests) or dist/src/common (built); both sit under
 * the package root.
 */
export const WEB_ROOT = join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'dist', 'web');

type Manifest = Record<string, string>;

let manifest: Manifest | undefined;

/**
 * The URL of a built asset by its logical name (`conversation.js`,
 * `style.css`), from dist/web/manifest.json, read once. Undefined when the
 * browser code is not built: pages then render without it.
 */
export function assetUrl(name: string): string | undefined {
  manifest ??= readManifest();
  const file = manifest[name];
  return file ? `/${file.replace(/^\/+/, '')}` : undefined;
}

function readManifest(): Manifest {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(WEB_ROOT, 'manifest.json'), 'utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => {
        const [, file] = entry;
        return typeof file === 'string' && /^[\w./-]+$/.test(file) && !file.includes('..');
      }),
    );
  } catch {
    return {};
  }
}

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
