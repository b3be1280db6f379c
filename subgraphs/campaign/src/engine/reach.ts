import { type CampaignIndex, compileCampaign, compileCampaigns, validateCampaign } from './compile.js';
import { instantOf, matchesDisplay, matchesPlace, resolveAt } from './resolve.js';
import { scheduleActive } from './schedule.js';
import type { Campaign, DisplayFacts, Interruption } from './types.js';

/** Where a display stands for one campaign at one instant. */
export type ReachState = 'PLAYING' | 'OUTRANKED' | 'NOT_NOW';

/** A matching display where the campaign would play now but for what the display plays instead. */
export interface OutrankedDisplay {
  readonly displayId: string;
  /** The campaigns of the playing (higher) priority tier; empty when a takeover or an override owns the screen. */
  readonly byCampaignIds: readonly string[];
  readonly byOverrideId: string | null;
  readonly byTakeoverId: string | null;
}

export interface CampaignReach {
  /** Displays its targeting reaches (store-local: its store), ignoring schedule, pauses and queue conditions. */
  readonly matching: readonly string[];
  /** Matching displays whose playlist at `at` has it. */
  readonly playing: readonly string[];
  /** Matching displays where it is eligible at `at` (schedule, pauses, queue) but something ranks above it. */
  readonly outranked: readonly OutrankedDisplay[];
  /** The rest of the matching displays: outside its schedule, paused for the store, or a queue condition fails. */
  readonly notNow: readonly string[];
}

// Reach does not depend on what a campaign shows, only on whether it has something to show.
const PROBE_CREATIVE = {
  id: 'reach-probe',
  kind: 'IMAGE',
  url: 'about:blank',
  mimeType: 'image/png',
  durationMs: 1000,
  checksum: 'reach-probe',
} as const;

/**
 * Where `campaign` reaches and where it plays at `at` among `displays`, beside the other LIVE campaigns and
 * the overrides and takeovers, as if it were LIVE (the caller says "would play" for one that is not). One
 * computation for the editor, the campaign list, the fleet and the reports, so they cannot disagree.
 * `others` may include the campaign itself (its live version): it is replaced by `campaign`.
 * Returns the engine's problems instead when the campaign is invalid.
 */
export function campaignReach(
  campaign: Campaign,
  displays: readonly DisplayFacts[],
  others: readonly Campaign[],
  interruptions: readonly Interruption[],
  at: Date,
): CampaignReach | { problems: string[] } {
  const instant = instantOf(at, 'at');
  const candidate: Campaign = { ...campaign, status: 'LIVE', creatives: [PROBE_CREATIVE] };
  const problems = validateCampaign(candidate);
  if (problems.length) return { problems };
  // Matching is targeting (and store-locality) alone, so it does not move with the clock or a store pause.
  const relaxed = compileCampaign({
    ...candidate,
    schedule: {},
    pausedStoreIds: [],
    queueConditions: [],
  }).compiled;
  const own = compileCampaign(candidate).compiled;
  const index: CampaignIndex = compileCampaigns([...others.filter((c) => c.id !== campaign.id), candidate]);
  const matching: string[] = [];
  const playing: string[] = [];
  const outranked: OutrankedDisplay[] = [];
  const notNow: string[] = [];
  for (const display of displays) {
    // Where it may play at all: its places (visitor rules wait for presence, so they decide "now", not "matches").
    if (!matchesPlace(relaxed, display)) continue;
    matching.push(display.displayId);
    const resolution = resolveAt(display, index, interruptions, instant);
    if (resolution.playlist.items.some((item) => item.campaignId === campaign.id)) {
      playing.push(display.displayId);
    } else if (matchesDisplay(own, display, instant) && scheduleActive(own.schedule, resolution.moment)) {
      outranked.push({
        displayId: display.displayId,
        byCampaignIds: resolution.tier.map((c) => c.id),
        byOverrideId: resolution.override?.id ?? null,
        byTakeoverId: resolution.takeover?.id ?? null,
      });
    } else {
      notNow.push(display.displayId);
    }
  }
  return { matching, playing, outranked, notNow };
}
