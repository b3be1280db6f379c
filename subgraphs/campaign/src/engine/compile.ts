import { type CompiledCreative, type ItemContent, compileCreative, normaliseLocale, pickContent } from './creative.js';
import { type CompiledSchedule, compileSchedule } from './schedule.js';
import { type CompiledTargeting, type PlaceKind, compileTargeting, displayValues } from './targeting.js';
import type { Campaign, DisplayFacts } from './types.js';
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
  readonly schedule: CompiledSchedule;
  readonly maxPlaysPerHour: number | null;
  readonly creatives: readonly CompiledCreative[];
  /** Item contents per normalised display locale ('' = none), filled on first use. */
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

/** A campaign's items for one display locale, cached on the compiled campaign. */
export function campaignContent(campaign: CompiledCampaign, locale: string | null | undefined): readonly ItemContent[] {
  const key = locale ? normaliseLocale(locale) : '';
  let content = campaign.contentByLocale.get(key);
  if (!content) {
    content = campaign.creatives.map((creative) => pickContent(creative, key || null));
    campaign.contentByLocale.set(key, content);
  }
  return content;
}

// Most selective first: a campaign is filed under the first of its include kinds in this order.
const ANCHOR_KINDS: readonly PlaceKind[] = ['DISPLAY', 'STORE', 'ZONE', 'DISPLAY_TAG', 'STORE_TAG', 'REGION', 'ORIENTATION'];

interface TenantIndex {
  /** No include rules and not store-local: candidates everywhere in the tenant. */
  readonly open: CompiledCampaign[];
  readonly byStore: Map<string, CompiledCampaign[]>;
  /** `${kind}\u0000${value}` of the anchor kind → campaigns. */
  readonly postings: Map<string, CompiledCampaign[]>;
}

const postingKey = (kind: PlaceKind, value: string): string => `${kind}\u0000${value}`;

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
  private readonly tenants = new Map<string, TenantIndex>();

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
  }

  /** The compiled playable campaign with this id, if indexed. */
  get(campaignId: string): CompiledCampaign | undefined {
    return this.byId.get(campaignId);
  }

  /** Campaigns of the display's tenant that may target it, in priority order (a superset of matches). */
  candidates(display: DisplayFacts): CompiledCampaign[] {
    const tenant = this.tenants.get(display.tenantId);
    if (!tenant) return [];
    const found: CompiledCampaign[] = [...tenant.open, ...(tenant.byStore.get(display.storeId) ?? [])];
    for (const kind of ANCHOR_KINDS) {
      for (const value of displayValues(display, kind)) {
        const posted = tenant.postings.get(postingKey(kind, value));
        if (posted) for (const campaign of posted) found.push(campaign);
      }
    }
    found.sort((a, b) => a.ordinal - b.ordinal);
    let kept = 0;
    for (let i = 0; i < found.length; i++) {
      if (kept === 0 || found[i] !== found[kept - 1]) found[kept++] = found[i]!;
    }
    found.length = kept;
    return found;
  }

  private file(campaign: CompiledCampaign): void {
    let tenant = this.tenants.get(campaign.tenantId);
    if (!tenant) {
      tenant = { open: [], byStore: new Map(), postings: new Map() };
      this.tenants.set(campaign.tenantId, tenant);
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
