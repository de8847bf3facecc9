import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { entities } from './entities.js';

export interface DataSourceExtras {
  poolSize?: number;
  /** Sees every SQL statement the app runs (tests count them to prove there is no N+1). */
  onQuery?: (sql: string) => void;
}

export function dataSourceOptions(url: string, extra: DataSourceExtras = {}): DataSourceOptions {
  const observer = extra.onQuery;
  return {
    ...(observer
      ? {
          logging: ['query'] as const,
          logger: {
            logQuery: (sql: string) => observer(sql),
            logQueryError: () => undefined,
            logQuerySlow: () => undefined,
            logSchemaBuild: () => undefined,
            logMigration: () => undefined,
            log: () => undefined,
          },
        }
      : {}),
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    uuidExtension: 'pgcrypto',
    migrationsRun: false,
    migrationsTableName: 'typeorm_migrations',
    poolSize: extra.poolSize ?? 10,
  };
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
