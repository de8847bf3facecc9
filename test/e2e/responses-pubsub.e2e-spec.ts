import { RedisPubSub } from 'graphql-redis-subscriptions';
import { randomBytes } from 'node:crypto';
import type { RuntimeConfig } from '../../src/config/runtime.js';
import { ResponsesPubSub } from '../../src/responses/responses.pubsub.js';
import { eventually } from '../support/given.js';

/** The engine as an api instance builds it: on Redis when npm test was given one. */
function livePubSub(): ResponsesPubSub {
  return new ResponsesPubSub({
    redisUrl: process.env.REDIS_URL,
    queuePrefix: `t${randomBytes(5).toString('hex')}`,
  } as RuntimeConfig);
}

describe('live events between instances', () => {
  // ioredis 5 writes SUBSCRIBE while its own handshake is under way; the
  // connection then fails its ready check, reconnects, and (never having
  // been ready) does not subscribe again: the channel went quiet for good.
  it('are heard on a channel subscribed while the connection is still being set up', async () => {
    const pubsub = livePubSub();
    const errors: Error[] = [];
    try {
      if (pubsub.engine instanceof RedisPubSub) {
        const subscriber = pubsub.engine.getSubscriber();
        subscriber.on('error', (error: Error) => errors.push(error));
        await new Promise((resolve) => subscriber.once('connect', resolve));
        expect(subscriber.status).toBe('connect');
      }
      const heard: unknown[] = [];
      const channel = pubsub.channel('prompt-1');
      await pubsub.engine.subscribe(channel, (message: unknown) => heard.push(message), {});

      if (pubsub.engine instanceof RedisPubSub) {
        const subscriber = pubsub.engine.getSubscriber();
        await eventually(
          async () => subscriber.status,
          (status) => status === 'ready',
          5_000,
        );
      }
      // Heard now, and still heard a moment later (after any reconnect).
      for (const n of [1, 2]) {
        const seen = await eventually(
          async () => {
            await pubsub.engine.publish(channel, { n });
            return heard.filter((message) => (message as { n: number }).n === n).length;
          },
          (count) => count > 0,
          3_000,
        );
        expect(seen).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(errors).toEqual([]);
    } finally {
      await pubsub.onModuleDestroy();
    }
  });

  it('are heard on a channel subscribed once the connection is ready', async () => {
    const pubsub = livePubSub();
    try {
      if (pubsub.engine instanceof RedisPubSub) {
        const subscriber = pubsub.engine.getSubscriber();
        if (subscriber.status !== 'ready')
          await new Promise((resolve) => subscriber.once('ready', resolve));
      }
      const heard: unknown[] = [];
      const channel = pubsub.deskChannel();
      await pubsub.engine.subscribe(channel, (message: unknown) => heard.push(message), {});
      await pubsub.engine.publish(channel, { n: 2 });
      expect(
        await eventually(
          async () => heard,
          (got) => got.length > 0,
          5_000,
        ),
      ).toEqual([{ n: 2 }]);
    } finally {
      await pubsub.onModuleDestroy();
    }
  });
});
