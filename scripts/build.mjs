#!/usr/bin/env node
// Builds dist/ from src, migrations and bench (swc), then the browser code
// (web/build.mjs, when there is one). A running process keeps working while
// this runs: nothing is wiped; each changed file is compiled elsewhere and
// renamed over its old version, and only outputs whose source is gone are
// removed.
//
//   node scripts/build.mjs             build
//   node scripts/build.mjs --if-stale  build only if an input changed since the last build
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const COMPILED = ['src', 'migrations', 'bench'];
const WEB_BUILD = join(ROOT, 'web', 'build.mjs');
/** What the build reads: a change to any of these makes dist/ stale. */
const INPUTS = [...COMPILED, 'web', '.swcrc', 'scripts/build.mjs'];
const STAMP = join(DIST, '.build-stamp');

const ifStale = process.argv.includes('--if-stale');
const fingerprint = await inputsFingerprint();
if (ifStale && (await readOr(STAMP, '')) === fingerprint) process.exit(0);

// Beside dist/ (same depth, same file system): source maps stay right and renames are atomic.
const staging = join(ROOT, `.dist-staging-${process.pid}-${randomBytes(4).toString('hex')}`);
try {
  compile(staging);
  const built = await filesUnder(staging);
  for (const file of built) await replaceIfChanged(join(staging, file), join(DIST, file));
  await removeStale(new Set(built));
} finally {
  await rm(staging, { recursive: true, force: true });
}
if (existsSync(WEB_BUILD)) run([WEB_BUILD], 'web/build.mjs');
// Written last and atomically: an interrupted build leaves dist/ stale, never "up to date".
const stampTemp = `${STAMP}.${process.pid}`;
await writeFile(stampTemp, fingerprint);
await rename(stampTemp, STAMP);

function compile(outDir) {
  const swc = createRequire(import.meta.url).resolve('@swc/cli/bin/swc.js');
  const sources = COMPILED.filter((dir) => existsSync(join(ROOT, dir)));
  run([swc, ...sources, '-d', outDir, '--quiet'], 'swc');
}

function run(args, name) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: ${name} failed\n`);
    process.exit(result.status ?? 1);
  }
}

/** Moves a freshly built file into place in one rename, unless its content is unchanged. */
async function replaceIfChanged(from, to) {
  const [next, current] = await Promise.all([readFile(from), readOr(to, undefined, null)]);
  if (current && next.equals(current)) return;
  await mkdir(dirname(to), { recursive: true });
  await rename(from, to);
}

/** Removes outputs of sources that no longer exist (and folders left empty). */
async function removeStale(built) {
  for (const dir of COMPILED) {
    for (const file of await filesUnder(join(DIST, dir))) {
      const path = join(dir, file);
      if (!built.has(path)) await rm(join(DIST, path), { force: true });
    }
    await removeEmptyFolders(join(DIST, dir));
  }
}

async function removeEmptyFolders(dir) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries)
    if (entry.isDirectory()) await removeEmptyFolders(join(dir, entry.name));
  if ((await readdir(dir)).length === 0) await rmdir(dir).catch(() => undefined);
}

/** Paths (relative to dir) of every file under dir; none when it does not exist. */
async function filesUnder(dir) {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .filter((path) => !path.split('/').includes('node_modules'));
}

/** A hash of every input file's path, size and modification time. */
async function inputsFingerprint() {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    const path = join(ROOT, input);
    const info = await stat(path).catch(() => undefined);
    if (!info) continue;
    const files = info.isDirectory()
      ? (await filesUnder(path)).map((f) => join(input, f))
      : [input];
    for (const file of files.sort()) {
      const { size, mtimeMs } = await stat(join(ROOT, file));
      hash.update(`${file}\0${size}\0${mtimeMs}\n`);
    }
  }
  return hash.digest('hex');
}

async function readOr(path, fallback, encoding = 'utf8') {
  try {
    return await readFile(path, encoding ?? undefined);
  } catch (error) {
    if (error.code === 'ENOENT') return fallback;
    throw error;
  }
}
