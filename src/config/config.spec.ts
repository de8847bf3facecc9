import { ConfigError, configWarnings, loadConfig } from './config.js';

const SECRET = 's3cr3t-'.repeat(6);

function problemsOf(env: Record<string, string>): string[] {
  let thrown: unknown;
  try {
    loadConfig(env);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  const error = thrown as ConfigError;
  expect(error.name).toBe('ConfigError');
  for (const problem of error.problems) expect(error.message).toContain(problem);
  return error.problems;
}

describe('loadConfig', () => {
  it('has a default for everything a fresh machine needs', () => {
    // toMatchObject: variables added later by other features do not break this test.
    expect(loadConfig({})).toMatchObject({
      nodeEnv: 'development',
      isProduction: false,
      port: 3000,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:3000',
      mailFrom: 'Rizom Conversations <no-reply@localhost>',
      dataDir: './var',
      migrateOnStart: true,
      role: 'all',
      logLevel: 'info',
      queuePrefix: 'rizom',
      sessionTtlDays: 30,
      signInTokenTtlMinutes: 15,
      rateLimits: { enabled: true, signInPerEmailPerHour: 5, signInPerClientPerHour: 30 },
      graphql: { maxDepth: 10, maxCost: 10_000 },
    });
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.smtpUrl).toBeUndefined();
    expect(config.jwtSecret).toBeUndefined();
  });

  it('reads every variable it knows', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://talk.example.com',
      DATABASE_URL: 'postgresql://app@db:5432/rizom',
      REDIS_URL: 'rediss://cache:6380',
      SMTP_URL: 'smtps://mail.example.com:465',
      MAIL_FROM: 'Ada <ada@example.com>',
      JWT_SECRET: SECRET,
      DATA_DIR: '/srv/rizom',
      MIGRATE_ON_START: 'no',
      ROLE: 'worker',
      LOG_LEVEL: 'debug',
      QUEUE_PREFIX: 'rizom_prod',
      SESSION_TTL_DAYS: '7',
      SIGN_IN_TOKEN_TTL_MINUTES: '10',
      RATE_LIMITS: 'off',
      RATE_SIGN_IN_PER_EMAIL_HOUR: '3',
      RATE_SIGN_IN_PER_CLIENT_HOUR: '20',
      GRAPHQL_MAX_DEPTH: '8',
      GRAPHQL_MAX_COST: '1000',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      isProduction: true,
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'https://talk.example.com',
      databaseUrl: 'postgresql://app@db:5432/rizom',
      redisUrl: 'rediss://cache:6380',
      smtpUrl: 'smtps://mail.example.com:465',
      mailFrom: 'Ada <ada@example.com>',
      jwtSecret: SECRET,
      dataDir: '/srv/rizom',
      migrateOnStart: false,
      role: 'worker',
      logLevel: 'debug',
      queuePrefix: 'rizom_prod',
      sessionTtlDays: 7,
      signInTokenTtlMinutes: 10,
      rateLimits: { enabled: false, signInPerEmailPerHour: 3, signInPerClientPerHour: 20 },
      graphql: { maxDepth: 8, maxCost: 1000 },
    });
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ HOME: '/root', PATH: '/bin', FOO: 'bar' }).port).toBe(3000);
  });

  describe('PUBLIC_URL', () => {
    it('defaults to localhost on PORT', () => {
      expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    });

    it('loses its trailing slashes', () => {
      expect(loadConfig({ PUBLIC_URL: 'https://talk.example.com/' }).publicUrl).toBe(
        'https://talk.example.com',
      );
      expect(loadConfig({ PUBLIC_URL: 'https://example.com/talk///' }).publicUrl).toBe(
        'https://example.com/talk',
      );
    });

    it('is not derived from PORT when given', () => {
      expect(loadConfig({ PORT: '8080', PUBLIC_URL: 'https://talk.example.com' }).publicUrl).toBe(
        'https://talk.example.com',
      );
    });
  });

  describe('EMBED_ORIGINS', () => {
    it('is empty when unset: only our own pages may frame the conversation', () => {
      expect(loadConfig({}).embedOrigins).toEqual([]);
    });

    it('reads comma-separated origins, trimmed, lower-cased by URL rules, without repeats', () => {
      expect(
        loadConfig({
          EMBED_ORIGINS:
            ' https://Blog.Example.org , http://localhost:8080/,https://blog.example.org',
        }).embedOrigins,
      ).toEqual(['https://blog.example.org', 'http://localhost:8080']);
    });

    it.each([
      'https://blog.example.org/posts',
      'blog.example.org',
      '*',
      'https://*.example.org',
      'javascript:alert(1)',
      'ftp://files.example.org',
      'https://blog.example.org?x=1',
      'https://user@blog.example.org',
      "https://a.example 'unsafe-inline'",
      'https://ok.example.org,https://bad.example.org/path',
    ])('refuses %s, naming EMBED_ORIGINS', (value) => {
      const problems = problemsOf({ EMBED_ORIGINS: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^EMBED_ORIGINS: must be comma-separated origins/);
    });
  });

  describe('WEBHOOK_URL and WEBHOOK_SECRET', () => {
    const secret = 'a-webhook-secret-of-length';

    it('are off when unset', () => {
      expect(loadConfig({}).webhooks).toEqual({ urls: [], secret: undefined });
    });

    it('reads comma-separated URLs, trimmed, without repeats, with the secret', () => {
      expect(
        loadConfig({
          WEBHOOK_URL:
            ' https://hooks.example.org/rizom , http://10.0.0.5:8080/in,https://hooks.example.org/rizom',
          WEBHOOK_SECRET: secret,
        }).webhooks,
      ).toEqual({ urls: ['https://hooks.example.org/rizom', 'http://10.0.0.5:8080/in'], secret });
    });

    it('needs the secret with the URL, and a secret of 16 characters or more, never echoed', () => {
      expect(problemsOf({ WEBHOOK_URL: 'https://hooks.example.org' })).toEqual([
        'WEBHOOK_SECRET: is required when WEBHOOK_URL is set (every webhook is signed with it)',
      ]);
      const short = problemsOf({
        WEBHOOK_URL: 'https://hooks.example.org',
        WEBHOOK_SECRET: 'shhh',
      });
      expect(short).toEqual([
        'WEBHOOK_SECRET: must be at least 16 characters (got a value of 4 characters)',
      ]);
    });

    it.each(['hooks.example.org', 'ftp://hooks.example.org', 'https://ok.example.org, nope'])(
      'refuses %s, naming WEBHOOK_URL',
      (value) => {
        const problems = problemsOf({ WEBHOOK_URL: value, WEBHOOK_SECRET: secret });
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(
          /^WEBHOOK_URL: must be comma-separated URLs starting with http/,
        );
      },
    );
  });

  describe('booleans and switches', () => {
    it.each([
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['yes', true],
      ['false', false],
      ['False', false],
      ['0', false],
      ['no', false],
    ])('MIGRATE_ON_START=%s is %s', (value, expected) => {
      expect(loadConfig({ MIGRATE_ON_START: value }).migrateOnStart).toBe(expected);
    });

    it.each([
      ['on', true],
      ['off', false],
      ['OFF', false],
    ])('RATE_LIMITS=%s turns rate limits %s', (value, enabled) => {
      expect(loadConfig({ RATE_LIMITS: value }).rateLimits.enabled).toBe(enabled);
    });

    it.each(['all', 'api', 'worker'])('ROLE=%s is accepted', (role) => {
      expect(loadConfig({ ROLE: role }).role).toBe(role);
    });

    it('accepts port 0 (any free port) and 65535', () => {
      expect(loadConfig({ PORT: '0' }).port).toBe(0);
      expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
    });
  });

  describe('METRICS_TOKEN', () => {
    it('is read, and unset by default', () => {
      expect(loadConfig({}).metricsToken).toBeUndefined();
      expect(loadConfig({ METRICS_TOKEN: 'a-long-operator-token' }).metricsToken).toBe(
        'a-long-operator-token',
      );
    });

    it('must be at least 16 characters, and is never echoed', () => {
      const [problem] = problemsOf({ METRICS_TOKEN: 'short-secret' });
      expect(problem).toMatch(/^METRICS_TOKEN: must be at least 16 characters/);
      expect(problem).not.toContain('short-secret');
    });
  });

  describe('TRUST_PROXY', () => {
    it.each([
      ['false', false],
      ['FALSE', false],
      ['0', false],
      ['1', { hops: 1 }],
      ['2', { hops: 2 }],
      ['10.0.0.0/8', { proxies: ['10.0.0.0/8'] }],
      [
        '10.0.0.0/8, 192.168.1.2,::1,fd00::/8',
        { proxies: ['10.0.0.0/8', '192.168.1.2', '::1', 'fd00::/8'] },
      ],
      ['loopback,10.1.2.3/255.255.0.0', { proxies: ['loopback', '10.1.2.3/255.255.0.0'] }],
    ])('TRUST_PROXY=%s is %j', (value, expected) => {
      expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
    });

    it('is false when unset', () => {
      expect(loadConfig({}).trustProxy).toBe(false);
    });

    it.each(['true', 'TRUE', 'yes'])(
      'refuses TRUST_PROXY=%s, naming the variable and the safe forms',
      (value) => {
        const [problem] = problemsOf({ TRUST_PROXY: value });
        expect(problem).toMatch(/^TRUST_PROXY: /);
        expect(problem).toMatch(/false, a number of hops .*addresses\/CIDRs/);
      },
    );

    it('explains why true is refused', () => {
      expect(problemsOf({ TRUST_PROXY: 'true' })[0]).toMatch(/whatever any client writes/);
    });

    it.each(['10.0.0.0/33', '10.0.0', 'proxy.example.com', '10.0.0.1,', '::1/129', '1.2.3.4/8/9'])(
      'refuses TRUST_PROXY=%s',
      (value) => {
        expect(problemsOf({ TRUST_PROXY: value })[0]).toMatch(/^TRUST_PROXY: must be false, /);
      },
    );
  });

  describe('a bad value is a ConfigError naming the variable and the problem', () => {
    it.each([
      ['PORT', 'abc', /whole number/],
      ['PORT', '70000', /between 0 and 65535/],
      ['PORT', '65536', /between 0 and 65535/],
      ['PORT', '-1', /whole number/],
      ['PORT', '80.5', /whole number/],
      ['PORT', '0x50', /whole number/],
      ['PORT', '1e3', /whole number/],
      ['DATABASE_URL', 'mysql://x', /postgres:\/\/ or postgresql:\/\//],
      ['DATABASE_URL', 'not a url', /postgres:\/\//],
      ['REDIS_URL', 'http://x', /redis:\/\/ or rediss:\/\//],
      ['SMTP_URL', 'foo', /smtp:\/\/ or smtps:\/\//],
      ['PUBLIC_URL', 'ftp://x', /http:\/\/ or https:\/\//],
      ['PUBLIC_URL', 'javascript:alert(1)', /http:\/\/ or https:\/\//],
      ['PUBLIC_URL', 'https://x.example/?a=1', /query or fragment/],
      ['MAIL_FROM', 'no-reply', /email address/],
      ['ROLE', 'both', /all, api or worker/],
      ['MIGRATE_ON_START', 'maybe', /true or false/],
      ['RATE_LIMITS', 'maybe', /on or off/],
      ['NODE_ENV', 'staging', /development, production or test/],
      ['LOG_LEVEL', 'verbose', /info/],
      ['QUEUE_PREFIX', 'Bad-Prefix', /lower-case/],
      ['SESSION_TTL_DAYS', '0', /above 0/],
      ['SIGN_IN_TOKEN_TTL_MINUTES', 'ten', /whole number/],
      ['RATE_SIGN_IN_PER_EMAIL_HOUR', '-3', /whole number/],
      ['GRAPHQL_MAX_DEPTH', '2.5', /whole number/],
      ['JWT_SECRET', 'x'.repeat(31), /at least 32 characters/],
    ])('%s=%s', (name, value, problem) => {
      const problems = problemsOf({ [name]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0].startsWith(`${name}: `)).toBe(true);
      expect(problems[0]).toMatch(problem);
    });

    it('shows the bad value', () => {
      expect(problemsOf({ ROLE: 'both' })[0]).toContain('"both"');
    });

    it('never shows the value of JWT_SECRET', () => {
      const [problem] = problemsOf({ JWT_SECRET: 'hunter2-is-short' });
      expect(problem).toMatch(/^JWT_SECRET: /);
      expect(problem).not.toContain('hunter2');
    });

    it('masks a password in a bad URL', () => {
      const [problem] = problemsOf({ DATABASE_URL: 'mysql://app:topsecret@db/rizom' });
      expect(problem).toMatch(/^DATABASE_URL: /);
      expect(problem).not.toContain('topsecret');
      expect(problem).toContain('mysql://app:***@db/rizom');
    });

    it('reports every bad variable at once', () => {
      const problems = problemsOf({
        PORT: 'abc',
        ROLE: 'both',
        REDIS_URL: 'http://x',
        RATE_LIMITS: 'maybe',
        JWT_SECRET: 'short',
      });
      expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
        'JWT_SECRET',
        'PORT',
        'RATE_LIMITS',
        'REDIS_URL',
        'ROLE',
      ]);
    });
  });

  describe('production', () => {
    it('requires JWT_SECRET', () => {
      expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
        'JWT_SECRET: is required when NODE_ENV=production',
      ]);
    });

    it('reports a missing JWT_SECRET together with other bad values', () => {
      const problems = problemsOf({ NODE_ENV: 'production', PORT: 'abc', JWT_SECRET: ' ' });
      expect(problems).toHaveLength(2);
      expect(problems).toContain('JWT_SECRET: is required when NODE_ENV=production');
      expect(problems.some((problem) => problem.startsWith('PORT: '))).toBe(true);
    });

    it('starts with a JWT_SECRET of 32 characters or more', () => {
      const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
      expect(config.isProduction).toBe(true);
      expect(config.jwtSecret).toBe('x'.repeat(32));
    });

    it('refuses a worker without PUBLIC_URL: its links would point at localhost', () => {
      const secret = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
      expect(problemsOf({ ...secret, ROLE: 'worker' })).toEqual([
        'PUBLIC_URL: is required when ROLE=worker and NODE_ENV=production (a worker builds the links in emails from it)',
      ]);
      const worker = loadConfig({
        ...secret,
        ROLE: 'worker',
        PUBLIC_URL: 'https://talk.example.org/',
      });
      expect(worker.publicUrl).toBe('https://talk.example.org');
      expect(worker.mail.essayUrlTemplate).toBe('https://talk.example.org/essays/{slug}');
      expect(loadConfig({ ROLE: 'worker' }).publicUrl).toBe('http://localhost:3000');
    });

    it('warns when MAIL_POSTAL_ADDRESS is unset', () => {
      const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
      expect(configWarnings(loadConfig(production))).toEqual([
        expect.stringMatching(/^MAIL_POSTAL_ADDRESS: unset/),
      ]);
      expect(
        configWarnings(
          loadConfig({ ...production, MAIL_POSTAL_ADDRESS: '1 Main St, Springfield' }),
        ),
      ).toEqual([]);
      expect(configWarnings(loadConfig({}))).toEqual([]);
    });

    it('is the only environment that needs JWT_SECRET', () => {
      expect(loadConfig({ NODE_ENV: 'test' }).jwtSecret).toBeUndefined();
      expect(loadConfig({ NODE_ENV: 'development' }).jwtSecret).toBeUndefined();
    });
  });

  describe('empty values', () => {
    it('are treated as unset, so defaults apply', () => {
      const config = loadConfig({
        PORT: '',
        ROLE: '',
        PUBLIC_URL: '',
        DATABASE_URL: '',
        MIGRATE_ON_START: '',
        SESSION_TTL_DAYS: '',
        JWT_SECRET: '',
      });
      expect(config.port).toBe(3000);
      expect(config.role).toBe('all');
      expect(config.publicUrl).toBe('http://localhost:3000');
      expect(config.databaseUrl).toBeUndefined();
      expect(config.migrateOnStart).toBe(true);
      expect(config.sessionTtlDays).toBe(30);
      expect(config.jwtSecret).toBeUndefined();
    });

    it('include values of only spaces, and other values are trimmed', () => {
      const config = loadConfig({ PORT: '   ', ROLE: ' api ', SESSION_TTL_DAYS: ' 7\n' });
      expect(config.port).toBe(3000);
      expect(config.role).toBe('api');
      expect(config.sessionTtlDays).toBe(7);
    });

    it('do not satisfy the production JWT_SECRET requirement', () => {
      expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: '' })).toEqual([
        'JWT_SECRET: is required when NODE_ENV=production',
      ]);
    });
  });

  it('reads process.env when given nothing', () => {
    const saved = process.env.ROLE;
    process.env.ROLE = 'api';
    try {
      expect(loadConfig().role).toBe('api');
    } finally {
      if (saved === undefined) delete process.env.ROLE;
      else process.env.ROLE = saved;
    }
  });
});
