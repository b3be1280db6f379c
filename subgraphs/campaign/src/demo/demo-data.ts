import { DEMO_TENANT_ID, type Logger, type Storage } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { emitCampaign } from '../events.js';
import {
  Campaign,
  CampaignCreative,
  CampaignStatus,
  CampaignTransition,
  type StoredSchedule,
  type StoredTargeting,
  TransitionAction,
} from '../modules/campaign/campaign.entity.js';
import { seedDemoCreatives } from '../modules/creative/index.js';

/**
 * Location's demo ids follow one public formula (see location's demo data and kit's DEMO_FIRST_STORE_ID);
 * repeated here because subgraphs never import each other.
 */
const locationId = (kind: string, n: number) =>
  `00000000-0000-4000-8000-${`${kind}${n.toString(16)}`.padStart(12, '0')}`;
export const demoStoreId = (n: number) => locationId('5a', n);
export const demoDisplayId = (store: number, n: number) => locationId('d1', store * 16 + n);
export const demoCampaignId = (n: number) => locationId('ca', n);

// Auth's demo people (its demoUserId(1) and (2)): the campaigns are the editor's, approved by the HQ admin,
// so owners and history resolve to real users through the graph.
const DEMO_ADMIN_ID = '00000000-0000-4000-8000-00000000a5e1';
const DEMO_EDITOR_ID = '00000000-0000-4000-8000-00000000a5e2';

/** The demo fleet as location seeds it: 6 stores with 4 displays each. */
export const DEMO_STORES = [1, 2, 3, 4, 5, 6] as const;
export const DEMO_DISPLAYS_PER_STORE = 4;

interface DemoCampaign {
  n: number;
  name: string;
  description: string;
  storeId?: string;
  priority: number;
  weight: number;
  schedule: StoredSchedule;
  targeting: StoredTargeting;
  creatives: string[];
}

const none: StoredTargeting = { include: [], exclude: [] };

export const DEMO_CAMPAIGNS: readonly DemoCampaign[] = [
  {
    n: 1,
    name: 'Autumn Sale',
    description: 'Chain-wide brand campaign: every display, all day.',
    priority: 0,
    weight: 2,
    schedule: {},
    targeting: none,
    creatives: ['Autumn Sale (landscape)', 'New in store'],
  },
  {
    n: 2,
    name: 'Flagship exclusive',
    description: 'Only in flagship stores.',
    priority: 0,
    weight: 1,
    schedule: {},
    targeting: { include: [{ kind: 'STORE_TAG', value: 'flagship' }], exclude: [] },
    creatives: ['Flagship exclusive'],
  },
  {
    n: 3,
    name: 'Window showcase',
    description: 'Portrait window displays show only this (higher priority).',
    priority: 10,
    weight: 1,
    schedule: {},
    targeting: { include: [{ kind: 'DISPLAY_TAG', value: 'window' }], exclude: [] },
    creatives: ['Autumn Sale (portrait)', 'Welcome (portrait)'],
  },
  {
    n: 4,
    name: 'Breakfast from 7am',
    description: 'Mornings 07:00–11:00 in each store’s own time, entrance and queue screens.',
    priority: 0,
    weight: 1,
    schedule: { dayparts: [{ days: [], from: '07:00', to: '11:00' }] },
    targeting: {
      include: [
        { kind: 'DISPLAY_TAG', value: 'entrance' },
        { kind: 'DISPLAY_TAG', value: 'queue' },
      ],
      exclude: [],
    },
    creatives: ['Breakfast from 7am'],
  },
  {
    n: 5,
    name: 'Oxford Street: take a ticket',
    description: 'Store-local campaign of the first store, on its queue screen.',
    storeId: demoStoreId(1),
    priority: 0,
    weight: 1,
    schedule: {},
    targeting: { include: [{ kind: 'DISPLAY_TAG', value: 'queue' }], exclude: [] },
    creatives: ['Queue: please take a ticket'],
  },
  {
    n: 6,
    name: 'Oxford Street: now serving',
    description: 'The live queue board (a built-in creative) on the first store’s queue screen, most turns.',
    storeId: demoStoreId(1),
    priority: 0,
    weight: 3,
    schedule: {},
    targeting: { include: [{ kind: 'DISPLAY', value: demoDisplayId(1, 4) }], exclude: [] },
    creatives: ['Now serving (queue board)'],
  },
];

/**
 * Seeds the demo tenant's creatives (idempotent, theirs) and, on a first start, a handful of LIVE
 * campaigns so every demo display plays something. Never overwrites: if the demo tenant has any
 * campaign, no campaign is written.
 */
export async function seedDemoData(dataSource: DataSource, storage: Storage, logger: Logger): Promise<boolean> {
  const creatives = await seedDemoCreatives(dataSource, storage, DEMO_TENANT_ID);
  return dataSource.transaction(async (manager) => {
    if ((await manager.count(Campaign, { where: { tenantId: DEMO_TENANT_ID } })) > 0) return false;
    for (const demo of DEMO_CAMPAIGNS) {
      const campaign = await manager.save(
        Object.assign(new Campaign(), {
          id: demoCampaignId(demo.n),
          tenantId: DEMO_TENANT_ID,
          name: demo.name,
          description: demo.description,
          ownerId: DEMO_EDITOR_ID,
          storeId: demo.storeId ?? null,
          status: CampaignStatus.LIVE,
          priority: demo.priority,
          weight: demo.weight,
          schedule: demo.schedule,
          targeting: demo.targeting,
          reviewNote: null,
        }),
      );
      const creativeIds = demo.creatives.map((name) => {
        const id = creatives[name];
        if (!id) throw new Error(`demo creative "${name}" is missing`);
        return id;
      });
      await manager.insert(
        CampaignCreative,
        creativeIds.map((creativeId, position) => ({ campaignId: campaign.id, creativeId, position })),
      );
      const at = Date.now();
      await manager.insert(
        CampaignTransition,
        (
          [
            [TransitionAction.CREATE, null, CampaignStatus.DRAFT],
            [TransitionAction.SUBMIT, CampaignStatus.DRAFT, CampaignStatus.IN_REVIEW],
            [TransitionAction.APPROVE, CampaignStatus.IN_REVIEW, CampaignStatus.APPROVED],
            [TransitionAction.PUBLISH, CampaignStatus.APPROVED, CampaignStatus.LIVE],
          ] as const
        ).map(([action, fromStatus, toStatus], i) => ({
          tenantId: DEMO_TENANT_ID,
          campaignId: campaign.id,
          action,
          fromStatus,
          toStatus,
          actorId: i < 2 ? DEMO_EDITOR_ID : DEMO_ADMIN_ID,
          reason: i === 0 ? 'demo data' : null,
          storeId: null,
          occurredAt: new Date(at + i),
        })),
      );
      await emitCampaign(manager, 'CampaignCreated', campaign, { creativeIds, pausedStoreIds: [] });
    }
    logger.info({ campaigns: DEMO_CAMPAIGNS.length }, 'demo campaigns created');
    return true;
  });
}
