import { ServiceMetrics } from '@phub/kit';

/** Where a resolution was asked for; a closed set, so labels stay bounded. */
export type ResolutionSource = 'query' | 'refresh' | 'preview' | 'explain';
/** What made the platform look at a display's playlist again. */
export type ChangeReason =
  | 'campaign'
  | 'override'
  | 'takeover'
  | 'store_pause'
  | 'location'
  | 'boundary'
  | 'queue'
  | 'presence'
  | 'creative'
  | 'layout';

// What this service uses of prom-client's Counter and Histogram (the kit owns the dependency).
export interface CounterOf<L extends string> {
  inc(labels: Partial<Record<L, string>>, value?: number): void;
  inc(value?: number): void;
}
export interface HistogramOf<L extends string> {
  startTimer(labels: Partial<Record<L, string>>): () => number;
}

/** `phub_campaign_…` metrics: the shared HTTP/GraphQL ones plus playlist resolution; no id is ever a label. */
export class CampaignMetrics extends ServiceMetrics {
  readonly resolutions: CounterOf<'source'>;
  readonly resolutionDuration: HistogramOf<'source'>;
  readonly cacheLookups: CounterOf<'result'>;
  readonly indexBuilds: CounterOf<never>;
  readonly changesPublished: CounterOf<'reason'>;
  readonly transitions: CounterOf<'action'>;
  readonly projectionEvents: CounterOf<'topic' | 'outcome'>;
  readonly boundaryWakeups: CounterOf<never>;

  constructor() {
    super('campaign');
    this.resolutions = this.counter('playlist_resolutions_total', 'Playlists resolved by the engine', ['source']);
    this.resolutionDuration = this.histogram(
      'playlist_resolution_duration_seconds',
      'Time to resolve one playlist with the engine',
      ['source'],
      [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    );
    this.cacheLookups = this.counter('playlist_cache_lookups_total', 'displayPlaylist cache lookups (hit, miss)', [
      'result',
    ]);
    this.indexBuilds = this.counter('index_builds_total', 'Compiled campaign indexes built (one per tenant change)');
    this.changesPublished = this.counter(
      'playlist_changes_published_total',
      'playlistChanged events published (only when the version changed)',
      ['reason'],
    );
    this.transitions = this.counter('transitions_total', 'Campaign workflow transitions', ['action']);
    this.projectionEvents = this.counter(
      'projection_events_total',
      'Location and queue events seen by the projections',
      ['topic', 'outcome'],
    );
    this.boundaryWakeups = this.counter('boundary_wakeups_total', 'Schedule boundaries the re-resolve job woke for');
  }
}

export function createCampaignMetrics(): CampaignMetrics {
  return new CampaignMetrics();
}
