import { DEMO_TENANT_ID, type Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { ConnectionKeys } from '../keys.js';
import { tableName } from '../tables.js';

// Location's deterministic demo ids (subgraphs/location/src/demo/demo-data.ts), named here by value.
const locationId = (kind: string, n: number) =>
  `00000000-0000-4000-8000-${`${kind}${n.toString(16)}`.padStart(12, '0')}`;
const demoStoreId = (n: number) => locationId('5a', n);
const demoZoneId = (store: number, n: number) => locationId('a0', store * 16 + n);

/** The demo tenant's Mist webhook secret: the simulator (`pnpm simulate:mist`) signs with it. Demo only. */
export const DEMO_MIST_SECRET = 'demo-mist-webhook-secret';
/** Mist-style ids of the demo sites and zones (Mist uses UUIDs; these are fixed so the simulator knows them). */
export const demoMistSiteId = (store: number) => `0000a15e-0000-4000-8000-${store.toString(16).padStart(12, '0')}`;
export const demoMistZoneId = (store: number, zone: number) =>
  `0000a150-0000-4000-8000-${(store * 16 + zone).toString(16).padStart(12, '0')}`;
/** The demo stores' location zones that Mist sees: entrance (1), window (2), queue area (4). */
export const DEMO_MIST_ZONES = [1, 2, 4];
export const DEMO_STORES = [1, 2, 3, 4, 5, 6];

/** Maps the demo stores' Mist sites and zones and sets the demo secret, once (never overwrites). */
export async function seedDemoData(dataSource: DataSource, keys: ConnectionKeys, logger: Logger): Promise<boolean> {
  const [existing] = (await dataSource.query(
    `SELECT 1 FROM ${tableName(dataSource, 'mist_connection')} WHERE "tenant_id" = $1`,
    [DEMO_TENANT_ID],
  )) as unknown[];
  if (existing) return false;
  await keys.setSecret(DEMO_TENANT_ID, DEMO_MIST_SECRET);
  for (const store of DEMO_STORES) {
    await dataSource.query(
      `INSERT INTO ${tableName(dataSource, 'mist_site')} ("tenant_id", "mist_site_id", "store_id") VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [DEMO_TENANT_ID, demoMistSiteId(store), demoStoreId(store)],
    );
    for (const zone of DEMO_MIST_ZONES)
      await dataSource.query(
        `INSERT INTO ${tableName(dataSource, 'mist_zone')} ("tenant_id", "mist_site_id", "mist_zone_id", "zone_id")
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [DEMO_TENANT_ID, demoMistSiteId(store), demoMistZoneId(store, zone), demoZoneId(store, zone)],
      );
  }
  logger.info({ sites: DEMO_STORES.length }, 'demo Mist sites and zones mapped');
  return true;
}
