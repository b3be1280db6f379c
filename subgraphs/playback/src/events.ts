import {
  campaignEventV1,
  displayEventV1,
  playlistVersionEventV1,
  type PlaylistVersionEventV1,
  storeEventV1,
} from '@phub/contracts';

/** Topics this subgraph publishes. */
export const PlaybackTopic = {
  /** Accepted proof-of-play and heartbeat batches, keyed by display id; written by group `playback-writer`. */
  events: 'playback.events.v1',
} as const;

/** Topics this subgraph consumes. */
export const ConsumedTopic = {
  display: displayEventV1.topic,
  /** Location's stores: playback keeps each one's time zone and hours (report days, stale content). */
  store: storeEventV1.topic,
  /** Published by campaign when a display's resolved playlist version changes, keyed by display id. */
  playlist: playlistVersionEventV1.topic,
  /** Campaign's campaigns and their creatives: plays naming others are flagged. */
  campaign: campaignEventV1.topic,
} as const;

export const WRITER_GROUP = 'playback-writer';
export const PROJECTION_GROUP = 'playback';

export interface PlayEventData {
  id: string;
  displayId: string;
  /** null: a display override's play */
  campaignId: string | null;
  creativeId: string;
  playlistVersion: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
}

export interface HeartbeatEventData {
  id: string;
  displayId: string;
  at: string;
  currentCreativeId: string | null;
  playlistVersion: string | null;
  appVersion: string | null;
  uptimeSeconds: number | null;
}

/** One message of `playback.events.v1`: the accepted events of one display from one request. */
export interface PlaybackBatch {
  tenantId: string;
  storeId: string;
  displayId: string;
  receivedAt: string;
  plays: PlayEventData[];
  heartbeats: HeartbeatEventData[];
}

/** `campaign.playlist.v1` payload. */
export type PlaylistVersionEvent = PlaylistVersionEventV1;
