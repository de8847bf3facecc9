// Runs once per `npm test`, outside Jest's module system, so it uses the build
// that `npm test` makes first (dist/).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../dist/src/database/embedded-postgres.js';
import { migrateDatabase } from '../../dist/src/database/migrate.js';

/**
 * Finds a PostgreSQL (DATABASE_URL, or an embedded one started here) and
 * builds a migrated template database that every suite copies.
 */
export default async function globalSetup() {
  let serverUrl = process.env.DATABASE_URL;
  let embedded;
  if (!serverUrl) {
    const dataDir = await mkdtemp(join(tmpdir(), 'rizom-test-'));
    try {
      embedded = await startEmbeddedPostgres({ dataDir, password: 'test', database: 'postgres' });
    } catch (error) {
      if (error.name !== 'StartupError') throw error;
      process.stderr.write(`\n${error.message}\n`); // one line saying what to do, no stack
      process.exit(78);
    }
    serverUrl = embedded.url;
    process.env.TEST_EMBEDDED_DATA_DIR = dataDir;
  }
  const template = `rizom_template_${process.pid}_${Date.now().toString(36)}`;
  const adminUrl = withDatabase(serverUrl, 'postgres');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(template)}`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(withDatabase(serverUrl, template));
  process.env.TEST_ADMIN_DATABASE_URL = adminUrl;
  process.env.TEST_TEMPLATE_DATABASE = template;
  globalThis.__rizomEmbedded = embedded;
}

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
