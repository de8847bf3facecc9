import { z } from 'zod';

/** The environment the platform reads, validated once at start-up. */
const booleanString = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }))
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/** Digits only: Number() would also take "0x50", "1e3" and "3.0". */
const wholeNumber = z
  .string()
  .regex(/^\d+$/, 'must be a whole number')
  .transform((value) => Number(value));

const positiveInt = wholeNumber.pipe(z.number().positive('must be above 0'));

const MAILBOX = /^(?:[^<>]*<\s*[^\s<>@]+@[^\s<>@]+\s*>|[^\s<>@]+@[^\s<>@]+)$/;

const POSTAL_ADDRESS_PLACEHOLDER = 'Rizom Conversations, postal address not configured';

const environmentSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      error: 'must be development, production or test',
    })
    .default('development'),
  PORT: wholeNumber.pipe(z.number().max(65535, 'must be between 0 and 65535')).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  TRUST_PROXY: booleanString.default(false),
  PUBLIC_URL: url(['http:', 'https:'])
    .refine((value) => !/[?#]/.test(value), 'must not have a query or fragment')
    .optional(),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z
    .string()
    .regex(MAILBOX, 'must be an email address, optionally as "Name <address>"')
    .default('Rizom Conversations <no-reply@localhost>'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DATA_DIR: z.string().min(1).default('./var'),
  MIGRATE_ON_START: booleanString.default(true),
  ROLE: z.enum(['all', 'api', 'worker'], { error: 'must be all, api or worker' }).default('all'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'must be lower-case letters, digits and _')
    .default('rizom'),
  SESSION_TTL_DAYS: positiveInt.default(30),
  SIGN_IN_TOKEN_TTL_MINUTES: positiveInt.default(15),
  RATE_LIMITS: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(['on', 'off'], { error: 'must be on or off' }))
    .default('on'),
  RATE_SIGN_IN_PER_EMAIL_HOUR: positiveInt.default(5),
  RATE_SIGN_IN_PER_CLIENT_HOUR: positiveInt.default(30),
  RATE_RESPONSE_INTERVAL_SECONDS: positiveInt.default(5),
  RATE_RESPONSES_PER_HOUR: positiveInt.default(30),
  RATE_DUPLICATE_WINDOW_MINUTES: positiveInt.default(10),
  RATE_INTEREST_PER_HOUR: positiveInt.default(5),
  RESPONSE_MAX_LENGTH: positiveInt.default(10_000),
  RATE_SUBSCRIBE_PER_EMAIL_HOUR: positiveInt.default(5),
  RATE_SUBSCRIBE_PER_CLIENT_HOUR: positiveInt.default(30),
  MAIL_POSTAL_ADDRESS: z.string().min(1).default(POSTAL_ADDRESS_PLACEHOLDER),
  MAIL_CONCURRENCY: positiveInt.default(8),
  SMTP_POOL_SIZE: wholeNumber.default(8),
  ESSAY_URL_TEMPLATE: z
    .string()
    .refine((value) => value.includes('{slug}'), 'must contain {slug}')
    .optional(),
  DIGEST_PLAN_EVERY_MINUTES: positiveInt.default(15),
  DIGEST_REQUEUE_AFTER_MINUTES: positiveInt.default(10),
  DIGEST_BATCH_SIZE: positiveInt.default(5000),
  GRAPHQL_MAX_DEPTH: positiveInt.default(10),
  // graphql-armor's cost grows 1.5× per level: a page of responses with nested replies costs ~24k.
  GRAPHQL_MAX_COST: positiveInt.default(50_000),
  ANONYMOUS_CACHE_TTL_MS: wholeNumber
    .pipe(z.number().max(60_000, 'must be at most 60000'))
    .default(2000),
});

/** Variables whose values must not be echoed into logs. */
const SECRETS = new Set(['JWT_SECRET']);
const URLS_WITH_PASSWORDS = new Set(['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'PUBLIC_URL']);

export type Role = 'all' | 'api' | 'worker';

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  host: string;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  publicUrl: string;
  databaseUrl?: string;
  redisUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  jwtSecret?: string;
  dataDir: string;
  migrateOnStart: boolean;
  role: Role;
  logLevel: string;
  queuePrefix: string;
  sessionTtlDays: number;
  signInTokenTtlMinutes: number;
  rateLimits: {
    enabled: boolean;
    signInPerEmailPerHour: number;
    signInPerClientPerHour: number;
    responseIntervalSeconds: number;
    responsesPerHour: number;
    duplicateWindowMinutes: number;
    interestPerHour: number;
    subscribePerEmailPerHour: number;
    subscribePerClientPerHour: number;
  };
  responses: { maxLength: number };
  mail: {
    postalAddress: string;
    essayUrlTemplate: string;
    /** Mail jobs a worker process runs at once (each holds a database connection while it sends). */
    concurrency: number;
    /** SMTP connections each process keeps open; 0 opens one per message. */
    smtpPoolSize: number;
  };
  digests: { planEveryMinutes: number; requeueAfterMinutes: number; batchSize: number };
  graphql: {
    maxDepth: number;
    maxCost: number;
    /** How long a whole response to an anonymous query may be reused; 0 turns the cache off. */
    anonymousCacheTtlMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(
    Object.entries(env)
      .map(([name, value]) => [name, value?.trim()] as const)
      .filter((entry): entry is readonly [string, string] => !!entry[1]),
  );
  const parsed = environmentSchema.safeParse(present);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        return `${name}: ${issue.message} (got ${shown(name, present[name])})`;
      });
  if (present.NODE_ENV === 'production' && !present.JWT_SECRET) {
    problems.push('JWT_SECRET: is required when NODE_ENV=production');
  }
  if (present.NODE_ENV === 'production' && present.ROLE === 'worker' && !present.PUBLIC_URL) {
    problems.push(
      'PUBLIC_URL: is required when ROLE=worker and NODE_ENV=production (a worker builds the links in emails from it)',
    );
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    nodeEnv: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    trustProxy: e.TRUST_PROXY,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    jwtSecret: e.JWT_SECRET,
    dataDir: e.DATA_DIR,
    migrateOnStart: e.MIGRATE_ON_START,
    role: e.ROLE,
    logLevel: e.LOG_LEVEL,
    queuePrefix: e.QUEUE_PREFIX,
    sessionTtlDays: e.SESSION_TTL_DAYS,
    signInTokenTtlMinutes: e.SIGN_IN_TOKEN_TTL_MINUTES,
    rateLimits: {
      enabled: e.RATE_LIMITS === 'on',
      signInPerEmailPerHour: e.RATE_SIGN_IN_PER_EMAIL_HOUR,
      signInPerClientPerHour: e.RATE_SIGN_IN_PER_CLIENT_HOUR,
      responseIntervalSeconds: e.RATE_RESPONSE_INTERVAL_SECONDS,
      responsesPerHour: e.RATE_RESPONSES_PER_HOUR,
      duplicateWindowMinutes: e.RATE_DUPLICATE_WINDOW_MINUTES,
      interestPerHour: e.RATE_INTEREST_PER_HOUR,
      subscribePerEmailPerHour: e.RATE_SUBSCRIBE_PER_EMAIL_HOUR,
      subscribePerClientPerHour: e.RATE_SUBSCRIBE_PER_CLIENT_HOUR,
    },
    responses: { maxLength: e.RESPONSE_MAX_LENGTH },
    mail: {
      postalAddress: e.MAIL_POSTAL_ADDRESS,
      essayUrlTemplate: e.ESSAY_URL_TEMPLATE ?? `${publicUrl}/essays/{slug}`,
      concurrency: e.MAIL_CONCURRENCY,
      smtpPoolSize: e.SMTP_POOL_SIZE,
    },
    digests: {
      planEveryMinutes: e.DIGEST_PLAN_EVERY_MINUTES,
      requeueAfterMinutes: e.DIGEST_REQUEUE_AFTER_MINUTES,
      batchSize: e.DIGEST_BATCH_SIZE,
    },
    graphql: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxCost: e.GRAPHQL_MAX_COST,
      anonymousCacheTtlMs: e.ANONYMOUS_CACHE_TTL_MS,
    },
  };
}

/** What is allowed but probably wrong: logged as warnings at start. */
export function configWarnings(config: AppConfig): string[] {
  const warnings: string[] = [];
  if (config.isProduction && config.mail.postalAddress === POSTAL_ADDRESS_PLACEHOLDER) {
    warnings.push(
      'MAIL_POSTAL_ADDRESS: unset, so bulk email footers show a placeholder; set it to your postal address',
    );
  }
  return warnings;
}

/** A bad value as it may appear in an error: secrets hidden, URL passwords masked. */
function shown(name: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (SECRETS.has(name)) return `a value of ${value.length} characters`;
  if (URLS_WITH_PASSWORDS.has(name)) {
    try {
      const url = new URL(value);
      if (url.password) {
        url.password = '***';
        return JSON.stringify(url.toString());
      }
    } catch {
      // not a URL: nothing to mask
    }
  }
  return JSON.stringify(value);
}
