import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryPubSub, createRedisPubSub, type PlatformPubSub } from './pubsub.js';
import { TEST_REDIS_URL, waitFor } from './testing/index.js';

/** Starts listening on `topic` and resolves with the first payload that arrives. */
function firstEvent(pubsub: PlatformPubSub, topic: string): { received: Promise<unknown>; stop: () => Promise<void> } {
  const iterator = pubsub.subscribe(topic)[Symbol.asyncIterator]();
  // The subscription starts with the first next(), so ask for the event before anything is published.
  const received = iterator.next().then((result) => result.value);
  return { received, stop: async () => void (await iterator.return?.()) };
}

describe(createMemoryPubSub.name, () => {
  it('delivers a published payload to every subscriber of the topic, and only of that topic', async () => {
    const pubsub = createMemoryPubSub();
    const first = firstEvent(pubsub, 'playlistChanged');
    const second = firstEvent(pubsub, 'playlistChanged');
    const other = firstEvent(pubsub, 'queueChanged');

    pubsub.publish('playlistChanged', { displayId: 'd-1', version: 2 });
    pubsub.publish('queueChanged', { storeId: 's-1' });

    expect(await first.received).toEqual({ displayId: 'd-1', version: 2 });
    expect(await second.received).toEqual({ displayId: 'd-1', version: 2 });
    expect(await other.received).toEqual({ storeId: 's-1' });
    await Promise.all([first, second, other].map((s) => s.stop()));
  });
});

describe(createRedisPubSub.name, () => {
  const clients: Redis[] = [];
  const connect = () => {
    const client = new Redis(TEST_REDIS_URL);
    clients.push(client);
    return client;
  };
  // Each replica has its own pair of connections, as in production.
  const replica = () => createRedisPubSub(connect(), connect());
  const observer = () => connect();

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.quit()));
  });

  async function subscribed(topic: string, count: number) {
    const redis = observer();
    await waitFor(async () => {
      const [, subscribers] = (await redis.pubsub('NUMSUB', topic)) as [string, number];
      return subscribers >= count;
    });
  }

  it('delivers between replicas in both directions', async () => {
    const a = replica();
    const b = replica();
    const toA = `phub-test:${randomUUID()}`;
    const toB = `phub-test:${randomUUID()}`;
    const onA = firstEvent(a, toA);
    const onB = firstEvent(b, toB);
    await subscribed(toA, 1);
    await subscribed(toB, 1);

    b.publish(toA, { from: 'b', items: [1, 2] });
    a.publish(toB, { from: 'a', nested: { ok: true } });

    expect(await onA.received).toEqual({ from: 'b', items: [1, 2] });
    expect(await onB.received).toEqual({ from: 'a', nested: { ok: true } });
    await Promise.all([onA.stop(), onB.stop()]);
  });

  it('delivers to subscribers on the publishing replica too', async () => {
    const a = replica();
    const b = replica();
    const topic = `phub-test:${randomUUID()}`;
    const onA = firstEvent(a, topic);
    const onB = firstEvent(b, topic);
    await subscribed(topic, 2);

    a.publish(topic, { storeId: 's-9' });

    expect(await Promise.all([onA.received, onB.received])).toEqual([{ storeId: 's-9' }, { storeId: 's-9' }]);
    await Promise.all([onA.stop(), onB.stop()]);
  });

  it('logs a publish that fails while Redis is unreachable instead of crashing the process', async () => {
    // Nothing listens on port 1; without the offline queue every command fails at once.
    const unreachable = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    const warnings: { msg: string; channel: string }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line)) });
    const pubsub = createRedisPubSub(unreachable, connect(), logger);

    pubsub.publish('phub-test:lost', { storeId: 's-1' });

    await waitFor(() => warnings.length === 1, { message: 'the warning' });
    expect(warnings[0]).toMatchObject({ msg: 'pub/sub publish failed', channel: 'phub-test:lost' });
    unreachable.disconnect();
  });
});
