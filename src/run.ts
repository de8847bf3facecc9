import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { resolve } from 'node:path';
import { ConfigError, configWarnings, loadConfig, type Role } from './config/config.js';
import { StartupError } from './config/startup-error.js';
import type { RuntimeConfig } from './config/runtime.js';
import { prepareRuntime } from './prepare-runtime.js';
import { createLogger } from './common/logger.js';
import type { Platform } from './platform.js';
import { checkPort, checkServices, listenError } from './preflight.js';

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
  for (const warning of configWarnings(config)) logger.warn(warning);

  let platform: Platform | undefined;
  let stopping = false;
  const runtime = Promise.all([
    checkServices(config),
    config.role === 'worker' ? undefined : checkPort(config),
  ]).then(() => prepareRuntime(config, log));
  // The app's modules (NestJS, Apollo, TypeORM, every feature) load while the
  // database starts: on a first start, initdb runs meanwhile.
  const modules = loadModules();
  modules.catch(() => undefined);
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
    const { migrateDatabase, createPlatform, UsersService } = await modules;
    if (settings.migrateOnStart) {
      const applied = await migrateDatabase(settings.databaseUrl);
      if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
    }
    platform = await createPlatform(settings, logger);
    if (stopping) return;
    if (!settings.migrateOnStart) await reportPendingMigrations(platform, logger);
    if (platform.http) {
      await listen(platform.http, settings);
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
    if (platform.http && (await platform.app.get(UsersService).findAuthors()).length === 0)
      for (const line of nextSteps(settings)) log(line);
  } catch (error) {
    if (stopping) return;
    await platform?.close().catch(() => undefined);
    await (await runtime.catch(() => undefined))?.embedded?.stop();
    if (!(error instanceof StartupError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}

async function loadModules() {
  const [{ migrateDatabase }, { createPlatform }, { UsersService }] = await Promise.all([
    import('./database/migrate.js'),
    import('./platform.js'),
    import('./users/users.service.js'),
  ]);
  return { migrateDatabase, createPlatform, UsersService };
}

/** What a newcomer does after the first start (while there is no author yet). */
function nextSteps(config: RuntimeConfig): string[] {
  const mail = config.smtpUrl
    ? `mail goes to SMTP ${redactUrl(config.smtpUrl)}`
    : `mail lands in ${resolve(config.dataDir, 'outbox')}${config.isProduction ? '' : `; read it at ${config.publicUrl}/dev/outbox`}`;
  return [
    'next steps:',
    `  1. create the author:  npm run cli -- author you@example.com --name "Your Name"`,
    '  2. import an essay:    npm run cli -- import essays/designing-systems.md',
    `  3. open ${config.publicUrl}/graphql${config.isProduction ? '' : ' (GraphiQL in a browser)'}`,
    `  4. ${mail}`,
  ];
}

async function listen(http: NestFastifyApplication, config: RuntimeConfig): Promise<void> {
  try {
    await http.listen({ port: config.port, host: config.host });
  } catch (error) {
    throw listenError(error as NodeJS.ErrnoException, config);
  }
}

/** With MIGRATE_ON_START=false: warn about migrations not applied, and /health says so. */
async function reportPendingMigrations(platform: Platform, logger: Logger): Promise<void> {
  const [{ DataSource }, { failHealthWhileMigrationsPending, pendingMigrations }] =
    await Promise.all([import('typeorm'), import('./database/pending-migrations.js')]);
  const dataSource = platform.app.get(DataSource);
  const pending = await pendingMigrations(dataSource);
  if (pending.length === 0) return;
  logger.warn(
    `${pending.length} migration(s) pending (${pending.join(', ')}) and MIGRATE_ON_START=false: run npm run cli -- migration:run`,
  );
  if (platform.http)
    failHealthWhileMigrationsPending(
      platform.http.getHttpAdapter().getInstance(),
      dataSource,
      pending,
    );
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
