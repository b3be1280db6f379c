import { DEMO_TENANT_ID } from '@phub/kit';
import { presenceDeviceSegmentsEventV1 } from '@phub/contracts';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMist, verifyMist } from './mist.js';
import {
  OTHER_TENANT,
  SECRET,
  startProximity,
  STORE_1,
  ZONE_1,
  ZONE_2,
  zoneEvent,
  type ProximityHarness,
} from './testing/harness.js';

/** Moments on the bus whose occurredAt lies in [from, to] (epoch seconds). */
const momentsBetween = (h: ProximityHarness, from: number, to: number) =>
  h.moments().filter((m) => {
    const t = Date.parse(String(m.occurredAt)) / 1000;
    return t >= from && t <= to;
  });
const settle = () => new Promise((r) => setTimeout(r, 1500));

const count = async (h: ProximityHarness, table: string) =>
  ((await h.db.query(`SELECT count(*)::int AS n FROM "proximity"."${table}"`)).rows[0] as { n: number }).n;

describe('Mist signature (X-Mist-Signature-v2)', () => {
  it('is the hex HMAC-SHA256 of the raw body under the secret, as Mist documents it', () => {
    // RFC 4231 test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?").
    const body = Buffer.from('what do ya want for nothing?');
    const known = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    expect(signMist('Jefe', body)).toBe(known);
    expect(verifyMist('Jefe', body, known)).toBe(true);
    expect(verifyMist('Jefe', body, known.toUpperCase())).toBe(true);
    expect(verifyMist('Jefe', Buffer.from('what do ya want for nothing?\n'), known)).toBe(false);
    expect(verifyMist('jefe', body, known)).toBe(false);
    expect(verifyMist('Jefe', body, undefined)).toBe(false);
    expect(verifyMist('Jefe', body, known.slice(2))).toBe(false);
  });
});

describe('Mist webhook receiver', () => {
  let h: ProximityHarness;
  let ts = 1_780_000_000;

  beforeAll(async () => {
    h = await startProximity({ PROXIMITY_MOMENT_SECONDS: '60' });
  });
  afterAll(() => h?.stop());

  it('refuses every message with 401 and stores nothing before a secret is set', async () => {
    const res = await h.post({ topic: 'zone', events: [zoneEvent()] });
    expect(res.status).toBe(401);
    expect(await count(h, 'proximity_event')).toBe(0);
    await h.configure();
  });

  it.each([
    ['no signature', { signature: null }],
    ['a signature made with another secret', { secret: 'not-the-secret-at-all' }],
    ['a signature of another body', { signature: signMist(SECRET, '{"topic":"zone","events":[]}') }],
    ['garbage', { signature: 'zz' }],
    ['the right signature for another tenant', { tenantId: OTHER_TENANT }],
  ])('answers 401 and stores nothing for %s', async (_name, options) => {
    const res = await h.post({ topic: 'zone', events: [zoneEvent({ timestamp: ++ts })] }, options);
    expect(res.status).toBe(401);
    expect(await count(h, 'proximity_event')).toBe(0);
    expect(await count(h, 'zone_hour')).toBe(0);
    expect(await count(h, 'unknown_site')).toBe(0);
  });

  it('stores several events of one message, rejects malformed and unknown-site ones one by one, and hashes MACs', async () => {
    ts += 10;
    const res = await h.post({
      topic: 'zone',
      events: [
        zoneEvent({ timestamp: ts }),
        zoneEvent({ timestamp: ts, trigger: 'sideways' }),
        zoneEvent({ timestamp: ts, mac: undefined }),
        zoneEvent({ timestamp: ts, site_id: 'site-unknown' }),
        zoneEvent({ timestamp: ts + 1, mac: 'AA:BB:CC:DD:EE:01' }),
        'not an event',
        zoneEvent({ timestamp: ts + 5, zone_id: 'mist-zone-unmapped', mac: 'aabbccddee02' }),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ topic: 'zone', received: 7, stored: 3, duplicates: 0, rejected: 4 });
    expect(res.body.results).toEqual([
      { index: 0, status: 'stored' },
      { index: 1, status: 'rejected', reason: expect.stringContaining('trigger') },
      { index: 2, status: 'rejected', reason: 'mac: a zone event needs mac or id' },
      { index: 3, status: 'rejected', reason: 'unknown site site-unknown' },
      { index: 4, status: 'stored' },
      { index: 5, status: 'rejected', reason: expect.any(String) },
      { index: 6, status: 'stored', reason: 'zone mist-zone-unmapped is not mapped: no footfall or moment' },
    ]);
    // The unknown site is counted, for HQ to map it.
    const conn = await h.as<{ mistConnection: { unknownSites: { mistSiteId: string; events: number }[] } }>(
      'hqAdmin',
      `{ mistConnection { unknownSites { mistSiteId events } } }`,
    );
    expect(conn.data!.mistConnection.unknownSites).toEqual([{ mistSiteId: 'site-unknown', events: 1 }]);
    // No raw MAC anywhere in the schema's tables.
    const dump = JSON.stringify(
      (await h.db.query(`SELECT * FROM "proximity"."proximity_event"`)).rows.concat(
        (await h.db.query(`SELECT * FROM "proximity"."zone_presence"`)).rows,
      ),
    ).toLowerCase();
    for (const mac of ['5684dae9ac8b', 'aabbccddee01', 'aa:bb:cc:dd:ee:01', 'aabbccddee02'])
      expect(dump).not.toContain(mac);
    const hashes = (await h.db.query(`SELECT DISTINCT "device_hash" FROM "proximity"."proximity_event"`)).rows;
    expect(hashes).toHaveLength(3);
    for (const r of hashes as { device_hash: string }[]) expect(r.device_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is idempotent under replay: the same events again change nothing and are answered duplicate', async () => {
    ts += 100;
    const message = {
      topic: 'zone',
      events: [
        zoneEvent({ timestamp: ts, mac: '0000000000a1' }),
        zoneEvent({ timestamp: ts + 30, mac: '0000000000a1', trigger: 'exit' }),
      ],
    };
    const first = await h.post(message);
    expect(first.body).toMatchObject({ stored: 2, duplicates: 0 });
    const snapshot = async () => ({
      events: await count(h, 'proximity_event'),
      hours: (await h.db.query(`SELECT * FROM "proximity"."zone_hour" ORDER BY "hour", "zone_id"`)).rows,
      presence: (await h.db.query(`SELECT * FROM "proximity"."zone_presence" ORDER BY "device_hash"`)).rows,
    });
    const before = await snapshot();
    // The enter's moment (the exit leaves the devices of the test before in the zone: the moment goes on).
    await waitFor(() => (momentsBetween(h, ts, ts + 30).length >= 1 ? true : undefined));
    await settle();
    const moments = h.moments().length;
    for (let i = 0; i < 3; i++) {
      const again = await h.post(message);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ stored: 0, duplicates: 2, rejected: 0 });
    }
    expect(await snapshot()).toEqual(before);
    await settle();
    expect(h.moments()).toHaveLength(moments);
  });

  it('emits presence.moment.v1 on a zone enter into an empty zone, and ends it with the exit that empties the zone', async () => {
    // A day later: the devices earlier tests left in the zone without an exit no longer count as present.
    ts += 86_400;
    await h.post({ topic: 'zone', events: [zoneEvent({ timestamp: ts, mac: '0000000000b1' })] });
    await h.post({ topic: 'zone', events: [zoneEvent({ timestamp: ts + 1, mac: '0000000000b2' })] });
    await h.post({ topic: 'zone', events: [zoneEvent({ timestamp: ts + 10, mac: '0000000000b1', trigger: 'exit' })] });
    await h.post({ topic: 'zone', events: [zoneEvent({ timestamp: ts + 20, mac: '0000000000b2', trigger: 'exit' })] });
    await waitFor(() => (momentsBetween(h, ts, ts + 20).length >= 2 ? true : undefined));
    await settle();
    const mine = momentsBetween(h, ts, ts + 20);
    const at = (s: number) => new Date(s * 1000).toISOString();
    // The first enter starts the zone's moment; the second (1 s later, under PROXIMITY_MOMENT_REFRESH_SECONDS) and
    // the first exit (someone is left) change nothing campaign must hear; the second exit empties the zone: ended.
    expect(mine).toEqual([
      expect.objectContaining({
        storeId: STORE_1,
        zoneId: ZONE_1,
        source: 'PROXIMITY',
        segmentKeys: [],
        occurredAt: at(ts),
        expiresAt: at(ts + 60),
      }),
      expect.objectContaining({ occurredAt: at(ts + 20), expiresAt: at(ts + 20) }),
    ]);
    expect(new Set(mine.map((m) => m.momentId)).size).toBe(1);
    expect(mine[0]!.tenantId).toBe(DEMO_TENANT_ID);
    // Nothing personal travels: exactly the contract's fields.
    expect(Object.keys(mine[0]!).sort()).toEqual(
      ['expiresAt', 'momentId', 'occurredAt', 'segmentKeys', 'source', 'storeId', 'tenantId', 'zoneId'].sort(),
    );
  });

  it('a device the visitor subgraph links to a consenting visitor gets moments with its segments, until unlinked', async () => {
    ts += 1000;
    await h.post({
      topic: 'zone',
      events: [zoneEvent({ timestamp: ts, mac: '0000000000c1', zone_id: 'mist-zone-2' })],
    });
    const [{ device_hash: stored }] = (
      await h.db.query(`SELECT "device_hash" FROM "proximity"."proximity_event" WHERE "at" = to_timestamp($1)`, [ts])
    ).rows as [{ device_hash: string }];
    // An app that knows the device's MAC asks for its hash to link it to the visitor (DEVICE_MAC_HASH).
    const asked = await h.as<{ mistDeviceHash: string }>(
      'partnerVisitorWrite',
      `{ mistDeviceHash(mac: "00:00:00:00:00:C1") }`,
    );
    const hash = asked.data!.mistDeviceHash;
    expect(hash).toBe(stored);
    // What the visitor subgraph publishes (its own spec proves when): the device's segments, then none.
    const linked = async (segmentKeys: string[], at: number) => {
      await h.infra.bus.publish(presenceDeviceSegmentsEventV1.topic, [
        {
          key: hash,
          value: presenceDeviceSegmentsEventV1.schema.parse({
            tenantId: DEMO_TENANT_ID,
            deviceHash: hash,
            segmentKeys,
            occurredAt: new Date(at * 1000).toISOString(),
          }),
        },
      ]);
      await waitFor(async () => {
        const { rows } = await h.db.query(
          `SELECT 1 FROM "proximity"."device_segment" WHERE "device_hash" = $1 AND "updated_at" = to_timestamp($2)`,
          [hash, at],
        );
        return rows.length ? true : undefined;
      });
    };
    await linked(['gold-members'], ts + 1);
    // An older word arriving late changes nothing.
    await h.infra.bus.publish(presenceDeviceSegmentsEventV1.topic, [
      {
        key: hash,
        value: {
          tenantId: DEMO_TENANT_ID,
          deviceHash: hash,
          segmentKeys: [],
          occurredAt: new Date(ts * 1000).toISOString(),
        },
      },
    ]);
    await h.post({
      topic: 'zone',
      events: [zoneEvent({ timestamp: ts + 5, mac: '0000000000c1', zone_id: 'mist-zone-2' })],
    });
    await waitFor(() => (momentsBetween(h, ts + 5, ts + 5).length >= 1 ? true : undefined));
    await settle();
    // The zone's own moment is still live from the first enter (5 s is under the refresh step): only the device's.
    expect(momentsBetween(h, ts + 5, ts + 5).map((m) => m.segmentKeys)).toEqual([['gold-members']]);

    // Consent withdrawn (or the visitor erased): the device is anonymous again and makes no moment of its own.
    await linked([], ts + 6);
    await h.post({
      topic: 'zone',
      events: [zoneEvent({ timestamp: ts + 8, mac: '0000000000c1', zone_id: 'mist-zone-2' })],
    });
    await settle();
    expect(momentsBetween(h, ts + 8, ts + 8)).toEqual([]);
  });

  it('mistDeviceHash: exactly one of a MAC or an SDK client id, each hashed as the webhook hashes it', async () => {
    const ask = (args: string) =>
      h.as<{ mistDeviceHash: string }>('hqAdmin', `{ mistDeviceHash${args ? `(${args})` : ''} }`);
    for (const bad of ['', 'mac: "00:11"', 'mac: "0000000000c1", sdkClientId: "x"', 'sdkClientId: "a b"']) {
      const res = await ask(bad);
      expect(res.errors?.[0]?.extensions?.code, bad).toBe('BAD_USER_INPUT');
    }
    const byMac = (await ask('mac: "0000000000C1"')).data!.mistDeviceHash;
    expect(byMac).toMatch(/^[0-9a-f]{64}$/);
    expect((await ask('mac: "00-00-00-00-00-c1"')).data!.mistDeviceHash).toBe(byMac);
    // An SDK client id is kept apart from MACs even when it spells the same characters.
    expect((await ask('sdkClientId: "0000000000c1"')).data!.mistDeviceHash).not.toBe(byMac);
  });

  it('reports footfall and dwell per zone per hour', async () => {
    const res = await h.as<{
      proximityReport: {
        zoneId: string;
        footfall: number;
        exits: number;
        dwells: number;
        averageDwellSeconds: number | null;
      }[];
    }>(
      'hqAdmin',
      `query($f: ProximityReportFilter!) { proximityReport(filter: $f) { zoneId hour footfall exits dwells averageDwellSeconds } }`,
      {
        f: {
          from: new Date(1_779_990_000_000).toISOString(),
          to: new Date(1_780_100_000_000).toISOString(),
          zoneId: ZONE_1,
        },
      },
    );
    expect(res.errors).toBeUndefined();
    const rows = res.data!.proximityReport;
    const total = (k: 'footfall' | 'exits') => rows.reduce((n, r) => n + r[k], 0);
    // Enters of zone 1: 2 (first message) + 1 (replayed pair) + 2 (moment test); exits: 1 + 2, each after a
    // known enter: 30 s (the replayed pair), 10 s and 19 s (the moment test).
    expect(total('footfall')).toBe(5);
    expect(total('exits')).toBe(3);
    const dwells = rows.reduce((n, r) => n + r.dwells, 0);
    const seconds = rows.reduce((n, r) => n + (r.averageDwellSeconds ?? 0) * r.dwells, 0);
    expect(dwells).toBe(3);
    expect(seconds).toBe(30 + 10 + 19);
  });

  it('takes a message with duplicates and a malformed event in one batch, and emits a zone moment only when its presence changes', async () => {
    // Two days on (out of the report test's range; earlier presence in zone 2 is over), zone 2 empty.
    const t = (ts += 200_000);
    const enter = (mac: string, at: number) => zoneEvent({ zone_id: 'mist-zone-2', mac, timestamp: at });
    const exit = (mac: string, at: number) =>
      zoneEvent({ zone_id: 'mist-zone-2', mac, timestamp: at, trigger: 'exit' });
    const zone2 = () => momentsBetween(h, t, t + 1000).filter((m) => m.zoneId === ZONE_2);
    const hours = async () =>
      (
        await h.db.query(
          `SELECT * FROM "proximity"."zone_hour" WHERE "zone_id" = $1 AND "hour" >= to_timestamp($2) ORDER BY "hour"`,
          [ZONE_2, t - 3600],
        )
      ).rows;
    const first = {
      topic: 'zone',
      events: [
        enter('0000000000e1', t),
        enter('0000000000e2', t),
        enter('00:00:00:00:00:E1', t), // the first event again (the same MAC written differently)
        { ...enter('0000000000e9', t), trigger: 'sideways' },
        enter('0000000000e3', t + 2),
        exit('0000000000e3', t + 4),
      ],
    };
    const res = await h.post(first);
    expect(res.body).toMatchObject({ received: 6, stored: 4, duplicates: 1, rejected: 1 });
    expect(res.body.results).toEqual([
      { index: 0, status: 'stored' },
      { index: 1, status: 'stored' },
      { index: 2, status: 'duplicate' },
      { index: 3, status: 'rejected', reason: expect.stringContaining('trigger') },
      { index: 4, status: 'stored' },
      { index: 5, status: 'stored' },
    ]);
    const counted = await hours();
    expect(counted).toEqual([expect.objectContaining({ enters: 3, exits: 1, dwells: 1, dwell_seconds: '2' })]);
    // Replayed: every event a duplicate (the malformed one rejected again), nothing counted twice.
    const again = await h.post(first);
    expect(again.body).toMatchObject({ stored: 0, duplicates: 5, rejected: 1 });
    expect(await hours()).toEqual(counted);

    await h.post({ topic: 'zone', events: [enter('0000000000e4', t + 10)] }); // +8 s: under the refresh step
    await h.post({ topic: 'zone', events: [enter('0000000000e5', t + 30)] }); // +28 s: extended
    await h.post({
      topic: 'zone',
      events: ['e1', 'e2', 'e4', 'e5'].map((d) => exit(`0000000000${d}`, t + 40)), // the zone empties: ended
    });
    await h.post({ topic: 'zone', events: [enter('0000000000e6', t + 200)] }); // empty zone: started
    await h.post({ topic: 'zone', events: [enter('0000000000e7', t + 300)] }); // its moment expired at +260: again
    await waitFor(() => (zone2().length >= 5 ? true : undefined));
    await settle();
    const at = (s: number) => new Date(s * 1000).toISOString();
    expect(zone2().map((m) => [m.occurredAt, m.expiresAt])).toEqual([
      [at(t + 2), at(t + 62)],
      [at(t + 30), at(t + 90)],
      [at(t + 40), at(t + 40)],
      [at(t + 200), at(t + 260)],
      [at(t + 300), at(t + 360)],
    ]);
  });

  it('answers 400 to a body that is not a Mist message and acknowledges other topics without storing', async () => {
    const before = await count(h, 'proximity_event');
    expect((await h.post(null, { raw: 'not json' })).status).toBe(400);
    expect((await h.post({ events: [] })).status).toBe(400);
    const other = await h.post({ topic: 'device-events', events: [{ type: 'AP_RESTARTED' }] });
    expect(other).toMatchObject({ status: 200, body: { stored: 0, ignored: 1 } });
    expect(await count(h, 'proximity_event')).toBe(before);
  });

  it('stores location topic events (no moment)', async () => {
    await settle();
    const seen = h.moments().length;
    const res = await h.post({
      topic: 'location',
      events: [
        { site_id: 'site-1', map_id: 'map-1', mac: '0000000000d1', timestamp: ++ts, type: 'wifi', x: 3.5, y: 7.25 },
        { site_id: 'site-1', timestamp: ts },
      ],
    });
    expect(res.body).toMatchObject({ stored: 1, rejected: 1 });
    await settle();
    expect(h.moments()).toHaveLength(seen);
  });
});

describe('Mist webhook receiver under concurrent messages', () => {
  let h: ProximityHarness;

  beforeAll(async () => {
    h = await startProximity();
    await h.configure();
  });
  afterAll(() => h?.stop());

  // Mist posts a busy organisation's messages concurrently, each touching the same zones' hourly rows; taken in the
  // events' order those row locks deadlocked (found by bench/proximity) and the whole message was lost with a 500.
  it('stores every event of messages posted at once over the same zones, in any order, and counts each once', async () => {
    const messages = 16;
    const pairs = 20;
    const hour = 1_780_002_000; // an hour boundary: each zone's events land in two hourly rows
    const bodies = Array.from({ length: messages }, (_, m) => {
      const events: Record<string, unknown>[] = [];
      for (let p = 0; p < pairs; p++) {
        // Half the messages name zone 1 first, half zone 2 first; half start before the hour, half after.
        const zones = m % 2 ? ['mist-zone-2', 'mist-zone-1'] : ['mist-zone-1', 'mist-zone-2'];
        const at = (m % 4 < 2 ? hour - 30 : hour + 30) + p * 0.001;
        for (const zone of zones) {
          const mac = `c0${m.toString(16).padStart(2, '0')}${p.toString(16).padStart(4, '0')}${zone.endsWith('1') ? '01' : '02'}00`;
          events.push(zoneEvent({ zone_id: zone, mac, timestamp: at, trigger: 'enter' }));
          events.push(zoneEvent({ zone_id: zone, mac, timestamp: at + 10, trigger: 'exit' }));
        }
      }
      return { topic: 'zone', events };
    });
    const answers = await Promise.all(bodies.map((b) => h.post(b)));
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 200));
    expect(answers.reduce((n, a) => n + Number(a.body.stored), 0)).toBe(messages * pairs * 4);
    const { rows } = await h.db.query(
      `SELECT sum("enters")::int AS enters, sum("exits")::int AS exits, sum("dwells")::int AS dwells,
              sum("dwell_seconds")::int AS seconds, count(*)::int AS cells
       FROM "proximity"."zone_hour"`,
    );
    expect(rows[0]).toEqual({
      enters: messages * pairs * 2,
      exits: messages * pairs * 2,
      dwells: messages * pairs * 2,
      seconds: messages * pairs * 2 * 10,
      cells: 4,
    });
  });

  // Messages posted at once are written together (group commit): an event in several of them is still one event.
  it('stores an event carried by several messages posted at once for one of them, and answers the others duplicate', async () => {
    const at = 1_780_500_000;
    const shared = zoneEvent({ zone_id: 'mist-zone-2', mac: 'd0d0d0d0d0d0', timestamp: at });
    const bodies = Array.from({ length: 8 }, (_, m) => ({
      topic: 'zone',
      events: [
        zoneEvent({ zone_id: 'mist-zone-2', mac: `d1d1d1d1d1${m.toString(16).padStart(2, '0')}`, timestamp: at }),
        shared,
      ],
    }));
    const answers = await Promise.all(bodies.map((b) => h.post(b)));
    const sharedStatus = answers.map((a) => (a.body.results as { status: string }[])[1]!.status);
    expect(sharedStatus.filter((s) => s === 'stored')).toHaveLength(1);
    expect(sharedStatus.filter((s) => s === 'duplicate')).toHaveLength(7);
    expect(answers.map((a) => (a.body.results as { status: string }[])[0]!.status)).toEqual(bodies.map(() => 'stored'));
    const { rows } = await h.db.query(
      `SELECT sum("enters")::int AS enters FROM "proximity"."zone_hour" WHERE "hour" = to_timestamp($1)`,
      [Math.floor(at / 3600) * 3600],
    );
    expect(rows[0]).toEqual({ enters: 9 });
  });
});
