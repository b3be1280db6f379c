import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One registry per service, so each `/metrics` shows its own service; names are `phub_<service>_…`. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly graphqlOperations: Counter<'operation_type' | 'operation_name' | 'outcome'>;
  readonly graphqlDuration: Histogram<'operation_type' | 'operation_name' | 'outcome'>;
  /** Operation names already used as labels (see operationLabel). */
  readonly operationNames = new Set<string>();

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

/** Distinct operation names one service labels metrics with; later names count as `other`. */
export const MAX_OPERATION_NAMES = 200;

/**
 * Operation names come from clients; keep the label set bounded by accepting
 * only sane identifiers, folding the rest into one bucket, and capping how many
 * distinct names `known` (one set per service) may hold.
 */
export function operationLabel(name: string | null | undefined, known: Set<string>): string {
  if (!name) return 'anonymous';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'invalid';
  if (known.has(name)) return name;
  if (known.size >= MAX_OPERATION_NAMES) return 'other';
  known.add(name);
  return name;
}

/** What became of one attempt to reach an outside party: a partner's endpoint, a phone, a mailbox. */
export type OutboundOutcome = 'delivered' | 'retrying' | 'failed' | 'cancelled';

/**
 * Deliveries to outside parties (webhooks, SMS, alert notifications), whichever service or worker job sends them:
 * one process-wide registry, served by every `/metrics` of the process beside the service's own, like the bus's.
 * Labels are bounded: the channel (`webhook`, `sms`, `email`), the sending family (`queue`, `campaign`, …) and
 * the outcome; never an endpoint, a tenant or a recipient.
 */
export class OutboundMetrics {
  readonly registry = new Registry();
  readonly deliveries = new Counter<'channel' | 'family' | 'outcome'>({
    name: 'phub_outbound_deliveries_total',
    help: 'Attempts to deliver to an outside party, by channel, sending family and outcome',
    labelNames: ['channel', 'family', 'outcome'],
    registers: [this.registry],
  });

  count(channel: string, family: string, outcome: OutboundOutcome, n = 1): void {
    if (n > 0) this.deliveries.inc({ channel, family, outcome }, n);
  }
}

export const outboundMetrics = new OutboundMetrics();
