import { randomUUID } from 'node:crypto';
import {
  auditActionEventV1,
  type AuditActionEventV1,
  type AuditedAction,
  campaignEventV1,
  type CampaignEventV1,
  creativeEventV1,
  type CreativeEventV1,
  displayEventV1,
  storeEventV1,
} from '@phub/contracts';
import { enqueue } from '@phub/kit';
import type { EntityManager } from 'typeorm';
import type { Campaign, CampaignStatus } from './modules/campaign/campaign.entity.js';
import type { Creative } from './modules/creative/creative.entity.js';

/** Topics this subgraph publishes (through the outbox), keyed by campaign id. */
export const CampaignTopic = {
  campaign: campaignEventV1.topic,
  creative: creativeEventV1.topic,
  audit: auditActionEventV1.topic,
} as const;

/** Topics of location this subgraph projects. */
export const LocationTopic = {
  display: displayEventV1.topic,
  store: storeEventV1.topic,
} as const;

export type CampaignEvent = CampaignEventV1;
export type CampaignEventType = CampaignEvent['type'];

export async function emitCampaign(
  manager: EntityManager,
  type: CampaignEventType,
  campaign: Campaign,
  extra: {
    creativeIds: string[];
    pausedStoreIds: string[];
    previousStatus?: CampaignStatus;
    storeId?: string;
    revision?: CampaignEvent['revision'];
  },
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
    ...(extra.revision ? { revision: extra.revision } : {}),
  };
  await enqueue(manager, { topic: CampaignTopic.campaign, key: campaign.id, payload: event });
}

/** A creative's library state, for other domains' indexes (in the caller's transaction, through the outbox). */
export async function emitCreative(manager: EntityManager, creative: Creative): Promise<void> {
  const event: CreativeEventV1 = {
    occurredAt: new Date().toISOString(),
    creative: {
      id: creative.id,
      tenantId: creative.tenantId,
      name: creative.name,
      kind: creative.kind,
      status: creative.status,
      tags: creative.tags ?? [],
      archived: creative.archivedAt != null,
      updatedAt: (creative.updatedAt ?? new Date()).toISOString(),
    },
  };
  await enqueue(manager, { topic: CampaignTopic.creative, key: creative.id, payload: event });
}

type AuditParty = AuditActionEventV1['actor'];

/** The actor of an action: the caller (a person, a partner's client) or, for automatic steps, the platform. */
export function auditActor(
  who: { subject: string; isPartner: boolean; isDevice: boolean },
  actorId: string = who.subject,
  system = 'system',
): AuditParty {
  if (actorId === system) return { type: 'SYSTEM', id: 'campaign' };
  return { type: who.isPartner ? 'API_CLIENT' : who.isDevice ? 'DEVICE' : 'USER', id: actorId };
}

/**
 * One operational action for the tenant's audit log (auth records it), in the caller's transaction through the
 * outbox: the action and its trail commit together or not at all.
 */
export async function emitAudit(
  manager: EntityManager,
  action: AuditedAction,
  entry: { tenantId: string; actor: AuditParty; target: AuditParty; at: Date; details?: Record<string, AuditDetail> },
): Promise<void> {
  const event: AuditActionEventV1 = {
    id: randomUUID(),
    action,
    tenantId: entry.tenantId,
    occurredAt: entry.at.toISOString(),
    actor: entry.actor,
    target: entry.target,
    details: Object.fromEntries(Object.entries(entry.details ?? {}).filter(([, v]) => v !== undefined)) as Record<
      string,
      string | number | boolean | null
    >,
  };
  await enqueue(manager, { topic: CampaignTopic.audit, key: entry.target.id, payload: event });
}
type AuditDetail = string | number | boolean | null | undefined;
