import 'reflect-metadata';
import { ConfigError, loadConfig, type Role } from './config/config.js';
import { StartupError } from './config/startup-error.js';
import { prepareRuntime } from './config/runtime.js';
import { createLogger } from './common/logger.js';
import { migrateDatabase } from './database/migrate.js';
import { createPlatform, type Platform } from './platform.js';

const SHUTDOWN_GRACE_MS = 25_000;

/** Starts one process of the platform and stops it cleanly on SIGTERM/SIGINT. */
export async function run(role?: Role): Promise<void> {
  let config;
  try {
    config = loadConfig({ ...process.env, ...(role ? { ROLE: role } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config);
  const log = (message: string) => logger.info(message);

  let platform: Platform | undefined;
  let stopping = false;
  const runtime = prepareRuntime(config, log);
  // The embedded PostgreSQL runs in a process group of its own, so Ctrl-C
  // reaches only us: stop the app, then the database, even mid-start.
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: finishing running work, then stopping`);
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      await platform?.close();
      await (await runtime.catch(() => undefined))?.embedded?.stop();
      log('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error while stopping');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  try {
    const { config: settings } = await runtime;
    if (settings.migrateOnStart) {
      const applied = await migrateDatabase(settings.databaseUrl);
      if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
    }
    platform = await createPlatform(settings, logger);
    if (stopping) return;
    if (platform.http) {
      await platform.http.listen({ port: settings.port, host: settings.host });
      log(`GraphQL API at ${settings.publicUrl}/graphql (role ${settings.role})`);
    } else {
      log(`worker running (role ${settings.role})`);
    }
    if (settings.role !== 'api') {
      log(
        settings.smtpUrl
          ? `mail goes to SMTP ${redactUrl(settings.smtpUrl)}`
          : `mail is written as .eml files to ${settings.dataDir}/outbox (set SMTP_URL to send it)`,
      );
    }
  } catch (error) {
    if (stopping) return;
    await platform?.close().catch(() => undefined);
    await (await runtime.catch(() => undefined))?.embedded?.stop();
    if (!(error instanceof StartupError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
