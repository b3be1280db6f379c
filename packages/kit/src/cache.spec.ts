import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache, RedisCache, type Cache } from './cache.js';
import { TEST_REDIS_URL, waitFor } from './testing/index.js';

interface CacheHarness {
  cache: Cache;
  /** Lets `seconds` pass for the cache's notion of time. */
  elapse(seconds: number): Promise<void>;
}

let redis: Redis;
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
});
afterAll(async () => {
  const keys = await redis.keys('phub-test:cache:*');
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const redisTime = async () => {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Number(micros) / 1000;
};

const harnesses: [string, () => CacheHarness][] = [
  [
    MemoryCache.name,
    () => {
      let now = 1_750_000_000_000;
      return {
        cache: new MemoryCache(() => now),
        elapse: async (seconds) => void (now += seconds * 1000),
      };
    },
  ],
  [
    RedisCache.name,
    () => ({
      // A unique prefix per test keeps runs (and parallel files) apart on the shared server.
      cache: new RedisCache(redis, `phub-test:cache:${randomUUID()}:`),
      // Redis expires keys by its own clock, so wait for that clock rather than for a fixed time.
      elapse: async (seconds) => {
        const until = (await redisTime()) + seconds * 1000;
        await waitFor(async () => (await redisTime()) >= until, { intervalMs: 50 });
      },
    }),
  ],
];

describe.each(harnesses)('%s', (_name, makeHarness) => {
  it('stores, returns and deletes JSON values', async () => {
    const { cache } = makeHarness();
    const playlist = { displayId: 'd-1', items: [{ id: 'c-1', seconds: 10 }], active: true, note: null };

    await cache.set('playlist', playlist, 60);
    await cache.set('count', 3, 60);
    await cache.set('label', 'Grüße 🎉', 60);

    expect(await cache.get('playlist')).toEqual(playlist);
    expect(await cache.get('count')).toBe(3);
    expect(await cache.get('label')).toBe('Grüße 🎉');
    expect(await cache.get('missing')).toBeUndefined();

    await cache.set('count', 4, 60);
    expect(await cache.get('count')).toBe(4);

    await cache.del('playlist', 'count');
    await cache.del();
    expect(await cache.get('playlist')).toBeUndefined();
    expect(await cache.get('count')).toBeUndefined();
    expect(await cache.get('label')).toBe('Grüße 🎉');
  });

  it('returns a copy, not the stored object', async () => {
    const { cache } = makeHarness();
    const value = { tags: ['a'] };
    await cache.set('v', value, 60);
    value.tags.push('changed after set');
    const read = await cache.get<{ tags: string[] }>('v');
    read!.tags.push('changed after get');
    expect(await cache.get('v')).toEqual({ tags: ['a'] });
  });

  it('expires each entry after its own time to live', async () => {
    const { cache, elapse } = makeHarness();
    await cache.set('short', 'gone soon', 1);
    await cache.set('long', 'still here', 60);

    await elapse(1.1);

    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('long')).toBe('still here');
  });

  it('counts within a window that starts at the first increment and is not extended by later ones', async () => {
    const { cache, elapse } = makeHarness();
    expect(await cache.incr('hits', 2)).toBe(1);
    expect(await cache.incr('hits', 2)).toBe(2);
    expect(await cache.incr('other', 2)).toBe(1);

    await elapse(1);
    expect(await cache.incr('hits', 2)).toBe(3);

    await elapse(1.2);
    expect(await cache.incr('hits', 2)).toBe(1);
  });
});

describe(MemoryCache.name, () => {
  it('drops expired entries once it holds many, so it cannot grow without bound', async () => {
    let now = 0;
    const cache = new MemoryCache(() => now);
    for (let i = 0; i < 10_000; i++) await cache.set(`old-${i}`, i, 1);
    now += 2_000;
    await cache.set('fresh', true, 60);

    const entries = (cache as unknown as { entries: Map<string, unknown> }).entries;
    expect([...entries.keys()]).toEqual(['fresh']);
  });
});
