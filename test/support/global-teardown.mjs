import { rm } from 'node:fs/promises';
import pg from 'pg';

export default async function globalTeardown() {
  const admin = new pg.Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(
      `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(process.env.TEST_TEMPLATE_DATABASE)}`,
    );
  } finally {
    await admin.end();
  }
  const embedded = globalThis.__rizomEmbedded;
  if (embedded) {
    await embedded.stop();
    await rm(process.env.TEST_EMBEDDED_DATA_DIR, { recursive: true, force: true });
  }
}
