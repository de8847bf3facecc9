import type { DataSource } from 'typeorm';
import { createDataSource } from './data-source.js';

/** Any number of instances may start at once; one migrates, the others wait. */
const MIGRATION_LOCK = 7_346_001;

export async function migrateDatabase(url: string): Promise<string[]> {
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  try {
    return await withMigrationLock(dataSource, async () =>
      (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name),
    );
  } finally {
    await dataSource.destroy();
  }
}

export async function revertLastMigration(url: string): Promise<void> {
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  try {
    await withMigrationLock(dataSource, () =>
      dataSource.undoLastMigration({ transaction: 'each' }),
    );
  } finally {
    await dataSource.destroy();
  }
}

async function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
