import { ServiceMetrics } from '@phub/kit';
import type { Counter, Histogram } from 'prom-client';

/** How one fetch from a subgraph ended; a closed set so the label stays bounded. */
export type FetchOutcome = 'success' | 'graphql_error' | 'http_error' | 'timeout' | 'unavailable';

/** The kit's per-service metrics plus what only the gateway sees. */
export class GatewayMetrics extends ServiceMetrics {
  /** Subgraph names come from the supergraph the operator deploys, so they are a bounded set too. */
  readonly subgraphFetch: Histogram<'subgraph' | 'outcome'> = this.histogram(
    'subgraph_fetch_duration_seconds',
    'Latency of each fetch the gateway makes to a subgraph, by outcome',
    ['subgraph', 'outcome'],
  );
  readonly supergraphReloads: Counter<'outcome'> = this.counter(
    'supergraph_reloads_total',
    'Supergraph file changes seen, by whether they were applied or rejected (old one kept)',
    ['outcome'],
  );

  constructor() {
    super('gateway');
  }
}
