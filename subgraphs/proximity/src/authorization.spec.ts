import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OTHER_STORE,
  startProximity,
  STORE_1,
  ZONE_1,
  zoneEvent,
  type ProximityHarness,
  type Who,
} from './testing/harness.js';

type Caller = Who | 'anonymous';
const WHO: Caller[] = [
  'anonymous',
  'hqAdmin',
  'hqEditor',
  'hqViewer',
  'manager',
  'staff',
  'staffStore2',
  'partnerRead',
  'partnerNoScope',
  'partnerVisitorWrite',
  'device',
  'otherAdmin',
  'otherManager',
];

/** What a caller gets: data, an empty answer (nothing of theirs), or an error code. */
type Outcome = 'ok' | 'none' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'NOT_FOUND';

interface Operation {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Reads the payload: an empty list (or a connection without sites) means "none". */
  pick: (data: Record<string, unknown>) => unknown;
  expect: Record<Caller, Outcome>;
}

const table = (o: Outcome, overrides: Partial<Record<Caller, Outcome>> = {}): Record<Caller, Outcome> =>
  ({ ...Object.fromEntries(WHO.map((w) => [w, o])), anonymous: 'UNAUTHENTICATED', ...overrides }) as Record<
    Caller,
    Outcome
  >;

const REPORT = `query($f: ProximityReportFilter!) { proximityReport(filter: $f) { storeId zoneId footfall } }`;
const window = (storeId?: string) => ({
  f: {
    from: new Date(1_779_990_000_000).toISOString(),
    to: new Date(1_780_100_000_000).toISOString(),
    ...(storeId ? { storeId } : {}),
  },
});

/** Footfall: HQ, the store's managers and staff, partners with proximity:read; others' stores are empty to them. */
const REPORT_READERS = table('ok', {
  staffStore2: 'none',
  partnerNoScope: 'FORBIDDEN',
  partnerVisitorWrite: 'FORBIDDEN',
  device: 'FORBIDDEN',
  otherAdmin: 'none',
  otherManager: 'none',
});

const OPERATIONS: Operation[] = [
  {
    name: 'mistConnection',
    query: `{ mistConnection { webhookPath secretSet sites { mistSiteId storeId } } }`,
    pick: (d) => ((d.mistConnection as { sites: unknown[] }).sites.length ? d.mistConnection : []),
    // Another tenant's admin sees a connection of their own: no site of ours.
    expect: table('FORBIDDEN', { hqAdmin: 'ok', hqEditor: 'ok', hqViewer: 'ok', otherAdmin: 'none' }),
  },
  {
    name: 'setMistWebhookSecret',
    query: `mutation { setMistWebhookSecret(secret: "another-secret-of-16+") { secretSet } }`,
    pick: (d) => d.setMistWebhookSecret,
    expect: table('FORBIDDEN', { hqAdmin: 'ok', otherAdmin: 'ok' }),
  },
  {
    name: 'mapMistSite (a store of the demo tenant)',
    query: `mutation($i: MapMistSiteInput!) { mapMistSite(input: $i) { mistSiteId } }`,
    variables: { i: { mistSiteId: 'site-9', storeId: STORE_1, zones: [{ mistZoneId: 'z-9', zoneId: ZONE_1 }] } },
    pick: (d) => d.mapMistSite,
    expect: table('FORBIDDEN', { hqAdmin: 'ok', otherAdmin: 'NOT_FOUND' }),
  },
  {
    name: 'mapMistSite (a store of the other tenant)',
    query: `mutation($i: MapMistSiteInput!) { mapMistSite(input: $i) { mistSiteId } }`,
    variables: { i: { mistSiteId: 'site-x', storeId: OTHER_STORE, zones: [] } },
    pick: (d) => d.mapMistSite,
    expect: table('FORBIDDEN', { hqAdmin: 'NOT_FOUND', otherAdmin: 'ok' }),
  },
  {
    name: 'unmapMistSite',
    query: `mutation { unmapMistSite(mistSiteId: "site-9") }`,
    pick: (d) => d.unmapMistSite,
    // Run after the demo tenant's mapping of site-9 above; the other tenant has no site-9.
    expect: table('FORBIDDEN', { hqAdmin: 'ok', otherAdmin: 'NOT_FOUND' }),
  },
  {
    // A keyed-hash oracle for linking devices to visitors: only those who may write visitor identifiers.
    name: 'mistDeviceHash',
    query: `{ mistDeviceHash(mac: "56:84:da:e9:ac:8b") }`,
    pick: (d) => d.mistDeviceHash,
    expect: table('FORBIDDEN', { hqAdmin: 'ok', partnerVisitorWrite: 'ok', otherAdmin: 'ok' }),
  },
  {
    name: 'proximityReport (the tenant)',
    query: REPORT,
    variables: window(),
    pick: (d) => d.proximityReport,
    expect: REPORT_READERS,
  },
  {
    name: 'proximityReport (store 1)',
    query: REPORT,
    variables: window(STORE_1),
    pick: (d) => d.proximityReport,
    expect: REPORT_READERS,
  },
];

describe('proximity authorization matrix (two tenants)', () => {
  let h: ProximityHarness;

  beforeAll(async () => {
    h = await startProximity();
    await h.configure();
    const res = await h.post({ topic: 'zone', events: [zoneEvent(), zoneEvent({ mac: '0000000000e2' })] });
    expect(res.body).toMatchObject({ stored: 2 });
  });
  afterAll(() => h?.stop());

  for (const op of OPERATIONS) {
    it.each(WHO)(`${op.name} as %s`, async (who) => {
      const res = await h.as(who, op.query, op.variables ?? {});
      const expected = op.expect[who];
      if (expected === 'ok' || expected === 'none') {
        expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
        const payload = op.pick(res.data!);
        if (expected === 'none') expect(payload).toEqual([]);
        else expect(Array.isArray(payload) ? payload.length : payload).toBeTruthy();
      } else {
        expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res)).toBe(expected);
      }
    });
  }

  it('store staff never see another store’s zones in the report', async () => {
    const res = await h.as<{ proximityReport: { storeId: string }[] }>('staff', REPORT, window());
    expect(new Set(res.data!.proximityReport.map((r) => r.storeId))).toEqual(new Set([STORE_1]));
  });
});
