import type { FastifyInstance } from 'fastify';
import { MigrationExecutor, type DataSource } from 'typeorm';

const RECHECK_MS = 5_000;

/** Names of the migrations this build has that the database has not applied. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  return (await new MigrationExecutor(dataSource).getPendingMigrations()).map((m) => m.name);
}

/**
 * With MIGRATE_ON_START=false the app may run on a database that lacks its
 * migrations: /health then answers 503 and says so, until they are applied
 * (checked again at most every few seconds).
 */
export function failHealthWhileMigrationsPending(
  fastify: FastifyInstance,
  dataSource: DataSource,
  initiallyPending: string[],
): void {
  let pending = initiallyPending;
  let checkedAt = Date.now();
  fastify.addHook('onRequest', async (request, reply) => {
    if (pending.length === 0 || request.method !== 'GET' || request.url.split('?')[0] !== '/health')
      return;
    if (Date.now() - checkedAt > RECHECK_MS) {
      checkedAt = Date.now();
      pending = await pendingMigrations(dataSource).catch(() => pending);
      if (pending.length === 0) return;
    }
    return reply.code(503).send({
      status: 'error',
      error: {
        migrations: {
          status: 'down',
          message: `${pending.length} migration(s) pending and MIGRATE_ON_START=false: run npm run cli -- migration:run`,
          pending,
        },
      },
    });
  });
}
