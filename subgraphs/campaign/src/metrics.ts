import { ServiceMetrics } from '@phub/kit';

/** Where a resolution was asked for; a closed set, so labels stay bounded. */
export type ResolutionSource = 'query' | 'refresh' | 'preview' | 'explain' | 'reach';
/** What made the platform look at a display's playlist again. */
export type ChangeReason = 'campaign' | 'override' | 'store_pause' | 'location' | 'boundary';

/** `phub_campaign_…` metrics: the shared HTTP/GraphQL ones plus playlist resolution. */
export class CampaignMetrics extends ServiceMetrics {
  readonly resolutions = this.counter<'source'>(
    'playlist_resolutions_total',
    'Playlists resolved by the engine',
    ['source'],
  );
  readonly resolutionDuration = this.histogram<'source'>(
    'playlist_resolution_duration_seconds',
    'Time to resolve one playlist (facts loaded, engine run)',
    ['source'],
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  );
  readonly cacheLookups = this.counter<'result'>(
    'playlist_cache_lookups_total',
    'displayPlaylist cache lookups by result (hit, miss)',
    ['result'],
  );
  readonly indexBuilds = this.counter('index_builds_total', "Compiled campaign indexes built (one per tenant change)");
  readonly changesPublished = this.counter<'reason'>(
    'playlist_changes_published_total',
    'playlistChanged events published (only when the version changed)',
    ['reason'],
  );
  readonly transitions = this.counter<'action'>('transitions_total', 'Campaign workflow transitions', ['action']);
  readonly projectionEvents = this.counter<'topic' | 'outcome'>(
    'projection_events_total',
    'Location events applied to the local projection',
    ['topic', 'outcome'],
  );
  readonly boundaryWakeups = this.counter('boundary_wakeups_total', 'Schedule boundaries the re-resolve job woke for');

  constructor() {
    super('campaign');
  }
}

export function createCampaignMetrics(): CampaignMetrics {
  return new CampaignMetrics();
}
