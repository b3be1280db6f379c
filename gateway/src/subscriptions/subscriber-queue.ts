import type { FormattedExecutionResult } from 'graphql';
import type { GatewayMetrics, SubscriptionTransport } from '../metrics.js';

/** One result for one subscriber; the same result object is shared by every subscriber of a feed. */
export interface Delivery {
  result: FormattedExecutionResult;
  /** `process.hrtime.bigint()` when the upstream event arrived. */
  receivedAt: bigint;
}

export type OverflowPolicy = 'close' | 'drop-oldest';

export interface SubscriberQueueOptions {
  limit: number;
  overflow: OverflowPolicy;
  subgraph: string;
  transport: SubscriptionTransport;
  metrics: GatewayMetrics;
  /** The result sent last when the queue overflows under the `close` policy. */
  overflowResult: () => FormattedExecutionResult;
}

type Waiter = (item: IteratorResult<FormattedExecutionResult>) => void;

/**
 * What one client subscription reads: a bounded queue between a shared feed and the client's
 * transport. The transport pulls one result at a time and only after the previous one was
 * written (graphql-ws awaits each send; the SSE writer grants credit per write), so a client
 * that stops reading leaves events here, and here they are bounded by `limit`.
 *
 * Not an async generator: `return()` must take effect at once, also while `next()` waits.
 */
export class SubscriberQueue implements AsyncGenerator<FormattedExecutionResult, undefined> {
  private readonly items: Delivery[] = [];
  private waiter?: Waiter;
  /** Set once no more events will be queued; queued ones (and `last`) are still handed out. */
  private ended = false;
  private last?: FormattedExecutionResult;
  private released = false;
  private readonly releases: (() => void)[] = [];
  /** SSE: results handed out but not yet written; the next one waits until this is 0. */
  private credit?: { inFlight: number; wake?: () => void };
  /** Asked before each event is queued; true means the transport gave up on the client. */
  private congested?: () => boolean;

  constructor(private readonly options: SubscriberQueueOptions) {
    options.metrics.subscriptionsActive.inc({ transport: options.transport });
  }

  /** Runs once when the subscription ends for any reason (client left, overflow, upstream ended). */
  onRelease(release: () => void): void {
    if (this.released) release();
    else this.releases.push(release);
  }

  /** A transport-level check (e.g. bytes stuck in the socket) run before each event is queued. */
  guard(congested: () => boolean): void {
    this.congested = congested;
  }

  /** Hands out one result at a time until `written()` is called (for transports that do not await writes). */
  useCredit(): void {
    this.credit ??= { inFlight: 0 };
  }

  written(): void {
    if (!this.credit) return;
    this.credit.inFlight = 0;
    const wake = this.credit.wake;
    this.credit.wake = undefined;
    wake?.();
  }

  push(delivery: Delivery): void {
    if (this.ended || this.congested?.()) return;
    const { metrics, limit } = this.options;
    if (this.waiter && this.items.length === 0 && !this.credit?.inFlight) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter(this.handOut(delivery));
      return;
    }
    if (this.items.length >= limit) {
      if (this.options.overflow === 'close') {
        metrics.subscriptionsEnded.inc({ reason: 'overflow' });
        this.clear();
        this.end(this.options.overflowResult());
        return;
      }
      this.items.shift();
      metrics.subscriptionQueued.dec();
      metrics.subscriptionEventsDropped.inc();
    }
    this.items.push(delivery);
    metrics.subscriptionQueued.inc();
  }

  /** No more events: what is queued is still delivered, then `last` (an error, say), then the end. */
  end(last?: FormattedExecutionResult): void {
    if (this.ended) return;
    this.ended = true;
    this.last = last;
    // Upstream resources go now, not when the client gets round to reading the rest.
    this.release();
    if (this.waiter && this.items.length === 0) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter(this.finalItem());
    }
  }

  get queued(): number {
    return this.items.length;
  }

  async next(): Promise<IteratorResult<FormattedExecutionResult, undefined>> {
    const credit = this.credit;
    if (credit?.inFlight) await new Promise<void>((resolve) => (credit.wake = resolve));
    const item = this.items.shift();
    if (item) {
      this.options.metrics.subscriptionQueued.dec();
      return this.handOut(item);
    }
    if (this.ended) return this.finalItem();
    return new Promise((resolve) => (this.waiter = resolve));
  }

  async return(): Promise<IteratorResult<FormattedExecutionResult, undefined>> {
    this.ended = true;
    this.last = undefined;
    this.clear();
    this.release();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ done: true, value: undefined });
    this.credit?.wake?.();
    return { done: true, value: undefined };
  }

  async throw(err: unknown): Promise<IteratorResult<FormattedExecutionResult, undefined>> {
    await this.return();
    throw err;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private handOut(delivery: Delivery): IteratorResult<FormattedExecutionResult, undefined> {
    const { metrics, subgraph, transport } = this.options;
    metrics.subscriptionEventsOut.inc({ subgraph });
    metrics.subscriptionDelivery.observe({ transport }, Number(process.hrtime.bigint() - delivery.receivedAt) / 1e9);
    if (this.credit) this.credit.inFlight = 1;
    return { done: false, value: delivery.result };
  }

  private finalItem(): IteratorResult<FormattedExecutionResult, undefined> {
    const last = this.last;
    this.last = undefined;
    if (last) {
      if (this.credit) this.credit.inFlight = 1;
      return { done: false, value: last };
    }
    return { done: true, value: undefined };
  }

  private clear(): void {
    if (this.items.length) this.options.metrics.subscriptionQueued.dec(this.items.length);
    this.items.length = 0;
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.options.metrics.subscriptionsActive.dec({ transport: this.options.transport });
    for (const release of this.releases.splice(0)) release();
  }
}
