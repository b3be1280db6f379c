import { createMemoryPubSub } from '@phub/kit';

/** What the products subgraph publishes when a product changes. */
export interface ProductChangeEvent {
  productId: string;
  version: number;
  /** Padding, so slow-consumer tests can fill socket buffers quickly. */
  note?: string;
  /** Epoch milliseconds with sub-millisecond precision, for latency measurements across processes. */
  publishedAt?: number;
}

const TOPIC = 'productChanged';

/**
 * The products subgraph's change feed on the kit's in-memory pub/sub. It counts the
 * subscriptions it serves per product, so tests can see how many the gateway opened upstream.
 */
export class ProductFeed {
  /** Also handed to type-graphql, which insists on one for any `@Subscription`. */
  readonly pubsub = createMemoryPubSub();
  private readonly active = new Map<string, number>();

  publish(change: ProductChangeEvent): void {
    this.pubsub.publish(TOPIC, change);
  }

  /** Subscriptions open on this subgraph for `productId` right now. */
  subscribers(productId: string): number {
    return this.active.get(productId) ?? 0;
  }

  /** The changes of one product; ending the iterator (client gone) releases the count at once. */
  subscribe(productId: string): AsyncIterableIterator<ProductChangeEvent> {
    const inner = this.pubsub.subscribe(TOPIC) as AsyncIterableIterator<ProductChangeEvent>;
    const count = (delta: number) => this.active.set(productId, this.subscribers(productId) + delta);
    count(1);
    let open = true;
    const release = () => {
      if (open) count(-1);
      open = false;
    };
    // Not an async generator: its return() would wait for the next event while it is suspended in `await`.
    const iterator: AsyncIterableIterator<ProductChangeEvent> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        for (;;) {
          const item = await inner.next();
          if (item.done) release();
          if (item.done || item.value.productId === productId) return item;
        }
      },
      return: async () => {
        release();
        await inner.return?.();
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }
}

/** The feed the products subgraph of this process serves. */
export const productFeed = new ProductFeed();
