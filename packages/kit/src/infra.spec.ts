import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCache } from './cache.js';
import { ConfigError, parseEnv, sharedEnvSchema } from './env.js';
import { createInfra } from './infra.js';
import { createLogger } from './logger.js';
import { createTestDatabase, TEST_POSTGRES_URL, TEST_REDIS_URL, waitFor } from './testing/index.js';
import type { DeliveredMessage } from './bus/bus.js';

const logger = createLogger('infra-test', 'silent');

/** Sockets and servers this process holds open; anything left after close() would keep it alive. */
function openHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPServerWrap').length;
}

describe(createInfra.name, () => {
  it.each([
    [{}, ['REDIS_URL', 'KAFKA_BROKERS or DATABASE_URL']],
    [{ REDIS_URL: TEST_REDIS_URL }, ['KAFKA_BROKERS or DATABASE_URL']],
    [{ KAFKA_BROKERS: 'kafka-1:9092' }, ['REDIS_URL']],
    [{ DATABASE_URL: TEST_POSTGRES_URL }, ['REDIS_URL']],
  ])('refuses a standalone target with %j, naming %j', async (vars, missing) => {
    const env = parseEnv(sharedEnvSchema, vars);
    const error = await createInfra({ env, logger, standalone: true, targets: ['campaign'] }).catch((err) => err);

    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(':')[0])).toEqual(missing);
    expect(problems.every((p) => p.includes('--target=campaign'))).toBe(true);
  });

  describe('with REDIS_URL and DATABASE_URL', () => {
    let raw: Redis;
    let db: { url: string; drop: () => Promise<void> };
    beforeAll(async () => {
      raw = new Redis(TEST_REDIS_URL);
      await raw.ping();
      db = await createTestDatabase();
    });
    afterAll(async () => {
      await raw.quit();
      await db.drop();
    });

    it('shares cache and pub/sub through Redis, checks it for readiness, and releases everything on close', async () => {
      const before = openHandles();
      // Without DATABASE_URL an embedded Postgres starts too; db.spec.ts covers that one, and it is slow to boot.
      const env = parseEnv(sharedEnvSchema, { REDIS_URL: TEST_REDIS_URL, DATABASE_URL: db.url });
      const infra = await createInfra({ env, logger, standalone: false, targets: ['all'] });
      const key = `infra-test:${randomUUID()}`;
      try {
        expect(infra.cache).toBeInstanceOf(RedisCache);
        await infra.cache.set(key, { ok: true }, 60);
        expect(JSON.parse((await raw.get(`phub:${key}`))!)).toEqual({ ok: true });

        // An event published straight to Redis reaches the infra's subscribers.
        const iterator = infra.pubsub.subscribe(key)[Symbol.asyncIterator]();
        const first = iterator.next();
        await waitFor(async () => ((await raw.pubsub('NUMSUB', key)) as [string, number])[1] > 0);
        await raw.publish(key, JSON.stringify({ from: 'redis' }));
        expect((await first).value).toEqual({ from: 'redis' });
        await iterator.return?.();

        expect(infra.readiness.map((r) => r.name)).toEqual(['redis', 'bus']);
        await Promise.all(infra.readiness.map((r) => r.check()));
        // No Kafka: the bus is kept in the same Postgres, never in memory.
        expect(infra.bus.kind).toBe('postgres');
        expect(infra.databaseUrl).toBe(db.url);
      } finally {
        await raw.del(`phub:${key}`);
        await infra.close();
      }

      await waitFor(() => openHandles() <= before, { message: 'sockets and servers to close' });
      await expect(infra.bus.publish('t', [{ key: 'k', value: 1 }])).rejects.toThrow('closed');
    });

    it('lets split targets without Kafka exchange events through the Postgres bus', async () => {
      const env = parseEnv(sharedEnvSchema, { REDIS_URL: TEST_REDIS_URL, DATABASE_URL: db.url });
      const producer = await createInfra({ env, logger, standalone: true, targets: ['location'] });
      const consumer = await createInfra({ env, logger, standalone: true, targets: ['playback'] });
      try {
        const received: DeliveredMessage[] = [];
        await consumer.bus.subscribe({
          groupId: 'infra-split',
          topics: ['infra.split.v1'],
          fromBeginning: true,
          handler: async (m) => void received.push(m),
        });
        await producer.bus.publish('infra.split.v1', [{ key: 'display-1', value: { from: 'location' } }]);
        await waitFor(() => received.length === 1, { message: 'the event in the other process' });
        expect(received[0]?.value).toEqual({ from: 'location' });
      } finally {
        await producer.close();
        await consumer.close();
      }
    });
  });
});
