import { type CampaignIndex, type CompiledCampaign, asIndex } from './compile.js';
import { compileCreative, pickContent } from './creative.js';
import { PlaylistEngineError } from './errors.js';
import { type Loop, loopItems } from './loop.js';
import { nextScheduleBoundary, scheduleActive } from './schedule.js';
import { queueConditionsHold } from './queue.js';
import { nextMomentExpiry, targets, visitorRulesHold } from './targeting.js';
import {
  type Campaign,
  type DisplayFacts,
  type Interruption,
  isTakeover,
  type Override,
  type Playlist,
  type PlaylistItem,
  type Takeover,
} from './types.js';
import { playlistVersion } from './version.js';
import { type LocalMoment, ZoneClock, localMoment } from './zone-clock.js';

/** Everything one resolution decided, for `explain` and `preview`. */
export interface Resolution {
  readonly playlist: Playlist;
  readonly moment: LocalMoment;
  /** The override that owns the display, if any (never while a takeover does). */
  readonly override: Override | null;
  /** The store takeover that owns the display, if any. */
  readonly takeover: Takeover | null;
  /** The winning priority tier, in loop order; empty when nothing is eligible. */
  readonly tier: readonly CompiledCampaign[];
  readonly loop: Loop | null;
}

/** The instant of a Date, or INVALID_INSTANT. */
export function instantOf(value: Date, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new PlaylistEngineError('INVALID_INSTANT', `${name} is not a valid instant`);
  return ms;
}

/** The display's zone clock, after checking the facts the engine relies on. */
export function displayClock(display: DisplayFacts): ZoneClock {
  for (const field of ['displayId', 'tenantId', 'storeId'] as const) {
    if (typeof display[field] !== 'string' || display[field].length === 0) {
      throw new PlaylistEngineError('INVALID_DISPLAY', `display ${field} is empty`, { displayId: display.displayId });
    }
  }
  return ZoneClock.of(display.timezone);
}

/** Tenant, store-local, store pause, targeting and queue conditions: the checks that do not depend on time. */
export function matchesPlace(campaign: CompiledCampaign, display: DisplayFacts): boolean {
  return (
    campaign.tenantId === display.tenantId &&
    (campaign.storeId === null || campaign.storeId === display.storeId) &&
    !campaign.paused.has(display.storeId) &&
    targets(campaign.targeting, display) &&
    queueConditionsHold(campaign.queueConditions, display)
  );
}

/** `matchesPlace` and the visitor rules, which live presence moments decide at `at`. */
export function matchesDisplay(campaign: CompiledCampaign, display: DisplayFacts, at: number): boolean {
  return matchesPlace(campaign, display) && visitorRulesHold(campaign.targeting, display, at);
}

/** When a campaign with visitor rules may change on the display: the next moment expiry (else null). */
function visitorBoundary(campaign: CompiledCampaign, display: DisplayFacts, at: number): number | null {
  return campaign.targeting.visitorRules.length === 0 ? null : nextMomentExpiry(display, at);
}

/** The overrides of one display. */
function displayOverrides(all: readonly Interruption[], displayId: string): Override[] {
  return all.filter((o): o is Override => !isTakeover(o) && o.displayId === displayId);
}

/** The takeovers of the display's store: they reach every display standing in it, whenever it arrived. */
function storeTakeovers(all: readonly Interruption[], display: DisplayFacts): Takeover[] {
  return all.filter((t): t is Takeover => isTakeover(t) && t.storeId === display.storeId);
}

/** The active takeover at `at`: started, the latest `createdAt` winning, then the greater id. */
export function activeTakeover(takeovers: readonly Takeover[], at: number): Takeover | null {
  let winner: Takeover | null = null;
  for (const t of takeovers) {
    if (t.startsAt.getTime() > at) continue;
    const newer =
      winner === null ||
      t.createdAt.getTime() > winner.createdAt.getTime() ||
      (t.createdAt.getTime() === winner.createdAt.getTime() && t.id > winner.id);
    if (newer) winner = t;
  }
  return winner;
}

/** The first takeover start strictly after `at` (a takeover has no end the engine knows: lifting removes it). */
function nextTakeoverBoundary(takeovers: readonly Takeover[], at: number): number | null {
  let next: number | null = null;
  for (const t of takeovers) {
    const edge = t.startsAt.getTime();
    if (edge > at && (next === null || edge < next)) next = edge;
  }
  return next;
}

/** The active override at `at`: latest `createdAt` wins, then the greater id. */
export function activeOverride(overrides: readonly Override[], at: number): Override | null {
  let winner: Override | null = null;
  for (const o of overrides) {
    if (!(o.startsAt.getTime() <= at && at < o.until.getTime())) continue;
    if (
      winner === null ||
      o.createdAt.getTime() > winner.createdAt.getTime() ||
      (o.createdAt.getTime() === winner.createdAt.getTime() && o.id > winner.id)
    ) {
      winner = o;
    }
  }
  return winner;
}

/** The first override start or expiry strictly after `at`. */
function nextOverrideBoundary(overrides: readonly Override[], at: number): number | null {
  let next: number | null = null;
  for (const o of overrides) {
    for (const edge of [o.startsAt.getTime(), o.until.getTime()]) {
      if (edge > at && (next === null || edge < next)) next = edge;
    }
  }
  return next;
}

const earlier = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);
const dateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

function overrideItem(override: Override, display: DisplayFacts): PlaylistItem {
  const content = pickContent(
    compileCreative(override.creative, 'override.creative', []),
    display.locale,
    display.orientation,
  );
  return {
    campaignId: override.campaignId ?? null,
    overrideId: override.id,
    ...content,
    validUntil: override.until,
  };
}

function takeoverItem(takeover: Takeover, display: DisplayFacts): PlaylistItem {
  const content = pickContent(
    compileCreative(takeover.creative, 'takeover.creative', []),
    display.locale,
    display.orientation,
  );
  return { campaignId: null, overrideId: null, takeoverId: takeover.id, ...content, validUntil: null };
}

/**
 * Resolves a display at an instant (ms). With `evaluateUnderOverride` the campaign tier is worked out even
 * while an override owns the display (explain needs it; playlists do not).
 */
export function resolveAt(
  display: DisplayFacts,
  index: CampaignIndex,
  interruptions: readonly Interruption[],
  at: number,
  evaluateUnderOverride = false,
): Resolution {
  const moment = localMoment(displayClock(display), at);
  const takeovers = storeTakeovers(interruptions, display);
  const takeover = activeTakeover(takeovers, at);
  const overrides = displayOverrides(interruptions, display.displayId);
  // A takeover owns the display above any override; a later takeover start still bounds the playlist.
  const override = takeover ? null : activeOverride(overrides, at);
  const overrideEdge = earlier(
    nextTakeoverBoundary(takeovers, at),
    takeover ? null : nextOverrideBoundary(overrides, at),
  );

  let overridePlaylist: Playlist | null = null;
  if (takeover || override) {
    const items = [takeover ? takeoverItem(takeover, display) : overrideItem(override!, display)];
    overridePlaylist = {
      displayId: display.displayId,
      version: playlistVersion(items),
      items,
      validUntil: dateOrNull(overrideEdge),
    };
    if (!evaluateUnderOverride) return { playlist: overridePlaylist, moment, override, takeover, tier: [], loop: null };
  }

  // Candidates come by priority, highest first: once a tier is found, lower priorities can neither play
  // nor change the playlist before this tier's own boundaries, so the scan stops there.
  const tier: CompiledCampaign[] = [];
  let validUntil = overrideEdge;
  const tierUntil: (Date | null)[] = [];
  index.forEachPriority(display, (candidates) => {
    for (const campaign of candidates) {
      if (!matchesPlace(campaign, display)) continue;
      // A moment's expiry may start or stop a campaign with visitor rules: the playlist is valid until then.
      const presenceEdge = visitorBoundary(campaign, display, at);
      validUntil = earlier(validUntil, presenceEdge);
      if (!visitorRulesHold(campaign.targeting, display, at)) continue;
      const boundary = earlier(nextScheduleBoundary(campaign.schedule, moment), presenceEdge);
      validUntil = earlier(validUntil, boundary);
      if (!scheduleActive(campaign.schedule, moment)) continue;
      tier.push(campaign);
      tierUntil.push(dateOrNull(boundary));
    }
    // Continue to lower priorities only while nothing is eligible.
    return tier.length === 0;
  });

  const loop = index.loopFor(tier, display.locale, display.orientation);
  const playlist = overridePlaylist ?? {
    displayId: display.displayId,
    version: loop.version,
    items: loopItems(
      loop,
      tier.map((c) => c.id),
      tierUntil,
    ),
    validUntil: dateOrNull(validUntil),
  };
  return { playlist, moment, override, takeover, tier, loop };
}

/**
 * The playlist a display plays at `at`: only its store's active takeover if there is one, else only the active
 * override if there is one; otherwise the highest
 * priority among eligible campaigns (LIVE, same tenant, targeted, not paused for the store, in its date
 * range and absolute window, inside a daypart), interleaved by weight and capped by maxPlaysPerHour.
 * `validUntil` is the earliest boundary that could change it (possibly one that changes nothing; the version
 * then stays the same).
 */
export function resolvePlaylist(
  display: DisplayFacts,
  campaigns: CampaignIndex | readonly Campaign[],
  overrides: readonly Interruption[],
  at: Date,
): Playlist {
  return resolveAt(display, asIndex(campaigns), overrides, instantOf(at, 'at')).playlist;
}

/**
 * The first instant strictly after `after` at which any campaign that targets the display (at any priority)
 * or any of its overrides starts or stops being eligible, or a takeover of its store starts; null when none
 * ever will.
 */
export function nextBoundary(
  display: DisplayFacts,
  campaigns: CampaignIndex | readonly Campaign[],
  overrides: readonly Interruption[],
  after: Date,
): Date | null {
  const at = instantOf(after, 'after');
  const moment = localMoment(displayClock(display), at);
  let next = earlier(
    nextOverrideBoundary(displayOverrides(overrides, display.displayId), at),
    nextTakeoverBoundary(storeTakeovers(overrides, display), at),
  );
  for (const campaign of asIndex(campaigns).candidates(display)) {
    if (matchesPlace(campaign, display))
      next = earlier(
        next,
        earlier(nextScheduleBoundary(campaign.schedule, moment), visitorBoundary(campaign, display, at)),
      );
  }
  return dateOrNull(next);
}
