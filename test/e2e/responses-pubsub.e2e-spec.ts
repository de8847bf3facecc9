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

/** Once its Redis subscriber connection (if it has one) is ready. */
async function ready(pubsub: ResponsesPubSub): Promise<void> {
  if (!(pubsub.engine instanceof RedisPubSub)) return;
  const subscriber = pubsub.engine.getSubscriber();
  await eventually(
    async () => subscriber.status,
    (status) => status === 'ready',
    5_000,
  );
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

      await ready(pubsub);
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
      await ready(pubsub);
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

  it('refuses a subscription once its connection is closed, with an error that says so', async () => {
    const pubsub = livePubSub();
    await ready(pubsub);
    await pubsub.onModuleDestroy();
    const subscribing = pubsub.engine.subscribe(pubsub.deskChannel(), () => undefined, {});
    if (pubsub.engine instanceof RedisPubSub) {
      await expect(subscribing).rejects.toThrow('the Redis subscriber connection is closed');
    } else {
      // In one process there is no connection to close.
      await expect(subscribing).resolves.toEqual(expect.any(Number));
    }
  });
});
