import { ServiceMetrics } from '@phub/kit/edge';
import { Gauge, type Counter, type Histogram } from 'prom-client';

/** How one fetch from a subgraph ended; a closed set so the label stays bounded. */
export type FetchOutcome = 'success' | 'graphql_error' | 'http_error' | 'timeout' | 'unavailable';

/** Transports clients subscribe over; a closed set. */
export type SubscriptionTransport = 'ws' | 'sse';

/** Why the gateway ended a subscription or a client connection itself; a closed set. */
export type SubscriptionEndReason = 'overflow' | 'slow_socket' | 'token_expired' | 'token_revoked' | 'upstream_failed';

// From a shared upstream event to the write: well below the request latency buckets.
const DELIVERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** The kit's per-service metrics plus what only the gateway sees. */
export class GatewayMetrics extends ServiceMetrics {
  /** Subgraph names come from the supergraph the operator deploys, so they are a bounded set too. */
  readonly subgraphFetch: Histogram<'subgraph' | 'outcome'> = this.histogram(
    'subgraph_fetch_duration_seconds',
    'Latency of each fetch the gateway makes to a subgraph, by outcome',
    ['subgraph', 'outcome'],
  );
  readonly deduplicatedRequests: Counter = this.counter(
    'inflight_deduplicated_requests_total',
    'Queries answered with the answer of an identical query already in flight, instead of running again',
  );
  readonly sharedSubgraphFetches: Counter<'subgraph'> = this.counter(
    'subgraph_fetches_shared_total',
    'Subgraph fetches not sent because an identical one (same document, variables and identity) was in flight',
    ['subgraph'],
  );
  readonly supergraphReloads: Counter<'outcome'> = this.counter(
    'supergraph_reloads_total',
    'Supergraph file changes seen, by whether they were applied or rejected (old one kept)',
    ['outcome'],
  );

  readonly subscriptionsActive: Gauge<'transport'> = this.gauge(
    'subscriptions_active',
    'Client subscriptions open now, by transport',
    ['transport'],
  );
  readonly subscriptionUpstreamConnections: Gauge<'subgraph'> = this.gauge(
    'subscription_upstream_connections',
    'graphql-ws connections to subgraphs open now (one per subgraph and authorization)',
    ['subgraph'],
  );
  readonly subscriptionUpstreams: Gauge<'subgraph'> = this.gauge(
    'subscription_upstream_subscriptions',
    'Subscriptions open on subgraphs now; identical client subscriptions share one',
    ['subgraph'],
  );
  readonly subscriptionEventsIn: Counter<'subgraph'> = this.counter(
    'subscription_events_received_total',
    'Events received from subgraph subscriptions',
    ['subgraph'],
  );
  readonly subscriptionEventsOut: Counter<'subgraph'> = this.counter(
    'subscription_events_sent_total',
    'Events handed to client connections, by the subgraph the subscription came from',
    ['subgraph'],
  );
  readonly subscriptionDelivery: Histogram<'transport'> = this.histogram(
    'subscription_delivery_seconds',
    'From receiving an upstream event to sending it to a client, incl. resolving fields of other subgraphs',
    ['transport'],
    DELIVERY_BUCKETS,
  );
  readonly subscriptionQueued: Gauge = this.gauge(
    'subscription_queued_events',
    'Events waiting in subscriber queues (each bounded by SUBSCRIPTION_QUEUE_LIMIT)',
  );
  readonly subscriptionEventsDropped: Counter = this.counter(
    'subscription_events_dropped_total',
    'Events skipped for slow subscribers (SUBSCRIPTION_OVERFLOW=drop-oldest)',
  );
  readonly subscriptionsEnded: Counter<'reason'> = this.counter(
    'subscriptions_ended_total',
    'Subscriptions or connections the gateway ended itself, by reason',
    ['reason'],
  );
  readonly subscriptionUpstreamReconnects: Counter<'subgraph'> = this.counter(
    'subscription_upstream_reconnects_total',
    'Reconnect attempts to subgraphs after an upstream socket dropped',
    ['subgraph'],
  );

  // Partner usage without a client label: client ids are made by tenants, an unbounded set. Per-client
  // figures are counted per hour (rate-limit/usage.ts), stored by auth and shown to HQ admins instead.
  readonly partnerRequests: Counter<'outcome'> = this.counter(
    'partner_requests_total',
    'GraphQL requests with partner tokens, by outcome (ok, error: answered with errors, limited: 429)',
    ['outcome'],
  );
  readonly partnerCost: Counter = this.counter(
    'partner_query_cost_total',
    'Estimated cost (objects) of the operations partner tokens ran',
  );
  readonly partnerUsageReports: Counter<'outcome'> = this.counter(
    'partner_usage_reports_total',
    'Per-client usage reports (one client and hour each) sent to auth: stored, retried (kept for the next flush) or dropped',
    ['outcome'],
  );
  readonly rateLimitStoreFailures: Counter = this.counter(
    'rate_limit_store_failures_total',
    'Rate limit checks that could not reach the store (Redis) in time; those requests passed unlimited',
  );

  constructor() {
    super('gateway');
  }

  private gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge<L>({ name: `phub_gateway_${name}`, help, labelNames, registers: [this.registry] });
  }
}
