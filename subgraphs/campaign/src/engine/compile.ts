import { type CompiledCreative, type ItemContent, compileCreative, normaliseLocale, pickContent } from './creative.js';
import { type Loop, buildLoop } from './loop.js';
import { type CompiledSchedule, compileSchedule } from './schedule.js';
import { type CompiledTargeting, type PlaceKind, compileTargeting, displayValues } from './targeting.js';
import { compileQueueConditions } from './queue.js';
import type { Campaign, DisplayFacts, Orientation, QueueCondition } from './types.js';
import { CAMPAIGN_STATUSES } from './types.js';

/** A campaign parsed once for resolution. */
export interface CompiledCampaign {
  readonly source: Campaign;
  /** Position in priority order (priority descending, then id ascending) within the index. */
  readonly ordinal: number;
  readonly id: string;
  readonly tenantId: string;
  readonly priority: number;
  readonly weight: number;
  readonly storeId: string | null;
  readonly paused: ReadonlySet<string>;
  readonly targeting: CompiledTargeting;
  /** Context marketing: plays only while one holds (empty = always). */
  readonly queueConditions: readonly QueueCondition[];
  readonly schedule: CompiledSchedule;
  readonly maxPlaysPerHour: number | null;
  readonly creatives: readonly CompiledCreative[];
  /** Item contents per normalised display locale ('' = none) and orientation, filled on first use. */
  readonly contentByLocale: Map<string, readonly ItemContent[]>;
}

/** A LIVE campaign the index left out because its data cannot be played. */
export interface RejectedCampaign {
  readonly campaignId: string;
  readonly problems: readonly string[];
}

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** Parses a campaign; `problems` lists everything that would stop it from playing correctly. */
export function compileCampaign(
  campaign: Campaign,
  ordinal = 0,
): { compiled: CompiledCampaign; problems: readonly string[] } {
  const problems: string[] = [];
  if (typeof campaign.id !== 'string' || campaign.id.length === 0) problems.push('id is empty');
  if (typeof campaign.tenantId !== 'string' || campaign.tenantId.length === 0) problems.push('tenantId is empty');
  if (!CAMPAIGN_STATUSES.includes(campaign.status)) problems.push(`status "${String(campaign.status)}" is unknown`);
  if (!isInteger(campaign.priority)) problems.push('priority must be an integer');
  if (!isInteger(campaign.weight) || campaign.weight < 1) problems.push('weight must be a positive integer');
  const cap = campaign.maxPlaysPerHour ?? null;
  if (cap !== null && (!isInteger(cap) || cap < 1)) problems.push('maxPlaysPerHour must be a positive integer');
  const creatives = campaign.creatives.map((creative, i) => compileCreative(creative, `creatives[${i}]`, problems));
  const schedule = compileSchedule(campaign.schedule, problems);
  const targeting = compileTargeting(campaign.targeting, problems);
  const queueConditions = compileQueueConditions(campaign.queueConditions, problems);
  return {
    compiled: {
      source: campaign,
      ordinal,
      id: campaign.id,
      tenantId: campaign.tenantId,
      priority: campaign.priority,
      weight: campaign.weight,
      storeId: campaign.storeId ?? null,
      paused: new Set(campaign.pausedStoreIds),
      targeting,
      queueConditions,
      schedule,
      maxPlaysPerHour: cap,
      creatives,
      contentByLocale: new Map(),
    },
    problems,
  };
}

/** Everything that would stop a campaign from playing as written (empty = valid); for input validation. */
export function validateCampaign(campaign: Campaign): string[] {
  return [...compileCampaign(campaign).problems];
}

/** A campaign's items for one display locale and orientation, cached on the compiled campaign. */
export function campaignContent(
  campaign: CompiledCampaign,
  locale: string | null | undefined,
  orientation?: Orientation | null,
): readonly ItemContent[] {
  const localeKey = locale ? normaliseLocale(locale) : '';
  const key = `${localeKey}|${orientation ?? ''}`;
  let content = campaign.contentByLocale.get(key);
  if (!content) {
    content = campaign.creatives.map((creative) => pickContent(creative, localeKey || null, orientation));
    campaign.contentByLocale.set(key, content);
  }
  return content;
}

// Most selective first: a campaign is filed under the first of its include kinds in this order.
const ANCHOR_KINDS: readonly PlaceKind[] = [
  'DISPLAY',
  'STORE',
  'ZONE',
  'DISPLAY_TAG',
  'STORE_TAG',
  'REGION',
  'ORIENTATION',
];

/** The campaigns of one tenant and one priority, filed for lookup by display. */
interface PriorityBucket {
  readonly priority: number;
  /** No include rules and not store-local: candidates everywhere in the tenant. */
  readonly open: CompiledCampaign[];
  readonly byStore: Map<string, CompiledCampaign[]>;
  /** `${kind}\u0000${value}` of the anchor kind → campaigns. */
  readonly postings: Map<string, CompiledCampaign[]>;
}

const postingKey = (kind: PlaceKind, value: string): string => `${kind}\u0000${value}`;

// Loops are cached per tier and locale; past this many the cache starts over (memory stays bounded).
const MAX_CACHED_LOOPS = 10_000;

/**
 * LIVE, valid campaigns with creatives, parsed once and filed by tenant, store and most selective include
 * kind, so a display looks at its candidates only. Reuse one index across displays until campaigns change.
 */
export class CampaignIndex {
  /** The campaigns the index was built from, as given. */
  readonly campaigns: readonly Campaign[];
  /** LIVE campaigns left out because of invalid data. */
  readonly rejected: readonly RejectedCampaign[];
  /** Indexed (playable) campaigns in priority order. */
  readonly playable: readonly CompiledCampaign[];
  private readonly byId = new Map<string, CompiledCampaign>();
  /** Per tenant, its priority buckets from the highest priority down. */
  private readonly tenants = new Map<string, PriorityBucket[]>();
  private readonly loops = new Map<string, Loop>();
  // Scratch space for `collect`: a stamp per ordinal marks campaigns already collected for this call.
  private readonly seen: Uint32Array;
  private readonly scratch: Int32Array;
  private stamp = 0;

  constructor(campaigns: readonly Campaign[]) {
    this.campaigns = campaigns;
    const rejected: RejectedCampaign[] = [];
    const seen = new Set<string>();
    const live: Campaign[] = [];
    for (const campaign of campaigns) {
      if (campaign.status !== 'LIVE' || campaign.creatives.length === 0) continue;
      if (seen.has(campaign.id)) {
        rejected.push({ campaignId: campaign.id, problems: ['duplicate campaign id: the first one is used'] });
        continue;
      }
      seen.add(campaign.id);
      live.push(campaign);
    }
    live.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const playable: CompiledCampaign[] = [];
    for (const campaign of live) {
      const { compiled, problems } = compileCampaign(campaign, playable.length);
      if (problems.length > 0) {
        rejected.push({ campaignId: campaign.id, problems });
        continue;
      }
      playable.push(compiled);
      this.byId.set(compiled.id, compiled);
      this.file(compiled);
    }
    this.playable = playable;
    this.rejected = rejected;
    this.seen = new Uint32Array(playable.length);
    this.scratch = new Int32Array(playable.length);
  }

  /** The compiled playable campaign with this id, if indexed (engine internal). */
  get(campaignId: string): CompiledCampaign | undefined {
    return this.byId.get(campaignId);
  }

  /** Campaigns of the display's tenant that may target it, in priority order (a superset of matches). */
  candidates(display: DisplayFacts): CompiledCampaign[] {
    const all: CompiledCampaign[] = [];
    this.forEachPriority(display, (candidates) => {
      for (const campaign of candidates) all.push(campaign);
      return true;
    });
    return all;
  }

  /**
   * Hands the candidates of each priority, highest first and in id order within one, to `visit` until it
   * returns false: a resolution stops at the first priority that has an eligible campaign.
   */
  forEachPriority(display: DisplayFacts, visit: (candidates: CompiledCampaign[]) => boolean): void {
    for (const bucket of this.tenants.get(display.tenantId) ?? []) {
      const candidates = this.collect(bucket, display);
      if (candidates.length > 0 && !visit(candidates)) return;
    }
  }

  private collect(bucket: PriorityBucket, display: DisplayFacts): CompiledCampaign[] {
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const { seen, scratch, stamp } = this;
    let found = 0;
    const add = (campaigns: readonly CompiledCampaign[] | undefined): void => {
      if (!campaigns) return;
      for (const { ordinal } of campaigns) {
        if (seen[ordinal] === stamp) continue;
        seen[ordinal] = stamp;
        scratch[found++] = ordinal;
      }
    };
    add(bucket.open);
    add(bucket.byStore.get(display.storeId));
    for (const kind of ANCHOR_KINDS) {
      for (const value of displayValues(display, kind)) add(bucket.postings.get(postingKey(kind, value)));
    }
    const ordinals = scratch.subarray(0, found).sort();
    const candidates = new Array<CompiledCampaign>(found);
    for (let i = 0; i < found; i++) candidates[i] = this.playable[ordinals[i]!]!;
    return candidates;
  }

  /** The loop of a priority tier (in id order) for a display locale and orientation, built once per index. */
  loopFor(
    tier: readonly CompiledCampaign[],
    locale: string | null | undefined,
    orientation?: Orientation | null,
  ): Loop {
    const localeKey = locale ? normaliseLocale(locale) : '';
    let key = `${localeKey}@${orientation ?? ''}`;
    for (const campaign of tier) key += `|${campaign.ordinal}`;
    let loop = this.loops.get(key);
    if (!loop) {
      loop = buildLoop(
        tier.map((campaign) => ({
          campaignId: campaign.id,
          weight: campaign.weight,
          maxPlaysPerHour: campaign.maxPlaysPerHour,
          items: campaignContent(campaign, localeKey, orientation),
        })),
      );
      if (this.loops.size >= MAX_CACHED_LOOPS) this.loops.clear();
      this.loops.set(key, loop);
    }
    return loop;
  }

  private file(campaign: CompiledCampaign): void {
    // Campaigns arrive in priority order, so buckets are created from the highest priority down.
    let buckets = this.tenants.get(campaign.tenantId);
    if (!buckets) this.tenants.set(campaign.tenantId, (buckets = []));
    let tenant = buckets[buckets.length - 1];
    if (!tenant || tenant.priority !== campaign.priority) {
      tenant = { priority: campaign.priority, open: [], byStore: new Map(), postings: new Map() };
      buckets.push(tenant);
    }
    if (campaign.storeId !== null) {
      const list = tenant.byStore.get(campaign.storeId) ?? [];
      list.push(campaign);
      tenant.byStore.set(campaign.storeId, list);
      return;
    }
    const anchor = ANCHOR_KINDS.map((kind) => campaign.targeting.include.find((g) => g.kind === kind)).find(
      (group) => group !== undefined,
    );
    if (!anchor) {
      tenant.open.push(campaign);
      return;
    }
    for (const value of anchor.values) {
      const key = postingKey(anchor.kind, value);
      const list = tenant.postings.get(key) ?? [];
      list.push(campaign);
      tenant.postings.set(key, list);
    }
  }
}

/** Parses and indexes campaigns once, for reuse across every display resolved against them. */
export function compileCampaigns(campaigns: readonly Campaign[]): CampaignIndex {
  return new CampaignIndex(campaigns);
}

/** An index as given, or one built from a plain list. */
export function asIndex(campaigns: CampaignIndex | readonly Campaign[]): CampaignIndex {
  return campaigns instanceof CampaignIndex ? campaigns : new CampaignIndex(campaigns);
}
