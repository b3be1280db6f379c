import {
  type Campaign as EngineCampaign,
  compileCampaigns,
  type DisplayFacts,
  resolvePlaylist,
  type Targeting,
  validateCampaign,
} from '../../engine/index.js';

// A stand-in creative and an always-open schedule: what is left to decide is targeting (and store-locality).
const PROBE_CREATIVE = {
  id: 'reach-probe',
  kind: 'IMAGE',
  url: 'about:blank',
  mimeType: 'image/png',
  durationMs: 1000,
  checksum: 'reach-probe',
} as const;
const ANY_INSTANT = new Date(0);

/**
 * Which of `displays` a campaign with this targeting (and store, for a store-local one) would reach,
 * ignoring its schedule, status and store pauses: the engine decides, so the answer matches what plays.
 * Returns the engine's problems instead when the targeting is invalid.
 */
export function matchReach(
  displays: readonly DisplayFacts[],
  tenantId: string,
  targeting: Targeting,
  storeId: string | null,
): { displayIds: string[] } | { problems: string[] } {
  const probe: EngineCampaign = {
    id: 'reach-probe',
    tenantId,
    name: 'reach',
    status: 'LIVE',
    priority: 0,
    weight: 1,
    storeId,
    pausedStoreIds: [],
    creatives: [PROBE_CREATIVE],
    schedule: {},
    maxPlaysPerHour: null,
    targeting,
  };
  const problems = validateCampaign(probe);
  if (problems.length) return { problems };
  const index = compileCampaigns([probe]);
  const displayIds: string[] = [];
  for (const display of displays) {
    if (resolvePlaylist(display, index, [], ANY_INSTANT).items.length > 0) displayIds.push(display.displayId);
  }
  return { displayIds };
}
