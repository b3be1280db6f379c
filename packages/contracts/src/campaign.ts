import { z } from 'zod';
import { contract, id, instant } from './common.js';

/**
 * `campaign.playlist.v1`, keyed by display id: a display's resolved playlist version changed. Consumers treat
 * the latest version per display as the truth (a lost event is healed by the next change).
 */
export const playlistVersionEventV1 = contract(
  'campaign.playlist.v1',
  z.object({
    tenantId: id,
    displayId: id,
    version: z.string().min(1).max(200),
    occurredAt: instant,
    /** Items in the playlist (absent from older events): an empty playlist owes no plays. */
    items: z.number().int().min(0).max(100_000).optional(),
  }),
);
export type PlaylistVersionEventV1 = z.input<typeof playlistVersionEventV1.schema>;

export const campaignStatus = z.enum(['DRAFT', 'IN_REVIEW', 'APPROVED', 'LIVE', 'PAUSED', 'ENDED', 'ARCHIVED']);

/**
 * A revision step (absent from other events and from older ones): an edit of an approved campaign waits for
 * review as a revision while the approved version keeps playing. The event's `campaign` is always the approved
 * (playing) version; on APPROVED it is already the revised one.
 */
export const campaignRevisionStep = z.object({
  id,
  status: z.enum(['PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN']),
  /** What differs from the version that played before it. */
  changes: z.array(z.enum(['PRIORITY', 'WEIGHT', 'SCHEDULE', 'TARGETING', 'CREATIVES'])),
  reviewNote: z.string().nullable().optional(),
});

/** `campaign.campaign.v1`, keyed by campaign id: a campaign's life cycle, as an audit trail for other domains. */
export const campaignEventV1 = contract(
  'campaign.campaign.v1',
  z.object({
    type: z.enum([
      'CampaignCreated',
      'CampaignUpdated',
      'CampaignStatusChanged',
      'CampaignStorePaused',
      'CampaignStoreResumed',
    ]),
    occurredAt: instant,
    campaign: z.object({
      id,
      tenantId: id,
      name: z.string(),
      status: campaignStatus,
      storeId: id.nullable(),
      // The subject of whoever created it: a user id, or a partner client id.
      ownerId: z.string().min(1),
      priority: z.number().int(),
      weight: z.number(),
      creativeIds: z.array(id),
      pausedStoreIds: z.array(id),
      updatedAt: instant,
    }),
    previousStatus: campaignStatus.nullable().optional(),
    storeId: id.nullable().optional(),
    /** Set on the CampaignUpdated events of revision steps. */
    revision: campaignRevisionStep.optional(),
  }),
);
export type CampaignEventV1 = z.input<typeof campaignEventV1.schema>;

/**
 * `campaign.creative.v1`, keyed by creative id: a creative as the library shows it changed (created, uploaded,
 * renamed, tagged, archived, restored). For indexes of other domains (content's search); the latest state wins by
 * `updatedAt`. AEM creatives are announced too; their words are the content subgraph's own.
 */
export const creativeEventV1 = contract(
  'campaign.creative.v1',
  z.object({
    occurredAt: instant,
    creative: z.object({
      id,
      tenantId: id,
      name: z.string(),
      kind: z.string().min(1).max(40),
      status: z.string().min(1).max(40),
      tags: z.array(z.string()),
      archived: z.boolean(),
      updatedAt: instant,
    }),
  }),
);
export type CreativeEventV1 = z.input<typeof creativeEventV1.schema>;
