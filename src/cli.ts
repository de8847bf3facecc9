import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { Command, CommanderError } from 'commander';
import { readFile } from 'node:fs/promises';
import pino from 'pino';
import { DomainError } from './common/errors.js';
import { ConfigError, loadConfig } from './config/config.js';
import { StartupError } from './config/startup-error.js';
import type { RuntimeConfig } from './config/runtime.js';
import type { PreparedRuntime } from './prepare-runtime.js';

// Everything heavier (Nest, the platform's modules, TypeORM) is imported by the
// command that needs it, so `--help` and argument errors answer at once.

/** Logs go to stderr so that stdout holds only what a command prints. */
const logger = pino(
  { level: process.env.LOG_LEVEL ?? 'warn', base: undefined },
  pino.destination(2),
);
const out = (line: string) => process.stdout.write(`${line}\n`);

async function withRuntime<T>(work: (runtime: PreparedRuntime) => Promise<T>): Promise<T> {
  const [{ prepareRuntime }, { checkServices }] = await Promise.all([
    import('./prepare-runtime.js'),
    import('./preflight.js'),
  ]);
  const config = loadConfig();
  await checkServices(config);
  const runtime = await prepareRuntime(config, (message) => logger.info(message));
  try {
    return await work(runtime);
  } finally {
    await runtime.embedded?.stop();
  }
}

/** The platform's services without its HTTP server or workers. */
async function withServices<T>(
  work: (app: INestApplicationContext, config: RuntimeConfig) => Promise<T>,
): Promise<T> {
  const [{ NestFactory }, { AppModule }, { PinoNestLogger }, { migrateDatabase }] =
    await Promise.all([
      import('@nestjs/core'),
      import('./app.module.js'),
      import('./common/logger.js'),
      import('./database/migrate.js'),
    ]);
  return withRuntime(async ({ config }) => {
    if (config.migrateOnStart) await migrateDatabase(config.databaseUrl);
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot(config, { parts: { api: false, workers: false } }),
      { logger: new PinoNestLogger(logger) },
    );
    try {
      return await work(app, config);
    } finally {
      await app.close();
    }
  });
}

const program = new Command('rizom')
  .description('Operate Rizom Conversations.')
  .exitOverride()
  .showHelpAfterError();

program
  .command('author')
  .description('Create the author, or promote an existing user to author.')
  .argument('<email>')
  .option('--name <name>', 'display name')
  .action((email: string, options: { name?: string }) =>
    withServices(async (app) => {
      const { UsersService } = await import('./users/users.service.js');
      const author = await app.get(UsersService).makeAuthor(email, options.name);
      out(`author ${author.email} (${author.displayName}) id ${author.id}`);
    }),
  );

program
  .command('token')
  .description('Print a session token for an existing user.')
  .argument('<email>')
  .action((email: string) =>
    withServices(async (app) => {
      const [{ UsersService }, { SessionTokens }] = await Promise.all([
        import('./users/users.service.js'),
        import('./auth/session-tokens.js'),
      ]);
      const user = await app.get(UsersService).getByEmail(email);
      out(await app.get(SessionTokens).issue(user));
    }),
  );

program
  .command('import')
  .description('Import essays from markdown files with YAML frontmatter (re-importing updates).')
  .argument('<files...>')
  .option('--author <email>', 'the author to import as (default: the only author)')
  .action((files: string[], options: { author?: string }) =>
    withServices(async (app) => {
      const { EssayImportService } = await import('./essays/essay-import.service.js');
      const author = await findAuthor(app, options.author);
      let failed = 0;
      for (const file of files) {
        try {
          // A command, not a request: the audit log names no one as having acted.
          const { essay, outcome } = await app
            .get(EssayImportService)
            .importMarkdown(null, author, await readFile(file, 'utf8'));
          out(
            `${outcome.toLowerCase().padEnd(9)} ${essay.slug}  (${essay.status.toLowerCase()}, ${file})`,
          );
        } catch (error) {
          failed += 1;
          process.stderr.write(
            `${file}: ${error instanceof Error ? error.message : String(error)}\n`,
          );
        }
      }
      if (failed) process.exitCode = 1;
    }),
  );

program
  .command('demo')
  .description('Seed a demo author, a published essay, readers, responses, replies and interest.')
  .option('--responses <n>', 'public responses on the demo prompt', '50')
  .option('--readers <m>', 'demo readers', '10')
  .action((options: { responses: string; readers: string }) =>
    withServices(async (app) => {
      const { DemoService } = await import('./demo/demo.service.js');
      const result = await app.get(DemoService).seed({
        responses: Number(options.responses),
        readers: Number(options.readers),
      });
      out(`author    ${result.authorEmail}`);
      out(`readers   ${result.readers}`);
      out(
        `responses ${result.publicResponses} public on the prompt (added ${result.created.responses}, ${result.created.replies} author replies, ${result.created.privateResponses} private; ${result.created.interests} new collaborator offers)`,
      );
      out(`essay     ${result.essaySlug}`);
      out(`prompt    ${result.promptId}`);
    }),
  );

program
  .command('digest:run')
  .description(
    'Run one digest planning pass as of an instant (default now); workers send what it decides.',
  )
  .option('--at <iso>', 'the instant to plan as of, e.g. 2026-11-27T08:00:00Z')
  .action((options: { at?: string }) =>
    withServices(async (app) => {
      const at = options.at === undefined ? new Date() : new Date(options.at);
      if (Number.isNaN(at.getTime())) throw new CliError(`--at is not an ISO time: ${options.at}`);
      const { DigestPlanner } = await import('./digests/planner.service.js');
      out(JSON.stringify(await app.get(DigestPlanner).plan(at)));
    }),
  );

program
  .command('migration:run')
  .description('Apply pending database migrations.')
  .action(() =>
    withRuntime(async ({ config }) => {
      const { migrateDatabase } = await import('./database/migrate.js');
      const applied = await migrateDatabase(config.databaseUrl);
      out(applied.length ? `applied ${applied.join(', ')}` : 'no pending migrations');
    }),
  );

program
  .command('migration:revert')
  .description('Revert the last applied migration.')
  .action(() =>
    withRuntime(async ({ config }) => {
      const { revertLastMigration } = await import('./database/migrate.js');
      await revertLastMigration(config.databaseUrl);
      out('reverted the last migration');
    }),
  );

program
  .command('migration:generate')
  .description('Write a migration for the difference between the entities and the database.')
  .argument('<name>')
  .action((name: string) =>
    withRuntime(async ({ config }) => {
      const [{ migrateDatabase }, { generateMigration }] = await Promise.all([
        import('./database/migrate.js'),
        import('./database/migration-generator.js'),
      ]);
      await migrateDatabase(config.databaseUrl);
      out(
        (await generateMigration(config.databaseUrl, name)) ??
          'no changes: the database matches the entities',
      );
    }),
  );

async function findAuthor(app: INestApplicationContext, email?: string) {
  const { UsersService } = await import('./users/users.service.js');
  const users = app.get(UsersService);
  if (email) {
    const user = await users.getByEmail(email);
    if (user.role !== 'AUTHOR')
      throw new CliError(`${email} is not the author. Run: npm run cli -- author ${email}`);
    return user;
  }
  const authors = await users.findAuthors();
  if (authors.length === 0)
    throw new CliError('There is no author yet. Run: npm run cli -- author <email>');
  if (authors.length > 1) throw new CliError('There are several authors; pass --author <email>.');
  return authors[0]!;
}

class CliError extends Error {}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (
    error instanceof CliError ||
    error instanceof DomainError ||
    error instanceof ConfigError ||
    error instanceof StartupError
  ) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
