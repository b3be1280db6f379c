/** Shapes the player exchanges with the gateway (see schema/supergraph.graphql). */

export type Orientation = 'LANDSCAPE' | 'PORTRAIT';

export interface PlaylistItem {
  campaignId: string | null;
  /** Set on a store takeover's item (absent in playlists stored before players knew it). */
  takeoverId?: string | null;
  creativeId: string;
  url: string;
  mimeType: string;
  durationMs: number;
  checksum: string;
  /** How it fits a screen of another shape, the creative's choice (absent in playlists stored before fit modes). */
  fit?: FitMode | null;
}

/** CONTAIN: whole, letter/pillarboxed; COVER: fills the screen, cropped; FILL: stretched. */
export type FitMode = 'CONTAIN' | 'COVER' | 'FILL';

export type RegionKind = 'CONTENT' | 'TICKER' | 'QUEUE_BOARD';

/** One region of a layout, in percent of the screen from its top left, with its own loop (CONTENT). */
export interface PlaylistRegion {
  name: string;
  kind: RegionKind;
  x: number;
  y: number;
  width: number;
  height: number;
  /** A TICKER's text. */
  text: string | null;
  /** The main region plays the playlist's `items` (the player's own loop). */
  main: boolean;
  version: string;
  items: PlaylistItem[];
}

export interface PlaylistLayout {
  id: string;
  name: string;
  regions: PlaylistRegion[];
}

export interface Playlist {
  version: string;
  validUntil: string | null;
  items: PlaylistItem[];
  /** The display's layout; null or absent (stored before layouts) = full screen. */
  layout?: PlaylistLayout | null;
}

export interface DisplayInfo {
  name: string;
  orientation: Orientation;
  /** Its store (the queue board shows this store's queue); absent in what older versions stored. */
  store?: { id: string; name?: string } | null;
}

export interface Credential {
  displayId: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  refreshTokenExpiresAt: string;
}

/** One proof-of-play record, as recordPlayback takes it. */
export interface PlayEvent {
  id: string;
  displayId: string;
  /** null for a display override (no campaign) */
  campaignId: string | null;
  creativeId: string;
  playlistVersion: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
}

/** A liveness ping, every 30 s. */
export interface HeartbeatEvent {
  id: string;
  displayId: string;
  at: string;
  currentCreativeId: string | null;
  playlistVersion: string | null;
  appVersion: string;
  uptimeSeconds: number;
}

export type QueuedEvent =
  | { kind: 'play'; event: PlayEvent; attempts?: number }
  | { kind: 'heartbeat'; event: HeartbeatEvent; attempts?: number };

/** recordPlayback's IngestResult (schema/playback.graphql). */
export interface RecordPlaybackResult {
  accepted: number;
  /** Already recorded (a retried batch); nothing to resend. */
  duplicates?: number;
  /** `index` is the position in its own list (plays or heartbeats, by `kind`). */
  rejected: { kind?: 'PLAY' | 'HEARTBEAT'; index: number; id: string | null; reason: string; code: string }[];
}
