// The playlist resolution engine: pure functions from campaigns, display facts, overrides and an instant
// to what a display plays. No I/O and no clock: the subgraph loads the data, passes the time and caches.

export * from './types.js';
export { PlaylistEngineError, type PlaylistEngineReason } from './errors.js';
export {
  CampaignIndex,
  type CompiledCampaign,
  type RejectedCampaign,
  compileCampaigns,
  validateCampaign,
} from './compile.js';
export { resolvePlaylist, nextBoundary } from './resolve.js';
export { explain, type ExplainContext } from './explain.js';
export { preview, type PreviewOptions, MAX_PREVIEW_SEGMENTS } from './preview.js';
export { playlistVersion } from './version.js';
export { MAX_CYCLE_TURNS, MAX_LOOP_ITEMS } from './loop.js';
export { MAX_QUEUE_CONDITIONS, queueConditionsHold } from './queue.js';
export { campaignReach, type CampaignReach, type OutrankedDisplay, type ReachState } from './reach.js';
