import { Redis } from 'ioredis';
import { KafkaBus } from './bus/kafka-bus.js';
import { PostgresBus } from './bus/pg-bus.js';
import type { EventBus } from './bus/bus.js';
import type { RetryOptions } from './bus/dead-letter.js';
import { MemoryCache, RedisCache, type Cache } from './cache.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { ConfigError, type SharedEnv } from './env.js';
import type { Logger } from './logger.js';
import { createMemoryPubSub, createRedisPubSub, type PlatformPubSub } from './pubsub.js';
import type { ReadinessCheck } from './http.js';

/** The shared parts a set of services in one process runs on. */
export interface Infra {
  env: SharedEnv;
  logger: Logger;
  databaseUrl: string;
  bus: EventBus;
  pubsub: PlatformPubSub;
  cache: Cache;
  readiness: ReadinessCheck[];
  close(): Promise<void>;
}

export interface InfraOptions {
  env: SharedEnv;
  logger: Logger;
  /**
   * True when this process does not hold every service: then in-process pub/sub would silently
   * split the platform, so Redis is required, and the bus must be one every process shares (Kafka,
   * or Postgres on DATABASE_URL; not an embedded PGlite of its own).
   */
  standalone: boolean;
  /** The targets that run here, for messages. */
  targets: string[];
  /** Keep embedded Postgres in memory (tests); otherwise it persists under DATA_DIR. */
  ephemeralDatabase?: boolean;
  /** Retries before a message goes to the dead letters, whichever bus runs. */
  busRetry?: RetryOptions;
  /**
   * False for a process that keeps no data (a lone gateway): no embedded PGlite, no bus. Its `databaseUrl` and
   * `bus` then throw, since only a subgraph or the worker may reach for them. Default true.
   */
  storage?: boolean;
}

/** `databaseUrl` and `bus` of a process that keeps no data: reaching for them is a wiring mistake. */
function withoutStorage(infra: Omit<Infra, 'databaseUrl' | 'bus'>): Infra {
  const missing = (what: string) => () => {
    throw new Error(`this process runs no subgraph and no worker, so it has no ${what}`);
  };
  return Object.defineProperties(infra as Infra, {
    databaseUrl: { get: missing('database'), enumerable: true },
    bus: { get: missing('event bus'), enumerable: true },
  });
}

export async function createInfra(options: InfraOptions): Promise<Infra> {
  const { env, logger } = options;
  if (options.standalone) {
    const problems: string[] = [];
    const who = `--target=${options.targets.join(',')}`;
    if (!env.REDIS_URL) {
      problems.push(`REDIS_URL: required for ${who} on its own (pub/sub and cache are shared between services)`);
    }
    if (!env.KAFKA_BROKERS && !env.DATABASE_URL) {
      problems.push(
        `KAFKA_BROKERS or DATABASE_URL: required for ${who} on its own (domain events travel between services, ` +
          'through Kafka or through the bus kept in the Postgres every process shares)',
      );
    }
    if (problems.length) throw new ConfigError(problems);
  }
  const closers: (() => Promise<unknown>)[] = [];
  const readiness: ReadinessCheck[] = [];
  const { cache, pubsub } = sharedState(env, logger, readiness, closers);
  const close = async () => {
    for (const fn of closers) await fn().catch((err) => logger.warn({ err }, 'error while closing'));
  };
  if (options.storage === false) return withoutStorage({ env, logger, pubsub, cache, readiness, close });

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const embedded = await EmbeddedPostgres.start(options.ephemeralDatabase ? null : env.DATA_DIR, logger);
    databaseUrl = embedded.url;
    closers.push(() => embedded.stop());
  }

  // Without Kafka the bus lives in this process's Postgres, so an accepted event survives a crash.
  let bus: EventBus;
  try {
    if (env.KAFKA_BROKERS) {
      bus = new KafkaBus({
        brokers: env.KAFKA_BROKERS.split(',').map((b) => b.trim()),
        clientId: env.KAFKA_CLIENT_ID,
        logger,
        ...options.busRetry,
      });
      readiness.push({ name: 'kafka', check: () => bus.ping() });
    } else {
      bus = await PostgresBus.open({
        url: databaseUrl,
        logger,
        // Embedded PGlite is this process's alone: every publish wakes its consumers directly, so polling
        // is only a safety net there and need not compete with requests for PGlite's one session.
        pollIntervalMs: env.DATABASE_URL ? undefined : 2_000,
        ...options.busRetry,
      });
      readiness.push({ name: 'bus', check: () => bus.ping() });
    }
  } catch (err) {
    for (const fn of closers) await fn().catch(() => undefined);
    throw err;
  }
  closers.unshift(() => bus.close());

  return { env, logger, databaseUrl, bus, pubsub, cache, readiness, close };
}

/** Cache and pub/sub: Redis when configured (shared by every process), else in this process. */
function sharedState(
  env: SharedEnv,
  logger: Logger,
  readiness: ReadinessCheck[],
  closers: (() => Promise<unknown>)[],
): { cache: Cache; pubsub: PlatformPubSub } {
  if (!env.REDIS_URL) return { cache: new MemoryCache(), pubsub: createMemoryPubSub() };
  const client = new Redis(env.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const publisher = client.duplicate();
  const subscriber = client.duplicate();
  readiness.push({ name: 'redis', check: () => client.ping() });
  closers.unshift(async () => Promise.all([client.quit(), publisher.quit(), subscriber.quit()]));
  return { cache: new RedisCache(client), pubsub: createRedisPubSub(publisher, subscriber, logger) };
}
