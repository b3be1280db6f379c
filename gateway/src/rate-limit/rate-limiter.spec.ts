import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  MemoryRateLimitStore,
  RedisRateLimitStore,
  type RateLimitPolicy,
  type RateLimitStore,
} from './rate-limiter.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POLICY: RateLimitPolicy = {
  requests: { limit: 100, windowSeconds: 60 },
  cost: { limit: 1_000, windowSeconds: 3600 },
};
const T0 = 1_700_000_000_000;

const redis = new Redis(REDIS_URL);
afterAll(async () => {
  await redis.quit();
});

/** One contract, both stores: the all-in-one binary must limit exactly as the replicated gateway does. */
describe.each([
  ['Redis', (policy: RateLimitPolicy) => new RedisRateLimitStore(redis, policy, `test:${randomUUID()}:`)],
  ['memory', (policy: RateLimitPolicy) => new MemoryRateLimitStore(policy)],
] as const)('%s rate limit store', (_name, make: (policy: RateLimitPolicy) => RateLimitStore) => {
  it('lets 100 requests through and refuses the 101st with a retry-after, then lets one through once refilled', async () => {
    const store = make(POLICY);
    for (let i = 0; i < 100; i++) {
      const decision = await store.take('client-a', 1, T0);
      expect(decision.allowed, `request ${i + 1}`).toBe(true);
      expect(decision.remaining).toBe(99 - i);
    }
    const refused = await store.take('client-a', 1, T0);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 100 });
    // 100 per 60 s: one token back after 0.6 s, rounded up to whole seconds.
    expect(refused.retryAfterSeconds).toBe(1);
    expect(refused.resetSeconds).toBe(60);
    expect((await store.take('client-a', 1, T0 + 400)).allowed).toBe(false);
    expect((await store.take('client-a', 1, T0 + 600)).allowed).toBe(true);
    expect((await store.take('client-a', 1, T0 + 600)).allowed).toBe(false);
  });

  it('keeps every client to its own buckets', async () => {
    const store = make(POLICY);
    for (let i = 0; i < 100; i++) await store.take('client-b', 1, T0);
    expect((await store.take('client-b', 1, T0)).allowed).toBe(false);
    const other = await store.take('client-c', 1, T0);
    expect(other).toMatchObject({ allowed: true, remaining: 99 });
  });

  it('spends operation cost from the cost bucket, and a refused request spends nothing', async () => {
    const store = make(POLICY);
    expect((await store.take('client-d', 600, T0)).allowed).toBe(true);
    const refused = await store.take('client-d', 600, T0);
    expect(refused.allowed).toBe(false);
    // 200 more needed at 1000 per hour: 720 s.
    expect(refused.retryAfterSeconds).toBe(720);
    // The cost bucket (400 of 1000 left) is the tighter one now.
    expect(refused).toMatchObject({ limit: 1_000, remaining: 400 });
    // Neither bucket moved: a cheap request still has 99 requests and 400 cost.
    expect(await store.take('client-d', 400, T0)).toMatchObject({ allowed: true });
    expect((await store.take('client-d', 1, T0)).allowed).toBe(false);
    expect((await store.take('client-d', 0, T0)).allowed).toBe(true);
  });

  it('lets a query that costs more than the whole bucket run on a full bucket (MAX_QUERY_COST bounds it)', async () => {
    const store = make(POLICY);
    expect((await store.take('client-e', 5_000, T0)).allowed).toBe(true);
    expect((await store.take('client-e', 1, T0)).allowed).toBe(false);
  });
});

describe(RedisRateLimitStore.name, () => {
  it('shares buckets between gateway replicas (two stores on one Redis)', async () => {
    const prefix = `test:${randomUUID()}:`;
    const [a, b] = [new RedisRateLimitStore(redis, POLICY, prefix), new RedisRateLimitStore(redis, POLICY, prefix)];
    for (let i = 0; i < 50; i++) {
      await a.take('client', 1, T0);
      await b.take('client', 1, T0);
    }
    expect((await a.take('client', 1, T0)).allowed).toBe(false);
    expect((await b.take('client', 1, T0)).allowed).toBe(false);
  });

  it('lets its keys expire once they would be full again', async () => {
    const prefix = `test:${randomUUID()}:`;
    await new RedisRateLimitStore(redis, POLICY, prefix).take('client', 1, T0);
    const ttl = await redis.pttl(`${prefix}{client}:requests`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
