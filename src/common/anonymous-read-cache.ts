import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { PubSubEngine } from 'graphql-subscriptions';
import { LRUCache } from 'lru-cache';

/** A whole GraphQL response as it went out. */
export interface CachedReply {
  payload: string;
  contentType: string;
}

export interface AnonymousReadCacheOptions {
  /** How long an entry may be served; 0 turns the cache off. */
  ttlMs: number;
  /** Where invalidations travel to the other api instances (Redis when configured). */
  engine?: PubSubEngine;
  channel?: string;
}

/** The channel on which every api instance's cache hears that it must clear. */
export function anonymousCacheChannel(queuePrefix: string): string {
  return `${queuePrefix}:anonymous-cache`;
}

/**
 * Clears every api instance's cache from a process that changed published
 * data outside a GraphQL mutation (a worker's job), over the same engine.
 */
export async function announceAnonymousCacheClear(
  engine: PubSubEngine,
  channel: string,
): Promise<void> {
  await engine.publish(channel, { from: 'elsewhere' });
}

const MAX_BYTES = 32 * 1024 * 1024;
const MAX_ENTRY_BYTES = 1024 * 1024;

/**
 * Whole responses to anonymous GraphQL queries, reused for a moment. Anonymous
 * requests see public data only, and only they are cached (see
 * anonymous-read-cache.hooks.ts), so nothing private can come out of here.
 *
 * Freshness: every mutation clears it when its resolver is done (this
 * instance at once, the others through `engine`); a response computed while a
 * clear happened is not stored, since it may have read the data before the
 * change. A worker's job that publishes clears it the same way
 * (`announceAnonymousCacheClear`). Other writes that are not GraphQL
 * mutations (the CLI, a worker without a shared pub/sub, a lost Redis
 * message) show within `ttlMs`.
 */
export class AnonymousReadCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AnonymousReadCache.name);
  private readonly entries?: LRUCache<string, CachedReply>;
  private subscription?: number;
  /** Goes up on every clear; a response computed across a clear is not stored. */
  private currentGeneration = 0;
  /** Marks this instance's announcements: it has cleared already when its own comes back. */
  private readonly instanceId = randomUUID();

  constructor(private readonly options: AnonymousReadCacheOptions) {
    if (options.ttlMs > 0) {
      this.entries = new LRUCache<string, CachedReply>({
        ttl: options.ttlMs,
        maxSize: MAX_BYTES,
        maxEntrySize: MAX_ENTRY_BYTES,
        sizeCalculation: (reply, key) => reply.payload.length + key.length,
      });
    }
  }

  get enabled(): boolean {
    return this.entries !== undefined;
  }

  get generation(): number {
    return this.currentGeneration;
  }

  get(key: string): CachedReply | undefined {
    return this.entries?.get(key);
  }

  /** Stores a response computed since `generation` began, unless a clear came in between. */
  set(key: string, generation: number, reply: CachedReply): void {
    if (generation === this.currentGeneration) this.entries?.set(key, reply);
  }

  /** Data changed: forget everything here and tell the other instances. */
  invalidate(): void {
    if (!this.entries) return;
    this.clear();
    const { engine, channel } = this.options;
    if (engine && channel) {
      engine.publish(channel, { from: this.instanceId }).catch((error: unknown) => {
        // The other instances still expire their entries within ttlMs.
        this.logger.warn(`could not announce a cache clear: ${String(error)}`);
      });
    }
  }

  async onModuleInit(): Promise<void> {
    const { engine, channel } = this.options;
    if (this.entries && engine && channel) {
      this.subscription = await engine.subscribe(
        channel,
        (message?: { from?: string }) => {
          // Its own echo would clear again, a moment later, what was cached since.
          if (message?.from !== this.instanceId) this.clear();
        },
        {},
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.subscription === undefined) return;
    const subscription = this.subscription;
    this.subscription = undefined;
    try {
      await this.options.engine?.unsubscribe(subscription);
    } catch {
      // the engine may already be closed
    }
  }

  private clear(): void {
    this.currentGeneration += 1;
    this.entries?.clear();
  }
}
