import { DEMO_TENANT_ID, type EventBus } from '@phub/kit';
import { demoDisplayId, demoStoreId } from '../demo/demo-data.js';
import { LocationTopic } from '../events.js';

// Location's demo fleet as its outbox publishes it: what this subgraph's projection consumes.
const regionId = (n: number) => `00000000-0000-4000-8000-${`4e${n.toString(16)}`.padStart(12, '0')}`;
const zoneId = (store: number, n: number) =>
  `00000000-0000-4000-8000-${`a0${(store * 16 + n).toString(16)}`.padStart(12, '0')}`;

export const FLEET_STORES = [
  { n: 1, region: 1, timezone: 'Europe/London', tags: ['flagship', 'high-street'] },
  { n: 2, region: 1, timezone: 'Europe/London', tags: ['mall'] },
  { n: 3, region: 1, timezone: 'Europe/Dublin', tags: ['high-street'] },
  { n: 4, region: 2, timezone: 'America/New_York', tags: ['flagship', 'high-street'] },
  { n: 5, region: 2, timezone: 'America/Chicago', tags: ['high-street'] },
  { n: 6, region: 2, timezone: 'America/Los_Angeles', tags: ['airport', 'travel'] },
] as const;

export const FLEET_DISPLAYS = [
  { n: 1, zone: 2, orientation: 'PORTRAIT', tags: ['window'] },
  { n: 2, zone: 2, orientation: 'PORTRAIT', tags: ['window'] },
  { n: 3, zone: 1, orientation: 'LANDSCAPE', tags: ['entrance'] },
  { n: 4, zone: 4, orientation: 'LANDSCAPE', tags: ['queue'] },
] as const;

export const ALL_DEMO_DISPLAYS = FLEET_STORES.flatMap((s) => FLEET_DISPLAYS.map((d) => demoDisplayId(s.n, d.n)));

export function storeEvent(
  n: number,
  patch: Partial<{ tags: string[]; timezone: string; archivedAt: string | null; tenantId: string; id: string }> = {},
) {
  const store = FLEET_STORES.find((s) => s.n === n) ?? FLEET_STORES[0];
  return {
    type: patch.archivedAt ? 'StoreArchived' : 'StoreUpserted',
    occurredAt: new Date().toISOString(),
    store: {
      id: patch.id ?? demoStoreId(n),
      tenantId: patch.tenantId ?? DEMO_TENANT_ID,
      regionId: regionId(store.region),
      name: `Store ${n}`,
      code: `S${n}`,
      timezone: patch.timezone ?? store.timezone,
      tags: patch.tags ?? [...store.tags],
      archivedAt: patch.archivedAt ?? null,
    },
  };
}

export function displayEvent(
  store: number,
  n: number,
  patch: Partial<{ tags: string[]; storeId: string; archivedAt: string | null; tenantId: string; id: string }> = {},
) {
  const display = FLEET_DISPLAYS.find((d) => d.n === n) ?? FLEET_DISPLAYS[0];
  return {
    type: patch.archivedAt ? 'DisplayArchived' : 'DisplayUpserted',
    occurredAt: new Date().toISOString(),
    display: {
      id: patch.id ?? demoDisplayId(store, n),
      tenantId: patch.tenantId ?? DEMO_TENANT_ID,
      storeId: patch.storeId ?? demoStoreId(store),
      name: `Display ${store}.${n}`,
      tags: patch.tags ?? [...display.tags],
      orientation: display.orientation,
      zoneId: zoneId(store, display.zone),
      archivedAt: patch.archivedAt ?? null,
    },
  };
}

/** Publishes location's demo stores and displays (displays first, as partitions may deliver them). */
export async function publishDemoFleet(bus: EventBus): Promise<void> {
  await bus.publish(
    LocationTopic.display,
    FLEET_STORES.flatMap((s) =>
      FLEET_DISPLAYS.map((d) => ({ key: demoDisplayId(s.n, d.n), value: displayEvent(s.n, d.n) })),
    ),
  );
  await bus.publish(
    LocationTopic.store,
    FLEET_STORES.map((s) => ({ key: demoStoreId(s.n), value: storeEvent(s.n) })),
  );
}
