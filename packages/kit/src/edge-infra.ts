import { MemoryCache, RedisCache } from './cache.js';
import type { SharedEnv } from './env.js';
import type { ReadinessCheck } from './http.js';
import type { Infra } from './infra.js';
import type { Logger } from './logger.js';

/**
 * The shared parts of a process that keeps no data (a lone gateway): the cache its token verifier reads auth's
 * revocation list from, in Redis when REDIS_URL is set. No database, bus or pub/sub, nor their code (`createInfra`
 * of the main entry loads TypeORM, pg-boss, kafkajs and PGlite): reaching for them is a wiring mistake and throws.
 */
export async function createEdgeInfra(options: { env: SharedEnv; logger: Logger }): Promise<Infra> {
  const { env, logger } = options;
  const readiness: ReadinessCheck[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  let cache: Infra['cache'] = new MemoryCache();
  if (env.REDIS_URL) {
    // ioredis only when there is a Redis to talk to.
    const { Redis } = await import('ioredis');
    const client = new Redis(env.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 3 });
    readiness.push({ name: 'redis', check: () => client.ping() });
    closers.push(() => client.quit());
    cache = new RedisCache(client);
  }
  const missing = (what: string) => () => {
    throw new Error(`this process runs no subgraph and no worker, so it has no ${what}`);
  };
  const infra = {
    env,
    logger,
    cache,
    readiness,
    close: async () => {
      for (const fn of closers) await fn().catch((err) => logger.warn({ err }, 'error while closing'));
    },
  };
  return Object.defineProperties(infra as Infra, {
    databaseUrl: { get: missing('database'), enumerable: true },
    bus: { get: missing('event bus'), enumerable: true },
    pubsub: { get: missing('pub/sub'), enumerable: true },
  });
}
