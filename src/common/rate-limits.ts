import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { queueConnection } from '../queue/queue.config.js';
import { Clock } from './clock.js';
import { RateLimited } from './errors.js';

export interface RateRule {
  /** Names the counter; keys of different rules never meet. */
  name: string;
  points: number;
  durationSeconds: number;
}

/** How often expired counters are deleted from PostgreSQL. */
const SWEEP_EVERY_MS = 5 * 60_000;
/**
 * How long Redis keeps a counter past its window (by Redis' own time), so a
 * clock a little ahead of Redis never loses a count still running.
 */
const REDIS_GRACE_MS = 60_000;

/** A counter after one use: the uses in its window, and when the window ends (ms). */
interface Count {
  points: number;
  expire: number;
}

/** A counter of `consumeInOrder`, with its rule's window and limit. */
interface OrderedCounter {
  counter: string;
  windowMs: number;
  limit: number;
}

/**
 * Uses in order, atomically: a counter whose window has ended starts again at
 * 1 with a new window, otherwise it counts on; stops after the first counter
 * over its limit (the later ones are not counted). KEYS the counters; ARGV now, grace,
 * then window (ms) and limit per counter. Answers { points, expire } pairs for
 * the counters it counted.
 */
const REDIS_CONSUME_IN_ORDER = `
local now = tonumber(ARGV[1])
local grace = tonumber(ARGV[2])
local counted = {}
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[1 + 2 * i])
  local limit = tonumber(ARGV[2 + 2 * i])
  local state = redis.call('HMGET', key, 'points', 'expire')
  local points = tonumber(state[1])
  local expire = tonumber(state[2])
  if not expire or expire <= now then
    points = 1
    expire = now + window
  else
    points = points + 1
  end
  redis.call('HSET', key, 'points', points, 'expire', expire)
  redis.call('PEXPIRE', key, expire - now + grace)
  table.insert(counted, points)
  table.insert(counted, expire)
  if points > limit then break end
end
return counted
`;

/**
 * Fixed-window counters shared by every instance: in Redis when REDIS_URL is
 * set (keys expire there), else in PostgreSQL, where every instance deletes
 * expired rows every five minutes. A window starts at the first use after the
 * last one ended. Time is the injected clock's, so tests move it.
 * `RATE_LIMITS=off` turns them all off.
 */
@Injectable()
export class RateLimits implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RateLimits.name);
  private redis?: Redis;
  private sweeper?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    if (!config.rateLimits.enabled) {
      this.logger.warn(
        'RATE_LIMITS=off: every rate limit is disabled. Never run like this in public.',
      );
    }
  }

  onModuleInit(): void {
    if (this.config.redisUrl || !this.config.rateLimits.enabled) return;
    this.sweeper = setInterval(() => {
      this.deleteExpired().catch((error: unknown) =>
        this.logger.warn(`could not delete expired rate-limit counters: ${String(error)}`),
      );
    }, SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  /** Deletes the PostgreSQL counters whose window has ended; answers how many. */
  async deleteExpired(): Promise<number> {
    const [, deleted] = (await this.dataSource.query(`DELETE FROM rate_limits WHERE expire < $1`, [
      this.clock.now().getTime(),
    ])) as [unknown, number];
    return deleted;
  }

  /** Counts one use of `rule` by `key`; throws RateLimited when over the limit. */
  consume(rule: RateRule, key: string): Promise<void> {
    return this.consumeInOrder([rule], key);
  }

  /**
   * Counts one use of each rule by `key`, in order and in one round trip;
   * throws RateLimited for the first rule over its limit, whose later rules
   * are then not counted (as consuming them one after another would).
   */
  async consumeInOrder(rules: readonly RateRule[], key: string): Promise<void> {
    if (!this.config.rateLimits.enabled || rules.length === 0) return;
    const now = this.clock.now().getTime();
    const counters = rules.map((rule) => ({
      counter: `${rule.name}:${key.toLowerCase().slice(0, 200)}`,
      windowMs: rule.durationSeconds * 1000,
      limit: rule.points,
    }));
    const counts = this.config.redisUrl
      ? await this.countInOrderInRedis(counters, now)
      : await this.countInOrderInPostgres(counters, now);
    for (const [i, count] of counts.entries()) {
      if (count.points > rules[i]!.points) {
        throw new RateLimited(Math.max(1, Math.ceil((count.expire - now) / 1000)));
      }
    }
  }

  /** Like consume, but answers false instead of throwing when over the limit. */
  async tryConsume(rule: RateRule, key: string): Promise<boolean> {
    try {
      await this.consume(rule, key);
      return true;
    } catch (error) {
      if (error instanceof RateLimited) return false;
      throw error;
    }
  }

  /** Deletes every counter whose key contains `text` (a deleted account's address). */
  async forgetKeysContaining(text: string): Promise<void> {
    const needle = text.toLowerCase();
    if (this.config.redisUrl) {
      const prefix = `${this.config.queuePrefix}:rate:`;
      const pattern = `${prefix}*${needle.replace(/[*?[\]\\]/g, '\\$&')}*`;
      // The client adds its keyPrefix to commands, not to what SCAN answers.
      const scanner = new Redis(queueConnection(this.config) as object);
      try {
        for await (const keys of scanner.scanStream({ match: pattern, count: 500 })) {
          if ((keys as string[]).length) await scanner.del(...(keys as string[]));
        }
      } finally {
        scanner.disconnect();
      }
      return;
    }
    await this.dataSource.query(`DELETE FROM rate_limits WHERE strpos(key, $1) > 0`, [needle]);
  }

  private async countInOrderInRedis(counters: OrderedCounter[], now: number): Promise<Count[]> {
    const flat = (await this.redisClient().eval(
      REDIS_CONSUME_IN_ORDER,
      counters.length,
      ...counters.map((c) => c.counter),
      now,
      REDIS_GRACE_MS,
      ...counters.flatMap((c) => [c.windowMs, c.limit]),
    )) as number[];
    const counts: Count[] = [];
    for (let i = 0; i < flat.length; i += 2)
      counts.push({ points: flat[i]!, expire: flat[i + 1]! });
    return counts;
  }

  /**
   * One statement: a chain of upserts, each counting only when the one
   * before stayed within its limit.
   */
  private async countInOrderInPostgres(counters: OrderedCounter[], now: number): Promise<Count[]> {
    const values: unknown[] = [now];
    const steps = counters.map((c, i) => {
      values.push(c.counter, now + c.windowMs);
      const key = `$${values.length - 1}`;
      const expire = `$${values.length}`;
      const source =
        i === 0
          ? `VALUES (${key}, 1, ${expire}::bigint)`
          : `SELECT ${key}, 1, ${expire}::bigint FROM c${i - 1} WHERE c${i - 1}.points <= ${Number(counters[i - 1]!.limit)}`;
      return `c${i} AS (
        INSERT INTO rate_limits (key, points, expire) ${source}
        ON CONFLICT (key) DO UPDATE SET
          points = CASE WHEN rate_limits.expire <= $1 THEN 1 ELSE rate_limits.points + 1 END,
          expire = CASE WHEN rate_limits.expire <= $1 THEN EXCLUDED.expire ELSE rate_limits.expire END
        RETURNING points, expire)`;
    });
    const results = counters
      .map((_, i) => `SELECT ${i} AS step, points, expire FROM c${i}`)
      .join(' UNION ALL ');
    const rows = (await this.dataSource.query(
      `WITH ${steps.join(',\n')} ${results} ORDER BY step`,
      values,
    )) as { points: number; expire: string }[];
    return rows.map((row) => ({ points: row.points, expire: Number(row.expire) }));
  }

  private redisClient(): Redis {
    this.redis ??= new Redis({
      ...(queueConnection(this.config) as object),
      // Not `:rl:`, where rate-limiter-flexible kept plain counters before.
      keyPrefix: `${this.config.queuePrefix}:rate:`,
      enableOfflineQueue: true,
    });
    return this.redis;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweeper);
    this.redis?.disconnect();
  }
}
