import { createLogger, DEMO_TENANT_ID, openDatabase } from '@phub/kit';
import { createTestDatabase } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { locationEntities, locationMigrations, LOCATION_SCHEMA } from '../index.js';
import { Display } from '../modules/display/display.entity.js';
import { Store } from '../modules/store/store.entity.js';
import { demoStoreId, seedDemoData } from './demo-data.js';

describe(seedDemoData.name, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  const logger = createLogger('test', 'silent');

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase({
      url: db.url,
      schema: LOCATION_SCHEMA,
      entities: locationEntities,
      migrations: locationMigrations,
      logger,
    });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('creates 2 regions, 6 stores in several time zones and 4 displays per store', async () => {
    expect(await seedDemoData(ds, logger)).toBe(true);
    const stores = await ds.getRepository(Store).find({ where: { tenantId: DEMO_TENANT_ID } });
    expect(stores).toHaveLength(6);
    expect(new Set(stores.map((s) => s.regionId)).size).toBe(2);
    expect(new Set(stores.map((s) => s.timezone)).size).toBeGreaterThanOrEqual(2);
    expect(await ds.getRepository(Display).count({ where: { tenantId: DEMO_TENANT_ID } })).toBe(24);
  });

  it('never overwrites what is there on a later start', async () => {
    await ds.getRepository(Store).update({ id: demoStoreId(1) }, { name: 'Renamed by HQ' });
    await ds.getRepository(Display).delete({ storeId: demoStoreId(2) });
    expect(await seedDemoData(ds, logger)).toBe(false);
    expect((await ds.getRepository(Store).findOneByOrFail({ id: demoStoreId(1) })).name).toBe('Renamed by HQ');
    expect(await ds.getRepository(Display).count({ where: { storeId: demoStoreId(2) } })).toBe(0);
  });
});
