import { ServiceMetrics } from '@phub/kit';

// What this service uses of prom-client's Counter (the kit owns the dependency).
export interface CounterOf<L extends string> {
  inc(labels: Partial<Record<L, string>>, value?: number): void;
  inc(value?: number): void;
}

/** `phub_proximity_…` metrics: webhook messages and events by outcome; no id or MAC is ever a label. */
export class ProximityMetrics extends ServiceMetrics {
  readonly messages: CounterOf<'outcome'>;
  readonly events: CounterOf<'topic' | 'outcome'>;
  readonly moments: CounterOf<'kind'>;
  readonly groups: { observe(value: number): void };

  constructor() {
    super('proximity');
    this.messages = this.counter('webhook_messages_total', 'Mist webhook messages, by outcome', ['outcome']);
    this.events = this.counter('webhook_events_total', 'Mist events, by topic and outcome', ['topic', 'outcome']);
    this.moments = this.counter('moments_total', 'Presence moments emitted, by kind (start, end)', ['kind']);
    this.groups = this.histogram(
      'webhook_group_messages',
      'Webhook messages written per transaction (group commit)',
      [],
      [1, 2, 4, 8, 16, 32, 64],
    );
  }
}

export function createProximityMetrics(): ProximityMetrics {
  return new ProximityMetrics();
}
