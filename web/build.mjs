// Builds the browser code into dist/web/ (run by `npm run build`):
//   embed.js                       the loader authors paste (stable name, minified)
//   assets/conversation-<hash>.js  the conversation app (hosted page and frame)
//   assets/style-<hash>.css        tokens + page + conversation styles
//   assets/desk-<hash>.js          the author's desk (/desk), one file of its own
//   assets/desk-<hash>.css         the desk's styles, on top of style.css
//   manifest.json                  {"conversation.js": "assets/conversation-….js", …}
// Prints gzipped sizes and fails when one is over its budget (web/budgets.json).
// A running app keeps working while this runs (as scripts/build.mjs promises for
// dist/): nothing is wiped, the manifest and the loader are renamed into place,
// and the hashed files of the previous build stay for pages that still name them.
import { build } from 'esbuild';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const web = dirname(fileURLToPath(import.meta.url));
const root = join(web, '..');
const out = join(root, 'dist', 'web');
const budgets = JSON.parse(readFileSync(join(web, 'budgets.json'), 'utf8'));

const browsers = ['chrome109', 'firefox115', 'safari15.4'];
const common = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  target: browsers,
  logLevel: 'warning',
  absWorkingDir: root,
};

// GraphQL documents are written indented for people; the browser needs none of it.
const compactGraphQL = {
  name: 'compact-graphql',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]documents\.ts$/ }, ({ path }) => ({
      loader: 'ts',
      contents: readFileSync(path, 'utf8').replace(
        /\/\* GraphQL \*\/ `([^`]*)`/g,
        (_, text) => `\`${text.replace(/\s+/g, ' ').trim()}\``,
      ),
    }));
  },
};

mkdirSync(join(out, 'assets'), { recursive: true });
const GENERATIONS = join(out, '.generations.json');
const previous = existsSync(GENERATIONS) ? JSON.parse(readFileSync(GENERATIONS, 'utf8')) : [];

/** Writes a file beside its place, then renames it there: readers see the old or the new one. */
const replace = (path, contents) => {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
};

// The loader runs on other people's pages: a classic script, no imports, nothing global.
await build({
  ...common,
  entryPoints: [join(web, 'embed', 'embed.ts')],
  format: 'iife',
  outfile: join(out, `embed.js.${process.pid}.tmp`),
});
renameSync(join(out, `embed.js.${process.pid}.tmp`), join(out, 'embed.js'));

const app = await build({
  ...common,
  entryPoints: { conversation: join(web, 'conversation', 'main.tsx') },
  format: 'esm',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  splitting: true,
  metafile: true,
  plugins: [compactGraphQL],
});

// The desk is a page of its own: built apart, so the frame's budget counts only the frame.
const desk = await build({
  ...common,
  entryPoints: { desk: join(web, 'desk', 'main.tsx') },
  format: 'esm',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  plugins: [compactGraphQL],
});

// One stylesheet for every page: the tokens first, then the base look, then the components.
const cssFiles = [
  join(web, 'shared', 'tokens.css'),
  join(web, 'shared', 'page.css'),
  ...readdirSync(join(web, 'conversation'))
    .filter((name) => name.endsWith('.css'))
    .sort()
    .map((name) => join(web, 'conversation', name)),
].filter((file) => existsSync(file));
const styles = await build({
  ...common,
  stdin: {
    contents: cssFiles
      .map((file) => `@import ${JSON.stringify('./' + relative(web, file))};`)
      .join('\n'),
    resolveDir: web,
    sourcefile: 'style.css',
    loader: 'css',
  },
  outdir: join(out, 'assets'),
  entryNames: 'style-[hash]',
  metafile: true,
});

const deskCssFiles = readdirSync(join(web, 'desk'))
  .filter((name) => name.endsWith('.css'))
  .sort()
  .map((name) => join(web, 'desk', name));
const deskStyles = await build({
  ...common,
  stdin: {
    contents: deskCssFiles
      .map((file) => `@import ${JSON.stringify('./' + relative(web, file))};`)
      .join('\n'),
    resolveDir: web,
    sourcefile: 'desk.css',
    loader: 'css',
  },
  outdir: join(out, 'assets'),
  entryNames: 'desk-[hash]',
  metafile: true,
});

// Entries only (shared chunks are imported by them): "conversation-AB12.js" is "conversation.js".
const manifest = { 'embed.js': 'embed.js' };
const outputs = {
  ...app.metafile.outputs,
  ...styles.metafile.outputs,
  ...desk.metafile.outputs,
  ...deskStyles.metafile.outputs,
};
for (const [file, output] of Object.entries(outputs)) {
  if (!output.entryPoint || file.endsWith('.map')) continue;
  const path = relative(out, join(root, file));
  manifest[path.replace(/^assets\/(.+)-[A-Z0-9]+(\.\w+)$/, '$1$2')] = path;
}
replace(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');

// This build's hashed files; those of the build before it stay, anything older goes.
const built = Object.keys(outputs).map((file) => relative(join(out, 'assets'), join(root, file)));
const kept = new Set([...built, ...(previous.at(-1) ?? [])]);
for (const name of readdirSync(join(out, 'assets'))) {
  if (!kept.has(name)) rmSync(join(out, 'assets', name), { force: true });
}
replace(GENERATIONS, JSON.stringify([previous.at(-1) ?? [], built]));

const size = (path) => gzipSync(readFileSync(join(out, path)), { level: 9 }).length;
const frameJs = built
  .filter((name) => name.endsWith('.js') && !name.startsWith('desk-'))
  .reduce((total, name) => total + size(join('assets', name)), 0);
const measured = {
  'embed.js': size('embed.js'),
  frameJs,
  css: size(manifest['style.css']),
  deskJs: size(manifest['desk.js']),
  deskCss: size(manifest['desk.css']),
};
let over = false;
for (const [name, bytes] of Object.entries(measured)) {
  const limit = budgets[name];
  over ||= bytes > limit;
  console.log(
    `web: ${name.padEnd(9)} ${(bytes / 1024).toFixed(2)} KB gzipped (budget ${limit / 1024} KB)${bytes > limit ? '  OVER BUDGET' : ''}`,
  );
}
if (over) process.exit(1);
