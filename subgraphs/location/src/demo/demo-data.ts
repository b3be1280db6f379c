import { DEMO_TENANT_ID, type Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { emitDisplay, emitStore } from '../events.js';
import { Device, DeviceKind } from '../modules/device/device.entity.js';
import { Display, Orientation } from '../modules/display/display.entity.js';
import { Region } from '../modules/region/region.entity.js';
import { Store, Weekday, type OpeningHours } from '../modules/store/store.entity.js';
import { Zone, ZoneKind } from '../modules/zone/zone.entity.js';

/** Deterministic ids so other subgraphs' demo data (users' store scopes, campaigns) can refer to them. */
const id = (kind: string, n: number) => `00000000-0000-4000-8000-${`${kind}${n.toString(16)}`.padStart(12, '0')}`;
export const demoRegionId = (n: number) => id('4e', n);
export const demoStoreId = (n: number) => id('5a', n);
export const demoZoneId = (store: number, n: number) => id('a0', store * 16 + n);
export const demoDisplayId = (store: number, n: number) => id('d1', store * 16 + n);
export const demoDeviceId = (store: number, n: number) => id('de', store * 16 + n);

const weekdays = [Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI];
const hours = (opens: string, closes: string, sat: [string, string], sun?: [string, string]): OpeningHours[] => [
  ...weekdays.map((day) => ({ day, opens, closes })),
  { day: Weekday.SAT, opens: sat[0], closes: sat[1] },
  ...(sun ? [{ day: Weekday.SUN, opens: sun[0], closes: sun[1] }] : []),
];

const REGIONS = [
  { n: 1, name: 'UK & Ireland', code: 'UKI' },
  { n: 2, name: 'North America', code: 'NA' },
];

const STORES = [
  {
    n: 1,
    region: 1,
    name: 'London Oxford Street',
    code: 'LON-OXF',
    timezone: 'Europe/London',
    address: { line1: '300 Oxford Street', city: 'London', postcode: 'W1C 1DX', country: 'GB' },
    geo: [51.5152, -0.1418],
    tags: ['flagship', 'high-street'],
    hours: hours('09:00', '21:00', ['09:00', '21:00'], ['12:00', '18:00']),
  },
  {
    n: 2,
    region: 1,
    name: 'Manchester Arndale',
    code: 'MAN-ARN',
    timezone: 'Europe/London',
    address: { line1: 'Arndale Centre', city: 'Manchester', postcode: 'M4 3AQ', country: 'GB' },
    geo: [53.4833, -2.2389],
    tags: ['mall'],
    hours: hours('09:00', '20:00', ['09:00', '20:00'], ['11:00', '17:00']),
  },
  {
    n: 3,
    region: 1,
    name: 'Dublin Grafton Street',
    code: 'DUB-GRA',
    timezone: 'Europe/Dublin',
    address: { line1: '40 Grafton Street', city: 'Dublin', postcode: 'D02 Y266', country: 'IE' },
    geo: [53.3418, -6.2603],
    tags: ['high-street'],
    hours: hours('09:30', '19:00', ['09:30', '19:00']),
  },
  {
    n: 4,
    region: 2,
    name: 'New York Fifth Avenue',
    code: 'NYC-5TH',
    timezone: 'America/New_York',
    address: { line1: '711 Fifth Avenue', city: 'New York', postcode: '10022', country: 'US' },
    geo: [40.7625, -73.9738],
    tags: ['flagship', 'high-street'],
    hours: hours('10:00', '21:00', ['10:00', '21:00'], ['11:00', '19:00']),
  },
  {
    n: 5,
    region: 2,
    name: 'Chicago Michigan Avenue',
    code: 'CHI-MIC',
    timezone: 'America/Chicago',
    address: { line1: '625 N Michigan Avenue', city: 'Chicago', postcode: '60611', country: 'US' },
    geo: [41.8934, -87.6245],
    tags: ['high-street'],
    hours: hours('10:00', '20:00', ['10:00', '20:00']),
  },
  {
    n: 6,
    region: 2,
    name: 'San Francisco Airport',
    code: 'SFO-T2',
    timezone: 'America/Los_Angeles',
    address: { line1: 'Terminal 2, SFO', city: 'San Francisco', postcode: '94128', country: 'US' },
    geo: [37.6163, -122.3858],
    tags: ['airport', 'travel'],
    hours: hours('06:00', '22:00', ['06:00', '22:00'], ['06:00', '22:00']),
  },
];

const ZONES = [
  { n: 1, name: 'Entrance', kind: ZoneKind.ENTRANCE },
  { n: 2, name: 'Window', kind: ZoneKind.WINDOW },
  { n: 3, name: 'Service counter', kind: ZoneKind.COUNTER },
  { n: 4, name: 'Queue area', kind: ZoneKind.QUEUE },
];

const DISPLAYS = [
  {
    n: 1,
    name: 'Window left',
    zone: 2,
    orientation: Orientation.PORTRAIT,
    tags: ['window'],
    placement: 'shop window, left',
  },
  {
    n: 2,
    name: 'Window right',
    zone: 2,
    orientation: Orientation.PORTRAIT,
    tags: ['window'],
    placement: 'shop window, right',
  },
  {
    n: 3,
    name: 'Entrance wall',
    zone: 1,
    orientation: Orientation.LANDSCAPE,
    tags: ['entrance'],
    placement: 'inside the doors',
  },
  {
    n: 4,
    name: 'Queue screen',
    zone: 4,
    orientation: Orientation.LANDSCAPE,
    tags: ['queue'],
    placement: 'above the queue',
  },
];

/**
 * Seeds the demo tenant on a first start. It never overwrites: if the demo
 * tenant already has any region or store, nothing is written.
 */
export async function seedDemoData(dataSource: DataSource, logger: Logger): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    const existing =
      (await manager.count(Region, { where: { tenantId: DEMO_TENANT_ID } })) +
      (await manager.count(Store, { where: { tenantId: DEMO_TENANT_ID } }));
    if (existing > 0) return false;
    const tenantId = DEMO_TENANT_ID;
    await manager.insert(
      Region,
      REGIONS.map((r) => ({ id: demoRegionId(r.n), tenantId, name: r.name, code: r.code, archivedAt: null })),
    );
    for (const s of STORES) {
      const store = manager.create(Store, {
        id: demoStoreId(s.n),
        tenantId,
        regionId: demoRegionId(s.region),
        name: s.name,
        code: s.code,
        timezone: s.timezone,
        address: s.address,
        lat: s.geo[0],
        lng: s.geo[1],
        openingHours: s.hours,
        tags: [...s.tags].sort(),
        archivedAt: null,
      });
      await manager.save(store);
      await emitStore(manager, store);
      await manager.insert(
        Zone,
        ZONES.map((z) => ({
          id: demoZoneId(s.n, z.n),
          tenantId,
          storeId: store.id,
          name: z.name,
          kind: z.kind,
          archivedAt: null,
        })),
      );
      for (const d of DISPLAYS) {
        const display = manager.create(Display, {
          id: demoDisplayId(s.n, d.n),
          tenantId,
          storeId: store.id,
          zoneId: demoZoneId(s.n, d.zone),
          name: d.name,
          orientation: d.orientation,
          resolution:
            d.orientation === Orientation.PORTRAIT ? { width: 1080, height: 1920 } : { width: 1920, height: 1080 },
          tags: d.tags,
          placement: d.placement,
          archivedAt: null,
        });
        await manager.save(display);
        await emitDisplay(manager, display);
      }
      await manager.insert(Device, [
        {
          id: demoDeviceId(s.n, 1),
          tenantId,
          storeId: store.id,
          zoneId: demoZoneId(s.n, 3),
          kind: DeviceKind.TABLET,
          name: 'Staff tablet',
          serial: `TAB-${s.code}-1`,
          tags: ['staff'],
          archivedAt: null,
        },
        {
          id: demoDeviceId(s.n, 2),
          tenantId,
          storeId: store.id,
          zoneId: demoZoneId(s.n, 1),
          kind: DeviceKind.BEACON,
          name: 'Entrance beacon',
          serial: `BCN-${s.code}-1`,
          tags: [],
          archivedAt: null,
        },
        {
          id: demoDeviceId(s.n, 3),
          tenantId,
          storeId: store.id,
          zoneId: demoZoneId(s.n, 4),
          kind: DeviceKind.SENSOR,
          name: 'Queue counter',
          serial: `SNS-${s.code}-1`,
          tags: [],
          archivedAt: null,
        },
      ]);
    }
    logger.info({ stores: STORES.length, displays: STORES.length * DISPLAYS.length }, 'demo data created');
    return true;
  });
}
