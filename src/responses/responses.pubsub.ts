import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import { Redis } from 'ioredis';
import {
  announceAnonymousCacheClear,
  anonymousCacheChannel,
} from '../common/anonymous-read-cache.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { queueConnection } from '../queue/queue.config.js';
import { ResponseEntity } from './response.entity.js';

/** What crosses instances when a response arrives: ids and the facts filters need, no body. */
export interface ResponseAddedEvent {
  responseId: string;
  promptId: string;
  visibility: string;
  threadOwnerId: string;
}

/** A response that went out and is now held again: ids only, and whom not to tell. */
export interface ResponseRemovedEvent {
  responseId: string;
  essayId: string;
  visibility: string;
  /** Its writer still sees it (awaiting review), as does the author. */
  writerId: string;
}

/**
 * Subscribes only on a ready connection. ioredis 5 writes SUBSCRIBE while its
 * own handshake is still under way; the ready check after it then fails, the
 * connection starts over, and since it never was ready it does not subscribe
 * again: the channel would go quiet for good (ioredis issue 2037, fixed in
 * ioredis 6, which BullMQ 6 does not take). Once closing, it refuses new
 * subscriptions with a plain error.
 */
class SubscribeWhenReady extends RedisPubSub {
  /** Set as closing starts: the connection may still look ready until its socket ends. */
  private closing = false;

  override async subscribe<T = unknown>(
    trigger: string,
    onMessage: (message: T) => void,
    options?: unknown,
  ): Promise<number> {
    const client = this.getSubscriber();
    for (;;) {
      // A SUBSCRIBE that fails makes graphql-redis-subscriptions reject a promise nobody awaits.
      if (this.closing || client.status === 'end')
        throw new Error('the Redis subscriber connection is closed');
      if (client.status === 'ready') break;
      await new Promise<void>((resolve) => {
        const settle = () => {
          client.off('ready', settle).off('end', settle);
          resolve();
        };
        client.once('ready', settle).once('end', settle);
      });
    }
    return super.subscribe(trigger, onMessage, options);
  }

  override close(): Promise<'OK'[]> {
    this.closing = true;
    return super.close();
  }
}

/**
 * Live response events: through Redis pub/sub when REDIS_URL is set, so every
 * api instance hears them; in this process otherwise.
 */
@Injectable()
export class ResponsesPubSub implements OnModuleDestroy {
  private readonly logger = new Logger(ResponsesPubSub.name);
  readonly engine: PubSubEngine;
  private readonly channelPrefix: string;
  private readonly cacheChannel: string;
  private readonly clients: Redis[] = [];

  constructor(@Inject(APP_CONFIG) config: RuntimeConfig) {
    this.channelPrefix = `${config.queuePrefix}:responses:`;
    this.cacheChannel = anonymousCacheChannel(config.queuePrefix);
    if (config.redisUrl) {
      const options = queueConnection(config) as object;
      const publisher = new Redis(options);
      const subscriber = new Redis(options);
      for (const client of [publisher, subscriber]) {
        // Reconnects are ioredis's to make; without a listener it prints each to stderr.
        client.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
      }
      this.clients.push(publisher, subscriber);
      this.engine = new SubscribeWhenReady({ publisher, subscriber });
    } else {
      this.engine = new PubSub();
    }
  }

  channel(promptId: string): string {
    return `${this.channelPrefix}${promptId}`;
  }

  /** Responses taken out of an essay's conversation (response-removed.resolver.ts). */
  removedChannel(essayId: string): string {
    return `${this.channelPrefix}removed:${essayId}`;
  }

  /** Every response, for the author's desk (desk-response-added.resolver.ts). */
  deskChannel(): string {
    return `${this.channelPrefix}desk`;
  }

  /** Something the desk's saved views count changed (desk-counts-changed.resolver.ts). */
  deskCountsChannel(): string {
    return `${this.channelPrefix}desk-counts`;
  }

  async announce(response: ResponseEntity): Promise<void> {
    const event: ResponseAddedEvent = {
      responseId: response.id,
      promptId: response.promptId,
      visibility: response.visibility,
      threadOwnerId: response.threadOwnerId,
    };
    try {
      await this.engine.publish(this.channel(response.promptId), event);
      await this.engine.publish(this.deskChannel(), event);
    } catch (error) {
      // Live updates are best effort: the response is saved either way.
      this.logger.warn(`could not announce response ${response.id}: ${String(error)}`);
    }
    await this.announceQueueChange();
  }

  /**
   * The review queue changed (a response came, left or was triaged, a report
   * opened or closed): the desk recounts its saved views. Carries nothing;
   * each author's subscription counts for itself.
   */
  async announceQueueChange(): Promise<void> {
    try {
      await this.engine.publish(this.deskCountsChannel(), { changed: true });
    } catch (error) {
      this.logger.warn(`could not announce a queue change: ${String(error)}`);
    }
  }

  /**
   * A published response is held again (an edit): readers who have the
   * conversation open take it out. Call it after the change is committed.
   */
  async withdraw(response: ResponseEntity): Promise<void> {
    const event: ResponseRemovedEvent = {
      responseId: response.id,
      essayId: response.essayId,
      visibility: response.visibility,
      writerId: response.authorId,
    };
    try {
      await this.engine.publish(this.removedChannel(response.essayId), event);
    } catch (error) {
      // Best effort, like announce: the next read leaves it out either way.
      this.logger.warn(`could not withdraw response ${response.id}: ${String(error)}`);
    }
  }

  /**
   * A job published a response: the api instances' anonymous caches clear,
   * as after a mutation (in this process, or through Redis when set).
   */
  async clearAnonymousCaches(): Promise<void> {
    try {
      await announceAnonymousCacheClear(this.engine, this.cacheChannel);
    } catch (error) {
      // The caches still expire within ANONYMOUS_CACHE_TTL_MS.
      this.logger.warn(`could not clear the anonymous caches: ${String(error)}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.engine instanceof RedisPubSub) await this.engine.close();
    for (const client of this.clients) client.disconnect();
  }
}
