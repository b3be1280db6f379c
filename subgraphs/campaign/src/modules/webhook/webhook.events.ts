import { campaignEventV1, type CampaignEventV1 } from '@phub/contracts';
import type { WebhookEvent, WebhookSource } from '@phub/kit';
import { registerEnumType } from 'type-graphql';

/** What partners' campaign webhooks can subscribe to: a campaign's life cycle, as `campaign.campaign.v1` tells it. */
export enum CampaignWebhookEvent {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  /** Back to DRAFT (a review sent it back, or an editor withdrew it). */
  DRAFT = 'DRAFT',
  IN_REVIEW = 'IN_REVIEW',
  APPROVED = 'APPROVED',
  LIVE = 'LIVE',
  PAUSED = 'PAUSED',
  ENDED = 'ENDED',
  ARCHIVED = 'ARCHIVED',
  /** Paused for one store (the event's store). */
  STORE_PAUSED = 'STORE_PAUSED',
  STORE_RESUMED = 'STORE_RESUMED',
  /** An edit of an approved campaign went to review; the approved version keeps playing. */
  REVISION_IN_REVIEW = 'REVISION_IN_REVIEW',
  /** The revision replaced the approved version (the payload's campaign is the new one). */
  REVISION_APPROVED = 'REVISION_APPROVED',
  REVISION_REJECTED = 'REVISION_REJECTED',
  REVISION_WITHDRAWN = 'REVISION_WITHDRAWN',
}

const REVISION_EVENTS = {
  PENDING: CampaignWebhookEvent.REVISION_IN_REVIEW,
  APPROVED: CampaignWebhookEvent.REVISION_APPROVED,
  REJECTED: CampaignWebhookEvent.REVISION_REJECTED,
  WITHDRAWN: CampaignWebhookEvent.REVISION_WITHDRAWN,
} as const;
registerEnumType(CampaignWebhookEvent, {
  name: 'CampaignWebhookEvent',
  description:
    'Campaign events for webhooks: created, updated, each status it enters (IN_REVIEW, APPROVED, LIVE, PAUSED, ENDED, ARCHIVED, back to DRAFT), paused or resumed in one store, and the steps of a revision of an approved campaign (its status does not change: the approved version keeps playing)',
});

/** The webhook event a campaign event makes. */
export function campaignWebhookEvent(e: CampaignEventV1, eventId: string): WebhookEvent {
  const name = e.revision
    ? REVISION_EVENTS[e.revision.status]
    : e.type === 'CampaignStatusChanged'
      ? CampaignWebhookEvent[e.campaign.status as keyof typeof CampaignWebhookEvent]
      : {
          CampaignCreated: CampaignWebhookEvent.CREATED,
          CampaignUpdated: CampaignWebhookEvent.UPDATED,
          CampaignStorePaused: CampaignWebhookEvent.STORE_PAUSED,
          CampaignStoreResumed: CampaignWebhookEvent.STORE_RESUMED,
        }[e.type];
  // A store pause concerns its store; otherwise a store-local campaign's store, or none (every store).
  const storeId = e.storeId ?? e.campaign.storeId ?? null;
  return {
    tenantId: e.campaign.tenantId,
    storeId,
    event: name,
    eventId,
    subjectId: e.campaign.id,
    payload: {
      id: eventId,
      event: name,
      occurredAt: e.occurredAt,
      storeId,
      previousStatus: e.previousStatus ?? null,
      campaign: e.campaign,
      ...(e.revision ? { revision: e.revision } : {}),
    },
  };
}

/** Campaign's own events, from the bus (relayed from its outbox), as webhook deliveries. */
export const campaignWebhookSource: WebhookSource<CampaignEventV1> = {
  topic: campaignEventV1.topic,
  parse: (value) => campaignEventV1.schema.parse(value) as CampaignEventV1,
  events: (e, eventId) => [campaignWebhookEvent(e, eventId)],
};
