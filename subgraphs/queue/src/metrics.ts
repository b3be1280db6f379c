import { ServiceMetrics } from '@phub/kit';

// What this service uses of prom-client's Counter (the kit owns the dependency).
export interface CounterOf<L extends string> {
  inc(labels: Partial<Record<L, string>>, value?: number): void;
  inc(value?: number): void;
}

/** `phub_queue_…` metrics: the shared HTTP/GraphQL ones plus ticket actions and joins; no id is ever a label. */
export class QueueMetrics extends ServiceMetrics {
  readonly actions: CounterOf<'action'>;
  readonly joins: CounterOf<'channel' | 'outcome'>;

  constructor() {
    super('queue');
    this.actions = this.counter('ticket_actions_total', 'Ticket actions applied, by action', ['action']);
    this.joins = this.counter('joins_total', 'Tickets issued or refused, by channel (desk, remote)', [
      'channel',
      'outcome',
    ]);
  }
}

export function createQueueMetrics(): QueueMetrics {
  return new QueueMetrics();
}
