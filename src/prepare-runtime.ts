import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AppConfig } from './config/config.js';
import type { RuntimeConfig } from './config/runtime.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';

interface LocalSecrets {
  jwtSecret: string;
  postgresPassword: string;
}

export interface PreparedRuntime {
  config: RuntimeConfig;
  embedded?: EmbeddedDatabase;
}

/**
 * Fills in what a fresh machine lacks: an embedded PostgreSQL when no
 * DATABASE_URL is set, and a JWT secret generated once and kept in DATA_DIR.
 */
export async function prepareRuntime(
  config: AppConfig,
  log: (message: string) => void,
): Promise<PreparedRuntime> {
  const needsSecrets = !config.databaseUrl || !config.jwtSecret;
  const secrets = needsSecrets ? await localSecrets(config.dataDir) : undefined;
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      password: secrets!.postgresPassword,
      log,
    });
  }
  return {
    config: {
      ...config,
      databaseUrl: config.databaseUrl ?? embedded!.url,
      jwtSecret: config.jwtSecret ?? secrets!.jwtSecret,
    },
    embedded,
  };
}

async function localSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = resolve(dataDir, 'secrets.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LocalSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets: LocalSecrets = {
    jwtSecret: randomBytes(48).toString('base64url'),
    postgresPassword: randomBytes(24).toString('base64url'),
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' }).catch(
    async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return JSON.parse(await readFile(file, 'utf8')) as LocalSecrets;
}
