import type { Logger, PlatformPubSub } from '@phub/kit';
import type { Clock, Timer } from '@phub/kit';
import type { CampaignMetrics } from '../../metrics.js';
import { REPLAN_CHANNEL, type ReplanMessage } from './playlist.feed.js';

export interface StoreKey {
  tenantId: string;
  storeId: string;
}

export interface BoundarySchedulerDeps {
  clock: Clock;
  /** Active stores, of every tenant or of one. */
  stores(tenantId?: string): Promise<StoreKey[]>;
  /** The next instant strictly after `after` when any display of the store may change. */
  nextBoundary(store: StoreKey, after: Date): Promise<Date | null>;
  /** The boundary `at` passed: re-resolve the store's displays and publish what changed. */
  onBoundary(store: StoreKey, at: Date): Promise<void>;
  /** True for exactly one replica per store and boundary (a shared counter), so one of them publishes. */
  claim(key: string): Promise<boolean>;
  pubsub: PlatformPubSub;
  metrics: CampaignMetrics;
  logger: Logger;
}

const keyOf = (s: StoreKey) => `${s.tenantId}/${s.storeId}`;

/**
 * The schedule-boundary job: one timer per store, set for the engine's next boundary of any of its
 * displays (a daypart opening, a date range ending, an override expiring). On waking it re-resolves the
 * store's displays (publishing only real changes) and sets the next timer. Changes re-plan the stores
 * they touch, on every replica (through pub/sub). Timers are unref'd; stop() clears them.
 */
export class BoundaryScheduler {
  private readonly timers = new Map<string, { at: number; timer: Timer }>();
  private readonly planning = new Set<Promise<unknown>>();
  private replans?: AsyncIterator<ReplanMessage>;
  private stopped = false;

  constructor(private readonly deps: BoundarySchedulerDeps) {}

  async start(): Promise<void> {
    const iterable = this.deps.pubsub.subscribe(REPLAN_CHANNEL) as AsyncIterable<ReplanMessage>;
    const iterator = iterable[Symbol.asyncIterator]();
    this.replans = iterator;
    void (async () => {
      for (;;) {
        const next = await iterator.next().catch(() => ({ done: true as const, value: undefined }));
        if (next.done || this.stopped) return;
        const message = next.value;
        this.track(this.replan(message.tenantId, message.storeIds?.length ? message.storeIds : undefined));
      }
    })();
    await this.replan();
  }

  /** Re-plans the given stores, every store of a tenant, or every store. */
  async replan(tenantId?: string, storeIds?: string[]): Promise<void> {
    const stores =
      tenantId && storeIds ? storeIds.map((storeId) => ({ tenantId, storeId })) : await this.deps.stores(tenantId);
    if (tenantId && !storeIds) {
      // Stores that left the tenant's active list lose their timers.
      const active = new Set(stores.map(keyOf));
      for (const [key, entry] of this.timers) {
        if (key.startsWith(`${tenantId}/`) && !active.has(key)) {
          entry.timer.cancel();
          this.timers.delete(key);
        }
      }
    }
    await Promise.all(stores.map((store) => this.plan(store)));
  }

  /** When the store's timer fires next (epoch ms), for tests and diagnostics. */
  nextWake(store: StoreKey): number | undefined {
    return this.timers.get(keyOf(store))?.at;
  }

  /** Resolves when no planning or boundary work is in flight. */
  async idle(): Promise<void> {
    while (this.planning.size) await Promise.allSettled([...this.planning]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.replans?.return?.();
    for (const { timer } of this.timers.values()) timer.cancel();
    this.timers.clear();
    await this.idle();
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((err: unknown) => this.deps.logger.warn({ err }, 'boundary planning failed'));
    this.planning.add(tracked);
    void tracked.finally(() => this.planning.delete(tracked));
  }

  private async plan(store: StoreKey): Promise<void> {
    if (this.stopped) return;
    const now = this.deps.clock.now();
    const next = await this.deps.nextBoundary(store, new Date(now));
    if (this.stopped) return;
    const key = keyOf(store);
    const existing = this.timers.get(key);
    if (existing && next && existing.at === next.getTime()) return;
    existing?.timer.cancel();
    this.timers.delete(key);
    if (next) this.arm(store, next.getTime());
  }

  private arm(store: StoreKey, at: number): void {
    const timer = this.deps.clock.setTimer(at - this.deps.clock.now(), () => this.track(this.wake(store, at)));
    this.timers.set(keyOf(store), { at, timer });
  }

  private async wake(store: StoreKey, at: number): Promise<void> {
    if (this.stopped || this.timers.get(keyOf(store))?.at !== at) return;
    // A clamped long timer (or a clock running behind) wakes early: sleep again for the rest.
    if (this.deps.clock.now() < at) return this.arm(store, at);
    this.timers.delete(keyOf(store));
    this.deps.metrics.boundaryWakeups.inc();
    if (await this.deps.claim(`campaign:boundary:${keyOf(store)}:${at}`))
      await this.deps.onBoundary(store, new Date(at));
    await this.plan(store);
  }
}
