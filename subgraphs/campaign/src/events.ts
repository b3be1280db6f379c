import { enqueue } from '@phub/kit';
import type { EntityManager } from 'typeorm';
import type { Campaign, CampaignStatus } from './modules/campaign/campaign.entity.js';

/** Topics this subgraph publishes (through the outbox), keyed by campaign id. */
export const CampaignTopic = {
  campaign: 'campaign.campaign.v1',
} as const;

/** Topics of location this subgraph projects. */
export const LocationTopic = {
  display: 'location.display.v1',
  store: 'location.store.v1',
} as const;

export type CampaignEventType =
  'CampaignCreated' | 'CampaignUpdated' | 'CampaignStatusChanged' | 'CampaignStorePaused' | 'CampaignStoreResumed';

export interface CampaignSummary {
  id: string;
  tenantId: string;
  name: string;
  status: CampaignStatus;
  storeId: string | null;
  ownerId: string;
  priority: number;
  weight: number;
  creativeIds: string[];
  pausedStoreIds: string[];
  updatedAt: string;
}

export interface CampaignEvent {
  type: CampaignEventType;
  occurredAt: string;
  campaign: CampaignSummary;
  /** For status changes: the status it left. */
  previousStatus?: CampaignStatus | null;
  /** For store pauses: the store. */
  storeId?: string | null;
}

export async function emitCampaign(
  manager: EntityManager,
  type: CampaignEventType,
  campaign: Campaign,
  extra: { creativeIds: string[]; pausedStoreIds: string[]; previousStatus?: CampaignStatus; storeId?: string },
): Promise<void> {
  const event: CampaignEvent = {
    type,
    occurredAt: new Date().toISOString(),
    campaign: {
      id: campaign.id,
      tenantId: campaign.tenantId,
      name: campaign.name,
      status: campaign.status,
      storeId: campaign.storeId,
      ownerId: campaign.ownerId,
      priority: campaign.priority,
      weight: campaign.weight,
      creativeIds: extra.creativeIds,
      pausedStoreIds: extra.pausedStoreIds,
      updatedAt: (campaign.updatedAt ?? new Date()).toISOString(),
    },
    ...(extra.previousStatus ? { previousStatus: extra.previousStatus } : {}),
    ...(extra.storeId ? { storeId: extra.storeId } : {}),
  };
  await enqueue(manager, { topic: CampaignTopic.campaign, key: campaign.id, payload: event });
}
