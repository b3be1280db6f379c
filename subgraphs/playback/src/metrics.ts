import { ServiceMetrics } from '@phub/kit';

export type EventKind = 'play' | 'heartbeat';
export type IngestOutcome = 'accepted' | 'duplicate' | 'rejected' | 'written';

// What this service uses of prom-client's Counter and Histogram (the kit owns the dependency).
export interface CounterOf<L extends string> {
  inc(labels: Partial<Record<L, string>>, value?: number): void;
  inc(value?: number): void;
}
export interface HistogramOf<L extends string> {
  startTimer(labels?: Partial<Record<L, string>>): () => number;
}

/** `phub_playback_…` metrics: the shared HTTP/GraphQL ones plus ingestion and health; no id is ever a label. */
export class PlaybackMetrics extends ServiceMetrics {
  readonly ingested: CounterOf<'kind' | 'outcome'>;
  readonly batchWrite: HistogramOf<never>;
  readonly alertsRaised: CounterOf<'kind'>;
  readonly alertsResolved: CounterOf<'kind'>;
  readonly notifications: CounterOf<'channel' | 'transport'>;

  constructor() {
    super('playback');
    this.ingested = this.counter('ingested_events_total', 'Proof-of-play and heartbeat events by outcome', [
      'kind',
      'outcome',
    ]);
    this.batchWrite = this.histogram('batch_write_duration_seconds', 'Time to write one event batch to Postgres');
    this.alertsRaised = this.counter('alerts_raised_total', 'Display alerts raised', ['kind']);
    this.alertsResolved = this.counter('alerts_resolved_total', 'Display alerts resolved automatically', ['kind']);
    this.notifications = this.counter('notifications_sent_total', 'Alert notifications sent', ['channel', 'transport']);
  }
}

export function createPlaybackMetrics(): PlaybackMetrics {
  return new PlaybackMetrics();
}
