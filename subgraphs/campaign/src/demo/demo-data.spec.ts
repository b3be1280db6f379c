import { createLogger, DEMO_TENANT_ID, openDatabase, LocalStorage } from '@phub/kit';
import { createTestDatabase } from '@phub/kit/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMPAIGN_SCHEMA, campaignEntities, campaignMigrations } from '../index.js';
import { Campaign, CampaignStatus } from '../modules/campaign/campaign.entity.js';
import { DEMO_CAMPAIGNS, demoCampaignId, seedDemoData } from './demo-data.js';

describe(seedDemoData.name, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let dir: string;
  let storage: LocalStorage;
  const logger = createLogger('test', 'silent');

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'phub-demo-'));
    storage = new LocalStorage({ dir, baseUrl: 'http://127.0.0.1:4003' });
    ds = await openDatabase({
      url: db.url,
      schema: CAMPAIGN_SCHEMA,
      entities: campaignEntities,
      migrations: campaignMigrations,
      logger,
    });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates LIVE campaigns with deterministic ids and playable creatives', async () => {
    expect(await seedDemoData(ds, storage, logger)).toBe(true);
    const campaigns = await ds
      .getRepository(Campaign)
      .find({ where: { tenantId: DEMO_TENANT_ID }, order: { id: 'ASC' } });
    expect(campaigns.map((c) => c.id)).toEqual(DEMO_CAMPAIGNS.map((c) => demoCampaignId(c.n)));
    expect(campaigns.every((c) => c.status === CampaignStatus.LIVE)).toBe(true);
    const missing = await ds.query(
      `SELECT cc.campaign_id FROM "${CAMPAIGN_SCHEMA}"."campaign_creative" cc
       LEFT JOIN "${CAMPAIGN_SCHEMA}"."creative" c ON c.id = cc.creative_id AND c.status = 'READY'
       WHERE c.id IS NULL`,
    );
    expect(missing).toEqual([]);
  });

  it('never overwrites what is there on a later start', async () => {
    await ds
      .getRepository(Campaign)
      .update({ id: demoCampaignId(1) }, { name: 'Renamed by HQ', status: CampaignStatus.PAUSED });
    await ds.getRepository(Campaign).delete({ id: demoCampaignId(2) });
    expect(await seedDemoData(ds, storage, logger)).toBe(false);
    const first = await ds.getRepository(Campaign).findOneByOrFail({ id: demoCampaignId(1) });
    expect(first).toMatchObject({ name: 'Renamed by HQ', status: CampaignStatus.PAUSED });
    expect(await ds.getRepository(Campaign).findOneBy({ id: demoCampaignId(2) })).toBeNull();
  });
});
