import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import {
  RateLimiterAbstract,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { queueConnection } from '../queue/queue.config.js';
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
 * Fixed-window counters shared by every instance: in Redis when REDIS_URL is
 * set (keys expire there), else in PostgreSQL, where every instance deletes
 * expired rows every five minutes. `RATE_LIMITS=off` turns them all off.
 */
@Injectable()
export class RateLimits implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RateLimits.name);
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private redis?: Redis;
  private sweeper?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
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

  /**
   * Deletes the PostgreSQL counters whose window has ended (they would only
   * be reset on their next use); answers how many. Real time, as the limiter
   * library counts in it.
   */
  async deleteExpired(): Promise<number> {
    const [, deleted] = (await this.dataSource.query(`DELETE FROM rate_limits WHERE expire < $1`, [
      Date.now(),
    ])) as [unknown, number];
    return deleted;
  }

  /** Counts one use of `rule` by `key`; throws RateLimited when over the limit. */
  async consume(rule: RateRule, key: string): Promise<void> {
    if (!this.config.rateLimits.enabled) return;
    try {
      await this.limiter(rule).consume(key.toLowerCase().slice(0, 200));
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw new RateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
      }
      throw error;
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
      const prefix = `${this.config.queuePrefix}:rl:`;
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

  private newRedis(): Redis {
    return new Redis({
      ...(queueConnection(this.config) as object),
      keyPrefix: `${this.config.queuePrefix}:rl:`,
      enableOfflineQueue: true,
    });
  }

  private limiter(rule: RateRule): RateLimiterAbstract {
    let limiter = this.limiters.get(rule.name);
    if (limiter) return limiter;
    const common = { keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds };
    if (this.config.redisUrl) {
      this.redis ??= this.newRedis();
      limiter = new RateLimiterRedis({ ...common, storeClient: this.redis });
    } else {
      const pool = (this.dataSource.driver as unknown as { master: unknown }).master;
      limiter = new RateLimiterPostgres({
        ...common,
        storeClient: pool,
        tableName: 'rate_limits',
        tableCreated: true,
        clearExpiredByTimeout: false,
      });
    }
    this.limiters.set(rule.name, limiter);
    return limiter;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.sweeper);
    this.redis?.disconnect();
  }
}
