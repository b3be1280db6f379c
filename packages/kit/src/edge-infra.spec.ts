import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryCache, RedisCache } from './cache.js';
import { createEdgeInfra } from './edge-infra.js';
import { parseEnv, sharedEnvSchema } from './env.js';
import { createLogger } from './logger.js';
import { TEST_REDIS_URL } from './testing/index.js';

const logger = createLogger('edge-infra-test', 'silent');

describe(createEdgeInfra.name, () => {
  it('keeps the cache in this process without REDIS_URL, and has no database, bus or pub/sub to reach for', async () => {
    const infra = await createEdgeInfra({ env: parseEnv(sharedEnvSchema, {}), logger });
    expect(infra.cache).toBeInstanceOf(MemoryCache);
    expect(infra.readiness).toEqual([]);
    expect(() => infra.databaseUrl).toThrow(/no database/);
    expect(() => infra.bus).toThrow(/no event bus/);
    expect(() => infra.pubsub).toThrow(/no pub\/sub/);
    await infra.close();
  });

  it('shares the cache in Redis with REDIS_URL (where auth keeps the revocation list), ready once Redis answers', async () => {
    const infra = await createEdgeInfra({ env: parseEnv(sharedEnvSchema, { REDIS_URL: TEST_REDIS_URL }), logger });
    try {
      expect(infra.cache).toBeInstanceOf(RedisCache);
      const key = `edge-infra-test:${randomUUID()}`;
      await infra.cache.set(key, { seen: true }, 10);
      expect(await infra.cache.get(key)).toEqual({ seen: true });
      await infra.cache.del(key);
      expect(infra.readiness.map((r) => r.name)).toEqual(['redis']);
      await expect(infra.readiness[0]!.check()).resolves.toBe('PONG');
    } finally {
      await infra.close();
    }
  });
});
