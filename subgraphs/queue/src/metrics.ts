import { ServiceMetrics } from '@phub/kit';

// What this service uses of prom-client's Counter (the kit owns the dependency).
export interface CounterOf<L extends string> {
  inc(labels: Partial<Record<L, string>>, value?: number): void;
  inc(value?: number): void;
}

// Buckets of a visitor's wait, in seconds: one minute to two hours.
const WAIT_BUCKETS = [60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200];

/** `phub_queue_…` metrics: the shared HTTP/GraphQL ones plus ticket actions and joins; no id is ever a label. */
export class QueueMetrics extends ServiceMetrics {
  readonly actions: CounterOf<'action'>;
  readonly joins: CounterOf<'channel' | 'outcome'>;
  /** Joining to first call, per ticket (the queue-wait alert and panel read it); no line or store label. */
  readonly waits: { observe(seconds: number): void };

  constructor() {
    super('queue');
    this.actions = this.counter('ticket_actions_total', 'Ticket actions applied, by action', ['action']);
    this.joins = this.counter('joins_total', 'Tickets issued or refused, by channel (desk, remote)', [
      'channel',
      'outcome',
    ]);
    this.waits = this.histogram(
      'wait_seconds',
      'How long a visitor waited from joining to the first call',
      [],
      WAIT_BUCKETS,
    );
  }
}

export function createQueueMetrics(): QueueMetrics {
  return new QueueMetrics();
}
