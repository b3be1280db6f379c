import type { DataSource, EntityManager } from 'typeorm';
import { In, MoreThan, IsNull } from 'typeorm';
import type {
  Campaign as EngineCampaign,
  Creative as EngineCreative,
  DisplayFacts,
  Interruption,
  Orientation,
} from '../../engine/index.js';
import { Campaign, CampaignCreative, CampaignStatus, CampaignStorePause } from '../campaign/campaign.entity.js';
import { toEngineCampaign } from '../campaign/campaign.mapper.js';
import { Creative, isPlayable, toEngineCreative } from '../creative/index.js';
import { DisplayOverride } from '../override/override.entity.js';
import { KnownDisplay, KnownPresenceMoment, KnownQueueLine, KnownStore } from '../projection/projection.entity.js';
import { DisplayLayout, Layout, type StoredRegion } from '../layout/layout.entity.js';
import { StoreTakeover } from '../takeover/takeover.entity.js';
import { toEngineTakeover } from '../takeover/takeover.content.js';

// Only playable creatives (READY, not archived) play; the rest of a campaign's list is skipped until ready.
export { isPlayable };

/** Creatives by id (any status), limited to one tenant. */
export async function creativesById(
  manager: EntityManager,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, Creative>> {
  if (!ids.length) return new Map();
  const rows = await manager.getRepository(Creative).find({ where: { id: In([...new Set(ids)]), tenantId } });
  return new Map(rows.map((c) => [c.id, c]));
}

/** Creative ids of each campaign in play order. */
export async function creativeIdsOf(
  manager: EntityManager,
  campaignIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byCampaign = new Map<string, string[]>(campaignIds.map((id) => [id, []]));
  if (!campaignIds.length) return byCampaign;
  const rows = await manager
    .getRepository(CampaignCreative)
    .find({ where: { campaignId: In([...campaignIds]) }, order: { campaignId: 'ASC', position: 'ASC' } });
  for (const row of rows) byCampaign.get(row.campaignId)?.push(row.creativeId);
  return byCampaign;
}

/** Stores that paused each campaign. */
export async function pausedStoresOf(
  manager: EntityManager,
  campaignIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byCampaign = new Map<string, string[]>(campaignIds.map((id) => [id, []]));
  if (!campaignIds.length) return byCampaign;
  const rows = await manager
    .getRepository(CampaignStorePause)
    .find({ where: { campaignId: In([...campaignIds]) }, order: { storeId: 'ASC' } });
  for (const row of rows) byCampaign.get(row.campaignId)?.push(row.storeId);
  return byCampaign;
}

/** Campaign rows as the engine sees them (READY creatives only, store pauses). */
export async function toEngineCampaigns(
  manager: EntityManager,
  tenantId: string,
  campaigns: readonly Campaign[],
): Promise<EngineCampaign[]> {
  const ids = campaigns.map((c) => c.id);
  const [creativeIds, paused] = await Promise.all([creativeIdsOf(manager, ids), pausedStoresOf(manager, ids)]);
  const creatives = await creativesById(manager, tenantId, [...creativeIds.values()].flat());
  return campaigns.map((c) => {
    const list: EngineCreative[] = [];
    for (const id of creativeIds.get(c.id) ?? []) {
      const creative = creatives.get(id);
      if (creative && isPlayable(creative)) list.push(toEngineCreative(creative));
    }
    return toEngineCampaign(c, list, paused.get(c.id) ?? []);
  });
}

/**
 * Everything of a tenant that resolution needs besides the display: LIVE campaigns, pending overrides and the
 * stores' active (not lifted) takeovers, the last two in one list as the engine takes them.
 */
export interface TenantPlayables {
  campaigns: EngineCampaign[];
  overrides: Interruption[];
  /** The layout region each campaign that names one targets (campaign id → region name). */
  regionOf: Map<string, string>;
}

/** A tenant's layouts and which display plays which. */
export interface TenantLayouts {
  layouts: Map<string, { id: string; name: string; regions: StoredRegion[] }>;
  layoutOf: Map<string, string>;
}

export async function loadTenantLayouts(dataSource: DataSource, tenantId: string): Promise<TenantLayouts> {
  const [layouts, assigned] = await Promise.all([
    dataSource.getRepository(Layout).find({ where: { tenantId } }),
    dataSource.getRepository(DisplayLayout).find({ where: { tenantId }, select: { displayId: true, layoutId: true } }),
  ]);
  return {
    layouts: new Map(layouts.map((l) => [l.id, { id: l.id, name: l.name, regions: l.regions }])),
    layoutOf: new Map(assigned.map((a) => [a.displayId, a.layoutId])),
  };
}

export async function loadTenantPlayables(
  dataSource: DataSource,
  tenantId: string,
  now: Date,
): Promise<TenantPlayables> {
  const manager = dataSource.manager;
  const live = await manager
    .getRepository(Campaign)
    .find({ where: { tenantId, status: CampaignStatus.LIVE }, order: { id: 'ASC' } });
  const campaigns = await toEngineCampaigns(manager, tenantId, live);
  const rows = await manager.getRepository(DisplayOverride).find({
    where: { tenantId, clearedAt: IsNull(), until: MoreThan(now) },
    order: { createdAt: 'ASC' },
  });
  const takeovers = await manager.getRepository(StoreTakeover).find({
    where: { tenantId, liftedAt: IsNull() },
    order: { createdAt: 'ASC' },
  });
  const creatives = await creativesById(manager, tenantId, [
    ...rows.map((o) => o.creativeId),
    ...takeovers.flatMap((t) => (t.creativeId ? [t.creativeId] : [])),
  ]);
  const overrides: Interruption[] = [];
  for (const o of rows) {
    const creative = creatives.get(o.creativeId);
    if (!creative || !isPlayable(creative)) continue;
    overrides.push({
      id: o.id,
      displayId: o.displayId,
      campaignId: o.campaignId,
      creative: toEngineCreative(creative),
      startsAt: o.startsAt,
      until: o.until,
      createdAt: o.createdAt,
    });
  }
  for (const t of takeovers) {
    const creative = t.creativeId ? creatives.get(t.creativeId) : undefined;
    // A creative archived since the start no longer plays (as for overrides); a message always does.
    const takeover = toEngineTakeover(t, creative && isPlayable(creative) ? toEngineCreative(creative) : null);
    if (takeover) overrides.push(takeover);
  }
  const regionOf = new Map<string, string>();
  for (const c of live) if (c.targeting.layoutRegion) regionOf.set(c.id, c.targeting.layoutRegion);
  return { campaigns, overrides, regionOf };
}

/** What the engine needs of a display and its store, from the projections; null while either is unknown. */
export function toFacts(
  display: KnownDisplay,
  store: KnownStore | undefined | null,
  queueLines: readonly KnownQueueLine[] = [],
  moments: readonly KnownPresenceMoment[] = [],
): DisplayFacts | null {
  if (!store || store.archivedAt || display.archivedAt || store.tenantId !== display.tenantId) return null;
  return {
    displayId: display.id,
    tenantId: display.tenantId,
    storeId: display.storeId,
    regionId: store.regionId,
    timezone: store.timezone,
    storeTags: store.tags,
    displayTags: display.tags,
    orientation: display.orientation as Orientation,
    zoneId: display.zoneId,
    locale: null,
    queueLines: queueLines.map((l) => ({
      lineId: l.lineId,
      open: l.open,
      waiting: l.waiting,
      estimatedWaitMinutes: l.estimatedWaitMinutes,
    })),
    // Only what the rules need: never who (moments carry no visitor id to begin with).
    moments: moments.map((m) => ({
      momentId: m.momentId,
      source: m.source,
      zoneId: m.zoneId,
      segmentKeys: m.segmentKeys,
      expiresAt: m.expiresAt,
    })),
  };
}

/** Facts of the active displays of a tenant, optionally of some stores or displays only. */
export async function loadFacts(
  dataSource: DataSource,
  tenantId: string,
  filter: { storeIds?: readonly string[]; displayIds?: readonly string[] } = {},
): Promise<DisplayFacts[]> {
  const where: Record<string, unknown> = { tenantId, archivedAt: IsNull() };
  if (filter.storeIds) where.storeId = In([...filter.storeIds]);
  if (filter.displayIds) where.id = In([...filter.displayIds]);
  if ((filter.storeIds && !filter.storeIds.length) || (filter.displayIds && !filter.displayIds.length)) return [];
  const displays = await dataSource.getRepository(KnownDisplay).find({ where, order: { id: 'ASC' } });
  if (!displays.length) return [];
  const stores = await dataSource
    .getRepository(KnownStore)
    .find({ where: { id: In([...new Set(displays.map((d) => d.storeId))]) } });
  const byId = new Map(stores.map((s) => [s.id, s]));
  const lines = await dataSource
    .getRepository(KnownQueueLine)
    .find({ where: { tenantId, storeId: In([...byId.keys()]) }, order: { lineId: 'ASC' } });
  const linesOf = new Map<string, KnownQueueLine[]>();
  for (const l of lines) linesOf.set(l.storeId, [...(linesOf.get(l.storeId) ?? []), l]);
  const moments = await dataSource.getRepository(KnownPresenceMoment).find({
    // The projection purges a store's expired moments as new ones arrive; the engine decides liveness at its instant.
    where: { tenantId, storeId: In([...byId.keys()]) },
    order: { occurredAt: 'ASC', momentId: 'ASC' },
  });
  const momentsOf = new Map<string, KnownPresenceMoment[]>();
  for (const m of moments) momentsOf.set(m.storeId, [...(momentsOf.get(m.storeId) ?? []), m]);
  return displays
    .map((d) => toFacts(d, byId.get(d.storeId), linesOf.get(d.storeId), momentsOf.get(d.storeId)))
    .filter((f): f is DisplayFacts => f !== null);
}

/** Active stores with at least one projected display, per tenant (or of one tenant). */
export async function loadStoreKeys(
  dataSource: DataSource,
  tenantId?: string,
): Promise<{ tenantId: string; storeId: string }[]> {
  const qb = dataSource
    .getRepository(KnownStore)
    .createQueryBuilder('s')
    .select(['s.tenantId AS "tenantId"', 's.id AS "storeId"'])
    .where('s.archivedAt IS NULL');
  if (tenantId) qb.andWhere('s.tenantId = :tenantId', { tenantId });
  return qb.getRawMany<{ tenantId: string; storeId: string }>();
}
