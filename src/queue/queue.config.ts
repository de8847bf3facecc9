import { createPostgresBackend, setDefaultBackendFactory, type ConnectionOptions } from 'bullmq';
import type { RuntimeConfig } from '../config/runtime.js';

export type QueueBackend = 'redis' | 'postgres';

export const POSTGRES_QUEUE_SCHEMA = 'bullmq';

export function queueBackend(config: RuntimeConfig): QueueBackend {
  return config.redisUrl ? 'redis' : 'postgres';
}

/**
 * The connection every queue and worker of this process uses: Redis when
 * REDIS_URL is set, otherwise BullMQ's PostgreSQL backend on DATABASE_URL.
 */
export function queueConnection(config: RuntimeConfig): ConnectionOptions {
  if (config.redisUrl) {
    const url = new URL(config.redisUrl);
    return {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: null,
    };
  }
  setDefaultBackendFactory(createPostgresBackend);
  return {
    connectionString: config.databaseUrl,
    schema: POSTGRES_QUEUE_SCHEMA,
    migrate: true,
    max: 4,
  } as unknown as ConnectionOptions;
}
