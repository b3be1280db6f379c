// Plain data in, plain data out: these shapes are what the campaign subgraph loads from its
// tables and from Location's display facts, and what it caches per display.

/** Days of the week as dayparts name them, Monday first (ISO 8601). */
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
/** A day of the week in a daypart. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Every campaign status; only LIVE plays. */
export const CAMPAIGN_STATUSES = ['DRAFT', 'IN_REVIEW', 'APPROVED', 'LIVE', 'PAUSED', 'ENDED', 'ARCHIVED'] as const;
/** Where a campaign is in its life cycle. */
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Every display orientation. */
export const ORIENTATIONS = ['LANDSCAPE', 'PORTRAIT'] as const;
/** How a display is mounted. */
export type Orientation = (typeof ORIENTATIONS)[number];

/**
 * Every creative kind. TAKEOVER_MESSAGE is a store takeover's short text, drawn by the player; it is never a
 * creative of the library, only the content of a takeover item.
 */
export const CREATIVE_KINDS = ['IMAGE', 'VIDEO', 'HTML', 'AEM', 'QUEUE_BOARD', 'TAKEOVER_MESSAGE'] as const;
/** What a player renders. */
export type CreativeKind = (typeof CREATIVE_KINDS)[number];

/** Every targeting rule kind. */
export const TARGETING_KINDS = [
  'REGION',
  'STORE',
  'STORE_TAG',
  'DISPLAY',
  'DISPLAY_TAG',
  'ORIENTATION',
  'ZONE',
  'SEGMENT',
  'PROXIMITY_ZONE',
] as const;
/** What a targeting rule compares with. */
export type TargetingKind = (typeof TARGETING_KINDS)[number];

/**
 * Rule kinds decided by presence moments (`presence.moment.v1`), not by the display's place: PROXIMITY_ZONE holds
 * while its zone has a live moment, SEGMENT while a live moment in the display's zone (or store-wide) holds its key.
 */
export const VISITOR_TARGETING_KINDS: readonly TargetingKind[] = ['SEGMENT', 'PROXIMITY_ZONE'];

/** What the engine knows about one display and its store (from the Location subgraph). */
export interface DisplayFacts {
  readonly displayId: string;
  readonly tenantId: string;
  readonly storeId: string;
  readonly regionId: string | null;
  /** The store's IANA time zone, e.g. 'Europe/London'; dayparts and dates are read in it. */
  readonly timezone: string;
  readonly storeTags: readonly string[];
  readonly displayTags: readonly string[];
  readonly orientation: Orientation;
  readonly zoneId: string | null;
  /** BCP 47 tag such as 'en-GB'; picks creative variants. */
  readonly locale?: string | null;
  /** The latest known state of the store's queue lines (queue conditions are decided on it); absent = none. */
  readonly queueLines?: readonly QueueLineState[];
  /** The store's presence moments not yet expired when the facts were loaded (visitor rules); absent = none. */
  readonly moments?: readonly PresenceMoment[];
}

/**
 * Someone near the store's screens for a short while (`presence.moment.v1`): pseudonymous, only a zone and
 * segment keys, never who. Live while `at < expiresAt`.
 */
export interface PresenceMoment {
  readonly momentId: string;
  readonly source: 'PROXIMITY' | 'CHECK_IN';
  /** The location zone; null = the store as a whole. */
  readonly zoneId: string | null;
  readonly segmentKeys: readonly string[];
  readonly expiresAt: Date;
}

/** A queue line's state as the queue last announced it (`queue.line.v1`). */
export interface QueueLineState {
  readonly lineId: string;
  readonly open: boolean;
  readonly waiting: number;
  /** Null when the line cannot say (closed). */
  readonly estimatedWaitMinutes: number | null;
}

/**
 * Context marketing: a campaign with queue conditions plays only while at least one of them holds. A condition
 * holds when its line (or, without `lineId`, any line of the display's store) is open and meets every threshold
 * it sets; at least one threshold is set.
 */
export interface QueueCondition {
  readonly lineId?: string | null;
  /** Tickets waiting ≥ this. */
  readonly minWaiting?: number | null;
  /** Estimated wait for a visitor joining now ≥ this many minutes. */
  readonly minWaitMinutes?: number | null;
}

/** How a player fits a creative into the screen: letterboxed whole, cropped to fill, or stretched. */
export const FIT_MODES = ['CONTAIN', 'COVER', 'FILL'] as const;
/** How a player fits a creative into the screen. */
export type FitMode = (typeof FIT_MODES)[number];

/**
 * A replacement of a creative's asset: for a locale (keyed by it) or for an orientation of the display (keyed
 * `@LANDSCAPE` / `@PORTRAIT`).
 */
export interface CreativeVariant {
  readonly url: string;
  readonly mimeType: string;
  readonly checksum: string;
  /** Defaults to the creative's duration. */
  readonly durationMs?: number | null;
}

/** One asset of a campaign. */
export interface Creative {
  readonly id: string;
  readonly kind: CreativeKind;
  readonly url: string;
  readonly mimeType: string;
  readonly durationMs: number;
  readonly checksum: string;
  /**
   * Keyed by BCP 47 locale ('en-GB') or language ('en'), matched case-insensitively, or by a display orientation
   * ('@PORTRAIT'); a language version wins over an orientation version.
   */
  readonly variants?: Readonly<Record<string, CreativeVariant>> | null;
  /** Default CONTAIN. */
  readonly fit?: FitMode | null;
}

/**
 * A weekly time window in the store's local time. `from` is inclusive, `to` exclusive, both 'HH:MM'
 * ('24:00' is allowed as `to`). When `to <= from` the window wraps past midnight and ends on the next
 * day (a Friday 22:00–02:00 window runs into Saturday); `from == to` is a full 24 hours. Empty `days`
 * means every day.
 */
export interface Daypart {
  readonly days: readonly Weekday[];
  readonly from: string;
  readonly to: string;
}

/** When a campaign may play; every present constraint must hold. */
export interface Schedule {
  /** Store-local calendar date 'YYYY-MM-DD', inclusive from the start of that local day. */
  readonly startDate?: string | null;
  /** Store-local calendar date 'YYYY-MM-DD', inclusive through the end of that local day. */
  readonly endDate?: string | null;
  /** Absolute instant, inclusive. */
  readonly startsAt?: Date | null;
  /** Absolute instant, exclusive. */
  readonly endsAt?: Date | null;
  /** Empty or absent means all day, every day. */
  readonly dayparts?: readonly Daypart[] | null;
}

/** One targeting value; several rules of one kind are alternatives. */
export interface TargetingRule {
  readonly kind: TargetingKind;
  readonly value: string;
}

/** Include rules (AND across kinds, OR within a kind) and exclude rules (any match removes). */
export interface Targeting {
  readonly include: readonly TargetingRule[];
  readonly exclude: readonly TargetingRule[];
}

/** A campaign as the engine needs it. */
export interface Campaign {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly status: CampaignStatus;
  /** Integer; the highest eligible priority is the only one that plays. */
  readonly priority: number;
  /** Positive integer; share of turns among campaigns of equal priority. */
  readonly weight: number;
  /** Set for a store-local campaign: it plays only on that store's displays. */
  readonly storeId?: string | null;
  /** Stores whose manager paused this campaign locally. */
  readonly pausedStoreIds: readonly string[];
  /** Played in this order on each of the campaign's turns. */
  readonly creatives: readonly Creative[];
  readonly schedule: Schedule;
  /** Positive integer cap on item plays per hour of looping the playlist. */
  readonly maxPlaysPerHour?: number | null;
  readonly targeting: Targeting;
  /** Plays only while one of these holds (context marketing); empty or absent = no queue condition. */
  readonly queueConditions?: readonly QueueCondition[] | null;
}

/** An emergency override of one display: while active, the playlist is only its creative. */
export interface Override {
  readonly id: string;
  readonly displayId: string;
  /** The campaign the creative comes from, when it does (kept for proof of play). */
  readonly campaignId?: string | null;
  readonly creative: Creative;
  /** Inclusive. */
  readonly startsAt: Date;
  /** Exclusive. */
  readonly until: Date;
  /** The latest-created active override wins. */
  readonly createdAt: Date;
}

/**
 * An emergency takeover of a whole store: from `startsAt` until it is lifted (then the subgraph stops passing
 * it), every display of the store — whenever it joined the store — plays only its creative, above overrides.
 * Passed in the same list as overrides.
 */
export interface Takeover {
  readonly kind: 'takeover';
  readonly id: string;
  readonly storeId: string;
  readonly creative: Creative;
  /** Inclusive. */
  readonly startsAt: Date;
  /** The latest-created active takeover of a store wins (the subgraph allows one at a time). */
  readonly createdAt: Date;
}

/** What can interrupt a display's campaigns: its own overrides and its store's takeovers. */
export type Interruption = Override | Takeover;

export const isTakeover = (i: Interruption): i is Takeover => (i as Takeover).kind === 'takeover';

/** One entry of the loop a player plays. */
export interface PlaylistItem {
  /** Null only for an override that names no campaign, and for takeovers. */
  readonly campaignId: string | null;
  /** Set when the item comes from an emergency override. */
  readonly overrideId: string | null;
  /** Set when the item comes from a store takeover (absent or null otherwise). */
  readonly takeoverId?: string | null;
  readonly creativeId: string;
  readonly url: string;
  readonly mimeType: string;
  readonly durationMs: number;
  readonly checksum: string;
  /** How the player fits it into the screen (absent: CONTAIN). */
  readonly fit?: FitMode;
  /** Next instant this item's own campaign (or override) schedule may change; null when never. */
  readonly validUntil: Date | null;
}

/** What one display plays, looped, from the resolution instant until `validUntil`. */
export interface Playlist {
  readonly displayId: string;
  /** Content hash of the items as played (validity instants excluded): equal versions play the same. */
  readonly version: string;
  readonly items: readonly PlaylistItem[];
  /** Next instant the playlist may change (a schedule or override boundary); null when none is known. */
  readonly validUntil: Date | null;
}

/** A stretch of a preview during which the display plays one version. */
export interface PlaylistSegment {
  readonly from: Date;
  readonly to: Date;
  readonly version: string;
  readonly items: readonly PlaylistItem[];
}

/** The checks `explain` reports, in the order it reports them. */
export const EXPLAIN_CHECKS = [
  'VALIDITY',
  'STATUS',
  'TENANT',
  'STORE',
  'TARGETING',
  'VISITOR_TARGETING',
  'STORE_PAUSE',
  'QUEUE',
  'CREATIVES',
  'DATE_RANGE',
  'ACTIVE_WINDOW',
  'DAYPART',
  'OVERRIDE',
  'PRIORITY',
  'CAP',
] as const;
/** The name of one explained check. */
export type ExplainCheckName = (typeof EXPLAIN_CHECKS)[number];

/** One check of an explanation: did it pass, and why, in a sentence for HQ. */
export interface ExplainCheck {
  readonly check: ExplainCheckName;
  readonly pass: boolean;
  readonly message: string;
  /** The targeting rule that excluded the display, or the include kind that did not match. */
  readonly rule?: TargetingRule;
  /** The campaign that outranks this one. */
  readonly outrankedBy?: { readonly campaignId: string; readonly name: string; readonly priority: number };
}

/** Why a campaign is or is not on a display at an instant. */
export interface Explanation {
  readonly displayId: string;
  readonly campaignId: string;
  readonly at: Date;
  /** E.g. 'SUN 2026-03-29 02:30 Europe/London (UTC+01:00)'. */
  readonly storeLocalTime: string;
  /** Passes every check of its own (status to daypart), ignoring overrides and other campaigns. */
  readonly eligible: boolean;
  /** Has items in the display's playlist at `at`. */
  readonly playing: boolean;
  readonly checks: readonly ExplainCheck[];
  /** One sentence: that it plays, or the first reason it does not. */
  readonly summary: string;
}
