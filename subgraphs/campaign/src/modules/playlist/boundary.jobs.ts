import { defineJob, type Clock, type JobSendOptions, type Logger, type PlatformPubSub } from '@phub/kit';
import type { CampaignMetrics } from '../../metrics.js';
import { REPLAN_CHANNEL, type ReplanMessage } from './playlist.feed.js';

export const CAMPAIGN_BOUNDARY_JOB = 'campaign.boundary';
export const CAMPAIGN_BOUNDARY_PLAN_JOB = 'campaign.boundary-plan';

export interface StoreKey {
  tenantId: string;
  storeId: string;
}

/** One store's boundary: when it passes, the store's displays are resolved again. */
export interface BoundaryJobData extends StoreKey {
  /** Epoch ms of the boundary. */
  at: number;
}

/** Which stores to plan: the given ones of a tenant, every store of a tenant, or every store. */
export type BoundaryPlanData = Partial<ReplanMessage>;

export interface BoundaryJobsDeps {
  clock: Clock;
  /** Active stores, of every tenant or of one. */
  stores(tenantId?: string): Promise<StoreKey[]>;
  /** The next instant strictly after `after` when any display of the store may change. */
  nextBoundary(store: StoreKey, after: Date): Promise<Date | null>;
  /** The boundary passed: re-resolve the store's displays and publish what changed (resolves once published). */
  onBoundary(store: StoreKey): Promise<void>;
  send(name: string, data: object, options: JobSendOptions): Promise<string | null>;
  pubsub: PlatformPubSub;
  metrics: CampaignMetrics;
  logger: Logger;
}

const storeKey = (s: StoreKey) => `${s.tenantId}/${s.storeId}`;

/**
 * Schedule boundaries as durable jobs: each store's next boundary (a daypart opening, a date range ending, an
 * override expiring) is a `campaign.boundary` job delayed to that instant, kept in Postgres, so it fires after
 * restarts and on one worker only. Its run re-resolves the store's displays (publishing only real changes, over
 * the shared pub/sub to the subgraph's subscribers) and enqueues the store's next boundary.
 * `campaign.boundary-plan` computes the next boundary of stores afresh: on each worker start, on every change
 * the subgraph broadcasts (`campaign.replan`), and every five minutes as the safety net for a broadcast lost.
 * A boundary job already queued for the same store and instant is not queued twice (a singleton key), and a
 * stale one (the change moved the boundary) only re-resolves displays that did not change: harmless.
 */
export class BoundaryJobs {
  private replans?: AsyncIterator<ReplanMessage>;

  constructor(private readonly deps: BoundaryJobsDeps) {}

  readonly boundaryJob = defineJob<BoundaryJobData>({
    name: CAMPAIGN_BOUNDARY_JOB,
    singleton: true,
    retry: { limit: 5, delaySeconds: 5, backoff: true },
    timeoutSeconds: 300,
    run: ({ data }) => this.wake(data),
  });

  readonly planJob = defineJob<BoundaryPlanData>({
    name: CAMPAIGN_BOUNDARY_PLAN_JOB,
    schedule: { cron: '*/5 * * * *', timeZone: 'UTC' },
    singleton: true,
    retry: { limit: 3, delaySeconds: 10, backoff: true },
    timeoutSeconds: 600,
    run: ({ data }) => this.plan(data),
  });

  /** Plans every store now, then follows the subgraph's change broadcasts. */
  async start(): Promise<void> {
    const iterable = this.deps.pubsub.subscribe(REPLAN_CHANNEL) as AsyncIterable<ReplanMessage>;
    const iterator = iterable[Symbol.asyncIterator]();
    this.replans = iterator;
    void (async () => {
      for (;;) {
        const next = await iterator.next().catch(() => ({ done: true as const, value: undefined }));
        if (next.done) return;
        await this.requestPlan(next.value).catch((err: unknown) =>
          this.deps.logger.warn({ err }, 'could not enqueue boundary planning; the five-minute plan catches up'),
        );
      }
    })();
    await this.requestPlan({});
  }

  async stop(): Promise<void> {
    await this.replans?.return?.();
  }

  /** Enqueues a plan; a plan for the same stores already waiting covers this request too. */
  requestPlan(data: BoundaryPlanData): Promise<string | null> {
    const stores = data.storeIds?.length ? [...data.storeIds].sort().join(',') : '*';
    return this.deps.send(CAMPAIGN_BOUNDARY_PLAN_JOB, data, { singletonKey: `${data.tenantId ?? '*'}:${stores}` });
  }

  /** Queues the next boundary of the given stores (every store of a tenant, or every store). */
  async plan(data: BoundaryPlanData): Promise<void> {
    const { tenantId, storeIds } = data;
    const stores =
      tenantId && storeIds?.length
        ? storeIds.map((storeId) => ({ tenantId, storeId }))
        : await this.deps.stores(tenantId);
    const now = new Date(this.deps.clock.now());
    for (const store of stores) await this.queueNext(store, now);
  }

  /** A store's boundary passed: its displays again, then its next boundary. */
  async wake(data: BoundaryJobData): Promise<void> {
    const store = { tenantId: data.tenantId, storeId: data.storeId };
    const now = this.deps.clock.now();
    // This clock behind the database's (which decides when a delayed job is due): wait for the boundary again.
    if (now < data.at) {
      await this.send(data);
      return;
    }
    this.deps.metrics.boundaryWakeups.inc();
    await this.deps.onBoundary(store);
    await this.queueNext(store, new Date(now));
  }

  private async queueNext(store: StoreKey, after: Date): Promise<void> {
    const next = await this.deps.nextBoundary(store, after);
    if (next) await this.send({ ...store, at: next.getTime() });
  }

  private send(data: BoundaryJobData): Promise<string | null> {
    return this.deps.send(CAMPAIGN_BOUNDARY_JOB, data, {
      startAfter: new Date(data.at),
      singletonKey: `${storeKey(data)}@${data.at}`,
    });
  }
}
