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

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const embedded = await EmbeddedPostgres.start(options.ephemeralDatabase ? null : env.DATA_DIR, logger);
    databaseUrl = embedded.url;
    closers.push(() => embedded.stop());
  }

  let cache: Cache;
  let pubsub: PlatformPubSub;
  if (env.REDIS_URL) {
    const client = new Redis(env.REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 3 });
    const publisher = client.duplicate();
    const subscriber = client.duplicate();
    cache = new RedisCache(client);
    pubsub = createRedisPubSub(publisher, subscriber, logger);
    readiness.push({ name: 'redis', check: () => client.ping() });
    closers.unshift(async () => Promise.all([client.quit(), publisher.quit(), subscriber.quit()]));
  } else {
    cache = new MemoryCache();
    pubsub = createMemoryPubSub();
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
    for (const close of closers) await close().catch(() => undefined);
    throw err;
  }
  closers.unshift(() => bus.close());

  return {
    env,
    logger,
    databaseUrl,
    bus,
    pubsub,
    cache,
    readiness,
    async close() {
      for (const close of closers) await close().catch((err) => logger.warn({ err }, 'error while closing'));
    },
  };
}
