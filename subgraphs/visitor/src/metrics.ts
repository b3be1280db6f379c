import { ServiceMetrics } from '@phub/kit';

// What this service uses of prom-client's Counter (the kit owns the dependency).
export interface CounterOf<L extends string> {
  inc(labels: Partial<Record<L, string>>, value?: number): void;
  inc(value?: number): void;
}

/** `phub_visitor_…` metrics: the shared HTTP/GraphQL ones plus check-ins, merges and erasures; never an id. */
export class VisitorMetrics extends ServiceMetrics {
  readonly checkIns: CounterOf<'source' | 'moment'>;
  readonly profiles: CounterOf<'event'>;

  constructor() {
    super('visitor');
    this.checkIns = this.counter('checkins_total', 'Visitor check-ins, by source and whether a moment was emitted', [
      'source',
      'moment',
    ]);
    this.profiles = this.counter('profile_events_total', 'Profiles created, merged, erased and expired', ['event']);
  }
}

export function createVisitorMetrics(): VisitorMetrics {
  return new VisitorMetrics();
}
