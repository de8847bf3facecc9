import { isIP } from 'node:net';
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

/**
 * Which peers may set X-Forwarded-For: none, the nearest N hops, or named
 * proxies. `true` (everyone) would let any client choose its own address.
 */
export type TrustProxy = false | { hops: number } | { proxies: string[] };

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const TRUST_PROXY_FORMS =
  'false, a number of hops (1 = one proxy in front), or proxy addresses/CIDRs separated by commas (e.g. 10.0.0.0/8,192.168.1.2)';

function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (isIP(prefix)) return true; // a netmask
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const trustProxy = z.string().transform((value, context): TrustProxy => {
  const text = value.toLowerCase();
  if (text === 'false' || text === '0') return false;
  if (/^\d+$/.test(text)) return { hops: Number(text) };
  const proxies = text.split(',').map((entry) => entry.trim());
  if (text === 'true' || !proxies.every(isProxyAddress)) {
    context.addIssue({
      code: 'custom',
      message:
        text === 'true'
          ? `true would trust whatever any client writes in X-Forwarded-For; use ${TRUST_PROXY_FORMS}`
          : `must be ${TRUST_PROXY_FORMS}`,
    });
    return z.NEVER;
  }
  return { proxies };
});

/** Comma-separated origins (`scheme://host[:port]`), as CSP frame-ancestors takes them. */
const originList = z.string().transform((value, context) => {
  const origins: string[] = [];
  for (const item of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const origin = originOf(item);
    if (!origin) {
      context.addIssue({
        code: 'custom',
        message: `must be comma-separated origins like https://blog.example.org (scheme, host and port only), not ${JSON.stringify(item)}`,
      });
      return z.NEVER;
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  return origins;
});

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (!/^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/.test(url.hostname)) return undefined;
    // Only the origin may be written (a lone trailing slash aside): no path, query, user.
    const written = value.replace(/\/$/, '').toLowerCase();
    return written === url.origin.toLowerCase() ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Comma-separated http(s) URLs, each kept as written (webhook endpoints). */
const urlList = z.string().transform((value, context) => {
  const urls: string[] = [];
  for (const item of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(item);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      context.addIssue({
        code: 'custom',
        message: `must be comma-separated URLs starting with http:// or https://, not ${JSON.stringify(item)}`,
      });
      return z.NEVER;
    }
    if (!urls.includes(parsed.toString())) urls.push(parsed.toString());
  }
  return urls;
});

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
  TRUST_PROXY: trustProxy.default(false),
  PUBLIC_URL: url(['http:', 'https:'])
    .refine((value) => !/[?#]/.test(value), 'must not have a query or fragment')
    .optional(),
  EMBED_ORIGINS: originList.optional(),
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
  RATE_SIGN_IN_CODE_TRIES_HOUR: positiveInt.default(10),
  RATE_SIGN_IN_MAILS_PER_HOUR: positiveInt.default(20),
  RATE_RESPONSE_INTERVAL_SECONDS: positiveInt.default(5),
  RATE_RESPONSES_PER_HOUR: positiveInt.default(30),
  RATE_DUPLICATE_WINDOW_MINUTES: positiveInt.default(10),
  RATE_INTEREST_PER_HOUR: positiveInt.default(5),
  RATE_REPORTS_PER_HOUR: positiveInt.default(20),
  RESPONSE_MAX_LENGTH: positiveInt.default(10_000),
  RATE_PREVIEW_PER_CLIENT_MINUTE: positiveInt.default(60),
  RATE_SUBSCRIBE_PER_EMAIL_HOUR: positiveInt.default(5),
  RATE_SUBSCRIBE_PER_CLIENT_HOUR: positiveInt.default(30),
  MAIL_POSTAL_ADDRESS: z.string().min(1).default(POSTAL_ADDRESS_PLACEHOLDER),
  MAIL_CONCURRENCY: positiveInt.default(8),
  MAIL_JOB_SIZE: positiveInt.default(50),
  SMTP_POOL_SIZE: wholeNumber.default(8),
  ESSAY_URL_TEMPLATE: z
    .string()
    .refine((value) => value.includes('{slug}'), 'must contain {slug}')
    .optional(),
  DIGEST_PLAN_EVERY_MINUTES: positiveInt.default(15),
  DIGEST_REQUEUE_AFTER_MINUTES: positiveInt.default(10),
  DIGEST_BATCH_SIZE: positiveInt.default(5000),
  GRAPHQL_MAX_DEPTH: positiveInt.default(10),
  // Nodes (list items) one operation may fetch; an essay page with replies is ~2,800.
  GRAPHQL_MAX_COST: positiveInt.default(10_000),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  WEBHOOK_URL: urlList.optional(),
  WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  REPORTS_TO_HIDE: positiveInt.default(3),
  SPAM_MIN_SUBMIT_MS: wholeNumber
    .pipe(z.number().max(600_000, 'must be at most 600000'))
    .default(3000),
  AKISMET_KEY: z.string().min(1).optional(),
  AKISMET_URL: url(['http:', 'https:']).default('https://rest.akismet.com'),
  AKISMET_TIMEOUT_MS: positiveInt.default(5000),
  ANONYMOUS_CACHE_TTL_MS: wholeNumber
    .pipe(z.number().max(60_000, 'must be at most 60000'))
    .default(2000),
});

/** Variables whose values must not be echoed into logs. */
const SECRETS = new Set(['JWT_SECRET', 'METRICS_TOKEN', 'WEBHOOK_SECRET', 'AKISMET_KEY']);
const URLS_WITH_PASSWORDS = new Set([
  'DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
  'PUBLIC_URL',
  'WEBHOOK_URL',
]);

export type Role = 'all' | 'api' | 'worker';

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  host: string;
  /** Whose X-Forwarded-For names the client: no one, the nearest hops, or these proxies. */
  trustProxy: TrustProxy;
  publicUrl: string;
  /** Sites that may frame the embeddable conversation (CSP frame-ancestors, besides our own). */
  embedOrigins: string[];
  databaseUrl?: string;
  redisUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  jwtSecret?: string;
  /** The Bearer token /metrics and the detailed /health want; unset, /metrics is not served. */
  metricsToken?: string;
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
    signInCodeTriesPerHour: number;
    signInMailsPerEmailPerHour: number;
    responseIntervalSeconds: number;
    responsesPerHour: number;
    duplicateWindowMinutes: number;
    interestPerHour: number;
    reportsPerHour: number;
    previewPerClientPerMinute: number;
    subscribePerEmailPerHour: number;
    subscribePerClientPerHour: number;
  };
  responses: { maxLength: number };
  moderation: {
    /** Reports from distinct readers that hide a response pending review. */
    reportsToHide: number;
    /** A browser form sent sooner than this after it appeared holds the response; 0: no check. */
    minSubmitMs: number;
    /** Akismet-compatible spam check: on when a key is set. */
    akismet: { key?: string; url: string; timeoutMs: number };
  };
  mail: {
    postalAddress: string;
    essayUrlTemplate: string;
    /** Messages a worker process has in flight at once (claimed, being composed or sent). */
    concurrency: number;
    /** Deliveries one send job names (the planner's digests are queued this many per job). */
    jobSize: number;
    /** SMTP connections each process keeps open; 0 opens one per message. */
    smtpPoolSize: number;
  };
  digests: { planEveryMinutes: number; requeueAfterMinutes: number; batchSize: number };
  /** Where events are POSTed (none: webhooks off) and the key that signs them. */
  webhooks: { urls: string[]; secret?: string };
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
  if (present.WEBHOOK_URL && !present.WEBHOOK_SECRET) {
    problems.push(
      'WEBHOOK_SECRET: is required when WEBHOOK_URL is set (every webhook is signed with it)',
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
    embedOrigins: e.EMBED_ORIGINS ?? [],
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    jwtSecret: e.JWT_SECRET,
    metricsToken: e.METRICS_TOKEN,
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
      signInCodeTriesPerHour: e.RATE_SIGN_IN_CODE_TRIES_HOUR,
      signInMailsPerEmailPerHour: e.RATE_SIGN_IN_MAILS_PER_HOUR,
      responseIntervalSeconds: e.RATE_RESPONSE_INTERVAL_SECONDS,
      responsesPerHour: e.RATE_RESPONSES_PER_HOUR,
      duplicateWindowMinutes: e.RATE_DUPLICATE_WINDOW_MINUTES,
      interestPerHour: e.RATE_INTEREST_PER_HOUR,
      reportsPerHour: e.RATE_REPORTS_PER_HOUR,
      previewPerClientPerMinute: e.RATE_PREVIEW_PER_CLIENT_MINUTE,
      subscribePerEmailPerHour: e.RATE_SUBSCRIBE_PER_EMAIL_HOUR,
      subscribePerClientPerHour: e.RATE_SUBSCRIBE_PER_CLIENT_HOUR,
    },
    responses: { maxLength: e.RESPONSE_MAX_LENGTH },
    moderation: {
      reportsToHide: e.REPORTS_TO_HIDE,
      minSubmitMs: e.SPAM_MIN_SUBMIT_MS,
      akismet: {
        key: e.AKISMET_KEY,
        url: e.AKISMET_URL.replace(/\/+$/, ''),
        timeoutMs: e.AKISMET_TIMEOUT_MS,
      },
    },
    mail: {
      postalAddress: e.MAIL_POSTAL_ADDRESS,
      essayUrlTemplate: e.ESSAY_URL_TEMPLATE ?? `${publicUrl}/essays/{slug}`,
      concurrency: e.MAIL_CONCURRENCY,
      jobSize: e.MAIL_JOB_SIZE,
      smtpPoolSize: e.SMTP_POOL_SIZE,
    },
    digests: {
      planEveryMinutes: e.DIGEST_PLAN_EVERY_MINUTES,
      requeueAfterMinutes: e.DIGEST_REQUEUE_AFTER_MINUTES,
      batchSize: e.DIGEST_BATCH_SIZE,
    },
    webhooks: { urls: e.WEBHOOK_URL ?? [], secret: e.WEBHOOK_SECRET },
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
