import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { Redis } from 'ioredis';

/** Channels carry one JSON payload each; subscription resolvers filter per subscriber. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PlatformPubSub = PubSub<Record<string, [any]>>;

export function createMemoryPubSub(): PlatformPubSub {
  return createPubSub() as PlatformPubSub;
}

/** Redis pub/sub so that every replica's subscribers hear every change. */
export function createRedisPubSub(publishClient: Redis, subscribeClient: Redis): PlatformPubSub {
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return createPubSub({ eventTarget }) as PlatformPubSub;
}
