import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/** Channels carry one JSON payload each; subscription resolvers filter per subscriber. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PlatformPubSub = PubSub<Record<string, [any]>>;

/** Operators over subscription streams (they end the source when the subscriber leaves, unlike a for-await wrapper). */
export { filter, map, pipe } from '@graphql-yoga/subscription';

export function createMemoryPubSub(): PlatformPubSub {
  return createPubSub() as PlatformPubSub;
}

/** Redis pub/sub so that every replica's subscribers hear every change. */
export function createRedisPubSub(publishClient: Redis, subscribeClient: Redis, logger?: Logger): PlatformPubSub {
  // The event target publishes without awaiting: a failed PUBLISH (Redis unreachable) would be an
  // unhandled rejection, which ends the process. Live updates are best effort, so log and go on.
  const publisher = {
    publish: (channel: string, message: string) =>
      publishClient.publish(channel, message).catch((err: unknown) => {
        logger?.warn({ err, channel }, 'pub/sub publish failed');
        return 0;
      }),
  } as unknown as Redis;
  const eventTarget = createRedisEventTarget({ publishClient: publisher, subscribeClient });
  return createPubSub({ eventTarget }) as PlatformPubSub;
}

/**
 * `first` (what a subscriber must see on arrival: the current state, commands still pending), then everything of
 * `rest`; return() reaches `rest` at once, so the channel is left when the subscriber leaves (an async generator
 * would wait for its next message).
 */
export function prepend<T>(first: readonly T[], rest: AsyncIterable<T>): AsyncIterableIterator<T> {
  const inner = rest[Symbol.asyncIterator]();
  let i = 0;
  const done = (): Promise<IteratorResult<T>> => Promise.resolve({ value: undefined, done: true });
  return {
    next() {
      if (i >= first.length) return inner.next();
      return Promise.resolve({ value: first[i++]!, done: false });
    },
    return: (value?: unknown) => (inner.return ? inner.return(value) : done()),
    throw: (err?: unknown) => (inner.throw ? inner.throw(err) : Promise.reject(err)),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
