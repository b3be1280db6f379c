import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import type { DisplayFacts } from './engine/index.js';
import { isUuid } from './ids.js';
import {
  Campaign,
  CampaignRevision,
  CampaignRevisionStatus,
  CampaignTransition,
} from './modules/campaign/campaign.entity.js';
import type { CampaignService } from './modules/campaign/campaign.service.js';
import type { Creative } from './modules/creative/creative.entity.js';
import { creativeIdsOf, creativesById, pausedStoresOf } from './modules/playlist/playlist.data.js';
import type { CampaignScope } from './scope.js';

/** Per-request batching: a list of 100 campaigns asks for creatives, history and pauses in one query each. */
export function createLoaders(dataSource: DataSource, scope: CampaignScope, campaigns: CampaignService) {
  const manager = dataSource.manager;
  let facts: Promise<DisplayFacts[]> | undefined;
  let playables: ReturnType<CampaignService['tenantPlayables']> | undefined;
  return {
    /** Campaigns the viewer may see, by id (reference resolution). */
    campaign: new DataLoader<string, Campaign | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      if (!valid.length) return ids.map(() => null);
      const qb = await scope.campaigns('c');
      const rows = await qb.andWhere('c.id IN (:...ids)', { ids: valid }).getMany();
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    creativeIds: new DataLoader<string, string[]>(async (campaignIds) => {
      const byCampaign = await creativeIdsOf(manager, campaignIds);
      return campaignIds.map((id) => byCampaign.get(id) ?? []);
    }),
    /** Creatives of the viewer's tenant by id. */
    creative: new DataLoader<string, Creative | null>(async (ids) => {
      const byId = await creativesById(manager, scope.tenantId, ids.filter(isUuid));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    pausedStoreIds: new DataLoader<string, string[]>(async (campaignIds) => {
      const byCampaign = await pausedStoresOf(manager, campaignIds);
      return campaignIds.map((id) => byCampaign.get(id) ?? []);
    }),
    history: new DataLoader<string, CampaignTransition[]>(async (campaignIds) => {
      const rows = await manager.getRepository(CampaignTransition).find({
        where: { campaignId: In([...campaignIds]), tenantId: scope.tenantId },
        order: { occurredAt: 'ASC', id: 'ASC' },
      });
      return campaignIds.map((id) => rows.filter((r) => r.campaignId === id));
    }),
    /** Facts of the displays the viewer may see, once per request (reach counts). */
    visibleFacts: () => (facts ??= campaigns.visibleFacts(scope)),
    /** The tenant's LIVE campaigns, overrides and takeovers now, once per request (reach now). */
    playables: () => (playables ??= campaigns.tenantPlayables(scope)),
    /** Each campaign's revision in review, if any. */
    pendingRevision: new DataLoader<string, CampaignRevision | null>(async (campaignIds) => {
      const rows = await manager.getRepository(CampaignRevision).find({
        where: { campaignId: In([...campaignIds]), tenantId: scope.tenantId, status: CampaignRevisionStatus.PENDING },
      });
      return campaignIds.map((id) => rows.find((r) => r.campaignId === id) ?? null);
    }),
  };
}
export type CampaignLoaders = ReturnType<typeof createLoaders>;
