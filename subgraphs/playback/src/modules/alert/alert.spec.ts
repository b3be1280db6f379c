import { DEMO_TENANT_ID } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DISPLAY_1,
  DISPLAY_2,
  heartbeat,
  play,
  STORE_1,
  STORE_2,
  startPlayback,
  type PlaybackHarness,
} from '../../testing/harness.js';
import { AlertService } from './alert.service.js';

const RECORD = `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`;
const ALERTS = `subscription($s: ID!) { displayAlerts(storeId: $s) { id kind state displayId storeId raisedAt resolvedAt } }`;
const STATUS = `subscription($d: ID!) { displayStatus(displayId: $d) { displayId status previous display { id status } } }`;
const LIST = `query($f: AlertFilter) { alerts(filter: $f) { totalCount edges { node { id kind state acknowledgedBy } } } }`;

interface AlertView {
  id: string;
  kind: string;
  state: string;
  displayId: string;
}

describe(AlertService.name, () => {
  let h: PlaybackHarness;
  beforeAll(async () => {
    h = await startPlayback({ PLAYBACK_STALE_AFTER_MINUTES: '600' });
    await h.gql(
      `mutation { setNotificationSettings(input: { emails: ["ops@example.com"], phones: ["+447700900123"] }) { emails } }`,
      {},
      await h.token('hqAdmin'),
    );
  });
  afterAll(async () => h?.stop());

  async function beat(at: number, over: Record<string, unknown> = {}) {
    const displayId = (over['displayId'] as string | undefined) ?? DISPLAY_1;
    const res = await h.gql<{ recordPlayback: { accepted: number } }>(
      RECORD,
      { i: { heartbeats: [heartbeat(at, over)] } },
      await h.token(displayId === DISPLAY_1 ? 'device' : 'hqAdmin'),
    );
    expect(res.data?.recordPlayback.accepted).toBe(1);
    await waitFor(async () => {
      const r = await h.db.query(`SELECT last_seen_at FROM playback.display_state WHERE display_id = $1`, [displayId]);
      return (r.rows[0] as { last_seen_at: Date } | undefined)?.last_seen_at?.getTime() === at;
    });
    await h.evaluate();
  }

  it('raises OFFLINE when heartbeats stop, tells store subscribers, and resolves when they resume', async () => {
    await beat(h.clock.now());
    const status = await h.gql<{ displayHealth: { id: string; status: string }[] }>(
      `query($s: ID!) { displayHealth(storeId: $s) { id status lastSeenAt nowPlaying { playlistVersion } } }`,
      { s: STORE_1 },
      await h.token('manager'),
    );
    expect(status.data?.displayHealth).toEqual([
      expect.objectContaining({ id: DISPLAY_1, status: 'ONLINE', nowPlaying: { playlistVersion: 'v1' } }),
    ]);

    const alerts = h.subscribe<{ displayAlerts: AlertView }>(ALERTS, { s: STORE_1 }, await h.token('staff'));
    const statuses = h.subscribe<{ displayStatus: { status: string; previous: string } }>(
      STATUS,
      { d: DISPLAY_1 },
      await h.token('device'),
    );
    await new Promise((r) => setTimeout(r, 200)); // let graphql-ws finish subscribing before the event
    // 90 s without a heartbeat, then the worker's health sweep runs.
    h.clock.advance(91_000);
    await h.evaluate();
    const raised = (await alerts.next()).data!.displayAlerts;
    expect(raised).toMatchObject({ kind: 'OFFLINE', state: 'RAISED', displayId: DISPLAY_1, storeId: STORE_1 });
    expect((await statuses.next()).data?.displayStatus).toMatchObject({ status: 'OFFLINE', previous: 'ONLINE' });

    // SNS is not configured: the notification lands in sent_message, visible to HQ.
    await waitFor(async () => (await h.count('sent_message', `alert_id = '${raised.id}'`)) === 2);
    const sent = await h.gql<{
      sentMessages: {
        totalCount: number;
        edges: { node: { channel: string; transport: string; recipient: string } }[];
      };
    }>(
      `{ sentMessages(first: 10) { totalCount edges { node { channel transport recipient subject } } } }`,
      {},
      await h.token('hqViewer'),
    );
    expect(
      sent.data?.sentMessages.edges.map((e) => [e.node.channel, e.node.recipient, e.node.transport]).sort(),
    ).toEqual([
      ['EMAIL', 'ops@example.com', 'OUTBOX'],
      ['SMS', '+447700900123', 'OUTBOX'],
    ]);

    // Acknowledged by store staff, then resolved automatically when the display is back.
    const ack = await h.gql<{ acknowledgeAlert: { state: string } }>(
      `mutation($id: ID!) { acknowledgeAlert(id: $id) { state acknowledgedAt } }`,
      { id: raised.id },
      await h.token('staff'),
    );
    expect(ack.data?.acknowledgeAlert.state).toBe('ACKNOWLEDGED');
    expect((await alerts.next()).data?.displayAlerts.state).toBe('ACKNOWLEDGED');

    await beat(h.clock.now());
    const resolved = (await alerts.next()).data!.displayAlerts;
    expect(resolved).toMatchObject({ id: raised.id, state: 'RESOLVED' });
    expect((await statuses.next()).data?.displayStatus).toMatchObject({ status: 'ONLINE', previous: 'OFFLINE' });
    await alerts.close();
    await statuses.close();

    // Only one OFFLINE alert was ever raised for the outage, even with the evaluator running many times.
    expect(await h.count('alert', `display_id = '${DISPLAY_1}' AND kind = 'OFFLINE'`)).toBe(1);
  });

  it('raises NOT_PLAYING_EXPECTED when the display plays an old playlist beyond the grace period', async () => {
    await h.publishPlaylist(DISPLAY_2, 'v2', h.clock.now());
    await waitFor(async () => (await h.count('expected_playlist', `version = 'v2'`)) === 1);
    await beat(h.clock.now(), { displayId: DISPLAY_2, playlistVersion: 'v1' });
    const open = async () =>
      (
        await h.gql<{ alerts: { edges: { node: AlertView }[] } }>(
          LIST,
          { f: { displayId: DISPLAY_2, states: ['RAISED', 'ACKNOWLEDGED'] } },
          await h.token('hqAdmin'),
        )
      ).data!.alerts.edges.map((e) => e.node.kind);
    expect(await open()).toEqual([]);

    h.clock.advance(60_000);
    await beat(h.clock.now(), { displayId: DISPLAY_2, playlistVersion: 'v1' });
    expect(await open()).toEqual([]); // still within the 120 s grace

    h.clock.advance(61_000);
    await beat(h.clock.now(), { displayId: DISPLAY_2, playlistVersion: 'v1' });
    expect(await open()).toEqual(['NOT_PLAYING_EXPECTED']);
    const health = await h.gql<{ displayHealth: { status: string }[] }>(
      `query($s: ID!) { displayHealth(storeId: $s) { status } }`,
      { s: STORE_2 },
      await h.token('hqViewer'),
    );
    expect(health.data?.displayHealth[0]?.status).toBe('NOT_PLAYING_EXPECTED');

    // The player catches up: the alert resolves itself.
    h.clock.advance(1_000);
    await beat(h.clock.now(), { displayId: DISPLAY_2, playlistVersion: 'v2' });
    expect(await open()).toEqual([]);
  });

  it('keeps store roles to their stores and tenants apart', async () => {
    const manager = await h.gql<{ alerts: { totalCount: number } }>(
      LIST,
      { f: { displayId: DISPLAY_2 } },
      await h.token('manager'),
    );
    expect(manager.data?.alerts.totalCount).toBe(0);
    const other = await h.gql<{ alerts: { totalCount: number } }>(LIST, {}, await h.token('otherAdmin'));
    expect(other.data?.alerts.totalCount).toBe(0);
    const mine = await h.gql<{ alerts: { totalCount: number } }>(LIST, {}, await h.token('hqAdmin'));
    expect(mine.data?.alerts.totalCount).toBeGreaterThanOrEqual(2);

    const forbidden = h.subscribe(ALERTS, { s: STORE_2 }, await h.token('staff'));
    await waitFor(() => forbidden.errors.length > 0 || forbidden.events.length > 0);
    expect(JSON.stringify(forbidden.errors.length ? forbidden.errors : forbidden.events)).toContain('FORBIDDEN');

    const ids = (
      await h.gql<{ alerts: { edges: { node: AlertView }[] } }>(
        LIST,
        { f: { storeId: STORE_2 } },
        await h.token('hqAdmin'),
      )
    ).data!.alerts.edges.map((e) => e.node.id);
    const ack = await h.gql(
      `mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }`,
      { id: ids[0] },
      await h.token('otherAdmin'),
    );
    expect(ack.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lists alerts newest first, page by page', async () => {
    const admin = await h.token('hqAdmin');
    const page = (after: string | null) =>
      h.gql<{
        alerts: {
          edges: { node: { id: string; raisedAt: string } }[];
          pageInfo: { endCursor: string; hasNextPage: boolean };
        };
      }>(
        `query($a: String) { alerts(first: 1, after: $a) { edges { node { id raisedAt } } pageInfo { endCursor hasNextPage } } }`,
        { a: after },
        admin,
      );
    const walked: { id: string; raisedAt: string }[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const res = await page(after);
      walked.push(...res.data!.alerts.edges.map((e) => e.node));
      if (!res.data!.alerts.pageInfo.hasNextPage) break;
      after = res.data!.alerts.pageInfo.endCursor;
    }
    const all = await h.db.query(`SELECT id, raised_at FROM playback.alert WHERE tenant_id = $1`, [DEMO_TENANT_ID]);
    expect(walked.length).toBe(all.rows.length);
    expect(walked.length).toBeGreaterThanOrEqual(2);
    expect(new Set(walked.map((a) => a.id)).size).toBe(walked.length);
    const times = walked.map((a) => Date.parse(a.raisedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('streams fleet status changes to each viewer for the stores they may see', async () => {
    const FLEET = `subscription($s: ID) { displayStatusChanges(storeId: $s) { displayId status previous display { id status } } }`;
    type Fleet = { displayStatusChanges: { displayId: string; status: string; previous: string } };
    await beat(h.clock.now()); // DISPLAY_1 (STORE_1) is ONLINE
    await beat(h.clock.now(), { displayId: DISPLAY_2 }); // and DISPLAY_2 (STORE_2)
    const hq = h.subscribe<Fleet>(FLEET, {}, await h.token('hqViewer'));
    const store1 = h.subscribe<Fleet>(FLEET, { s: STORE_1 }, await h.token('hqViewer'));
    const manager = h.subscribe<Fleet>(FLEET, {}, await h.token('manager'));
    const store2Staff = h.subscribe<Fleet>(FLEET, {}, await h.token('staffStore2'));
    const otherTenant = h.subscribe<Fleet>(FLEET, {}, await h.token('otherAdmin'));
    const device = h.subscribe<Fleet>(FLEET, {}, await h.token('device'));
    const notMine = h.subscribe<Fleet>(FLEET, { s: STORE_1 }, await h.token('staffStore2'));
    await new Promise((r) => setTimeout(r, 200)); // let graphql-ws finish subscribing before the event

    // Both displays go quiet: HQ hears both; each store role and each narrowed subscription only its store.
    h.clock.advance(91_000);
    await h.evaluate();
    const seen = async (s: typeof hq, n: number) => {
      const got = [];
      for (let i = 0; i < n; i++) got.push((await s.next()).data!.displayStatusChanges);
      await new Promise((r) => setTimeout(r, 300)); // and nothing more
      expect(s.events).toHaveLength(n);
      return got.map((c) => `${c.displayId}:${c.previous}->${c.status}`).sort();
    };
    const d1 = `${DISPLAY_1}:ONLINE->OFFLINE`;
    const d2 = `${DISPLAY_2}:ONLINE->OFFLINE`;
    expect(await seen(hq, 2)).toEqual([d1, d2].sort());
    expect(await seen(store1, 1)).toEqual([d1]);
    expect(await seen(manager, 1)).toEqual([d1]);
    expect(await seen(store2Staff, 1)).toEqual([d2]);
    expect(otherTenant.events).toEqual([]);

    // Refused at subscribe time: a device (it has displayStatus for itself) and a store the viewer lacks.
    for (const refused of [device, notMine]) {
      await waitFor(() => refused.errors.length > 0 || refused.events.length > 0);
      expect(JSON.stringify(refused.errors.length ? refused.errors : refused.events)).toContain('FORBIDDEN');
    }

    await beat(h.clock.now());
    expect((await hq.next()).data?.displayStatusChanges).toMatchObject({ status: 'ONLINE', previous: 'OFFLINE' });
    for (const s of [hq, store1, manager, store2Staff, otherTenant, device, notMine]) await s.close();
  });
});

describe(`${AlertService.name}: stale content`, () => {
  let h: PlaybackHarness;
  beforeAll(async () => {
    h = await startPlayback({ PLAYBACK_STALE_AFTER_MINUTES: '10' });
  });
  afterAll(async () => h?.stop());

  const record = async (input: Record<string, unknown>) => {
    const res = await h.gql<{ recordPlayback: { accepted: number } }>(RECORD, { i: input }, await h.token('device'));
    expect(res.data?.recordPlayback.accepted).toBe(1);
  };
  const open = async () =>
    (
      await h.gql<{ alerts: { edges: { node: AlertView }[] } }>(
        LIST,
        { f: { displayId: DISPLAY_1, states: ['RAISED', 'ACKNOWLEDGED'] } },
        await h.token('hqAdmin'),
      )
    ).data!.alerts.edges.map((e) => e.node.kind);

  it('raises STALE_CONTENT for a display that is online but has played nothing for too long, and resolves it on a play', async () => {
    const beat = async () => {
      const at = h.clock.now();
      await record({ heartbeats: [heartbeat(at)] });
      await waitFor(async () => {
        const r = await h.db.query(`SELECT last_seen_at FROM playback.display_state WHERE display_id = $1`, [
          DISPLAY_1,
        ]);
        return (r.rows[0] as { last_seen_at: Date } | undefined)?.last_seen_at?.getTime() === at;
      });
      await h.evaluate();
    };
    await beat();
    expect(await open()).toEqual([]);
    // Heartbeats keep coming (it is ONLINE) but no proof-of-play: after 10 minutes the content is stale.
    for (let i = 0; i < 11; i++) {
      h.clock.advance(60_000);
      await beat();
    }
    expect(await open()).toEqual(['STALE_CONTENT']);

    const now = h.clock.now();
    await record({
      plays: [play({ startedAt: new Date(now - 10_000).toISOString(), endedAt: new Date(now).toISOString() })],
    });
    await waitFor(async () => (await h.count('play')) === 1);
    await h.evaluate();
    await waitFor(async () => (await open()).length === 0, { message: 'STALE_CONTENT resolved' });
  });
});

describe(`${AlertService.name}: stale content only while a display owes plays`, () => {
  // T0 is Sunday 10:00 in London (open 09:00–18:00) and Sunday 19:00 in Tokyo (open 10:00–18:00 daily).
  const MIN = 60_000;
  const TOKYO_HOURS = ['SUN', 'MON'].map((day) => ({ day, opens: '10:00', closes: '18:00' }));
  let h: PlaybackHarness;
  beforeAll(async () => {
    h = await startPlayback({ PLAYBACK_STALE_AFTER_MINUTES: '10' });
    await h.publishStore(STORE_1, DEMO_TENANT_ID, 'Europe/London', [{ day: 'SUN', opens: '09:00', closes: '18:00' }]);
    await h.publishStore(STORE_2, DEMO_TENANT_ID, 'Asia/Tokyo', TOKYO_HOURS);
    await waitFor(async () => (await h.count('known_store', `jsonb_array_length("opening_hours") > 0`)) === 2, {
      message: 'the store projection with opening hours',
    });
  });
  afterAll(async () => h?.stop());

  /** Both displays send a heartbeat (online, no plays), then health is evaluated. */
  async function beatBoth(): Promise<void> {
    const at = h.clock.now();
    for (const [displayId, who] of [
      [DISPLAY_1, 'device'],
      [DISPLAY_2, 'hqAdmin'],
    ] as const) {
      const res = await h.gql<{ recordPlayback: { accepted: number } }>(
        RECORD,
        { i: { heartbeats: [heartbeat(at, { displayId })] } },
        await h.token(who),
      );
      expect(res.data?.recordPlayback.accepted).toBe(1);
    }
    await waitFor(
      async () => (await h.count('display_state', `"last_seen_at" = '${new Date(at).toISOString()}'`)) === 2,
    );
    await h.evaluate();
  }
  const stale = async (displayId: string) =>
    (await h.count('alert', `"display_id" = '${displayId}' AND "kind" = 'STALE_CONTENT' AND "state" <> 'RESOLVED'`)) >
    0;
  /** Heartbeats every minute for `minutes`, as a player's would be. */
  async function online(minutes: number): Promise<void> {
    for (let i = 0; i < minutes; i++) {
      h.clock.advance(MIN);
      await beatBoth();
    }
  }

  it('raises STALE_CONTENT for an open store’s display but not for a closed store’s, and follows the hours', async () => {
    await beatBoth();
    await online(11);
    expect(await stale(DISPLAY_1)).toBe(true); // London is open
    expect(await stale(DISPLAY_2)).toBe(false); // Tokyo is shut for the night

    // 18:01 in London: the shop is shut, nobody is paged for it, and the open alert resolves.
    h.clock.set(Date.parse('2030-03-10T18:01:00Z'));
    await beatBoth();
    expect(await stale(DISPLAY_1)).toBe(false);
    expect(await h.count('alert', `"kind" = 'STALE_CONTENT' AND "state" = 'RESOLVED'`)).toBe(1);

    // Tokyo opens at 10:00 on Monday (01:00 UTC): its display's last play is from last night, but the
    // staleness counts from the opening, so five minutes in it is not yet stale…
    h.clock.set(Date.parse('2030-03-11T01:05:00Z'));
    await beatBoth();
    expect(await stale(DISPLAY_2)).toBe(false);
    // …and ten minutes after the opening with no play, it is.
    await online(6);
    expect(await stale(DISPLAY_2)).toBe(true);
    expect(await stale(DISPLAY_1)).toBe(false); // London: 01:11 on Monday, shut
  });

  it('counts an empty resolved playlist as owing nothing, and the stale clock restarts when it gets items', async () => {
    // Tokyo is open (Monday 10:11) and DISPLAY_2 is stale from the test above.
    expect(await stale(DISPLAY_2)).toBe(true);
    await h.publishPlaylist(DISPLAY_2, 'empty', h.clock.now(), DEMO_TENANT_ID, 0);
    await waitFor(async () => (await h.count('expected_playlist', `"items" = 0`)) === 1);
    await beatBoth();
    expect(await stale(DISPLAY_2)).toBe(false);

    h.clock.advance(MIN);
    await h.publishPlaylist(DISPLAY_2, 'v1', h.clock.now(), DEMO_TENANT_ID, 3);
    await waitFor(
      async () => (await h.count('expected_playlist', `"items" = 3 AND "content_since" IS NOT NULL`)) === 1,
    );
    await online(9);
    expect(await stale(DISPLAY_2)).toBe(false); // 9 minutes since the playlist got items
    await online(2);
    expect(await stale(DISPLAY_2)).toBe(true);
  });
});
