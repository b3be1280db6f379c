import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One registry per service, so each `/metrics` shows its own service; names are `phub_<service>_…`. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly graphqlOperations: Counter<'operation_type' | 'operation_name' | 'outcome'>;
  readonly graphqlDuration: Histogram<'operation_type' | 'operation_name' | 'outcome'>;

  constructor(readonly service: string) {
    const prefix = `phub_${service.replace(/[^a-z0-9_]/gi, '_')}`;
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: `${prefix}_` });
    this.httpRequests = new Counter({
      name: `${prefix}_http_requests_total`,
      help: 'HTTP requests served',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: `${prefix}_http_request_duration_seconds`,
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.graphqlOperations = new Counter({
      name: `${prefix}_graphql_operations_total`,
      help: 'GraphQL operations executed',
      labelNames: ['operation_type', 'operation_name', 'outcome'],
      registers: [this.registry],
    });
    this.graphqlDuration = new Histogram({
      name: `${prefix}_graphql_operation_duration_seconds`,
      help: 'GraphQL operation latency',
      labelNames: ['operation_type', 'operation_name', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name: this.name(name), help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets = LATENCY_BUCKETS) {
    return new Histogram<L>({ name: this.name(name), help, labelNames, buckets, registers: [this.registry] });
  }

  private name(suffix: string): string {
    return `phub_${this.service.replace(/[^a-z0-9_]/gi, '_')}_${suffix}`;
  }
}

/**
 * Operation names come from clients; keep the label set bounded by accepting
 * only sane identifiers and folding the rest into one bucket.
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'invalid';
}
