import { DEMO_TENANT_ID } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DISPLAY_1,
  DISPLAY_2,
  heartbeat,
  OTHER_DISPLAY,
  startPlayback,
  STORE_1,
  STORE_2,
  type PlaybackHarness,
} from '../../testing/harness.js';
import { FleetService } from './fleet.service.js';

const REGION_NORTH = '00000000-0000-4000-8000-00000000e001';
const REGION_SOUTH = '00000000-0000-4000-8000-00000000e002';
const id = (n: number) => `00000000-0000-4000-8000-0000000f${String(n).padStart(4, '0')}`;

interface Row {
  id: string;
  status: string;
  lastSeenAt: string | null;
}
interface Page {
  fleetDisplays: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: Row }[];
  };
}

const QUERY = `query($first: Int!, $after: String, $filter: FleetDisplayFilter, $order: FleetDisplayOrder) {
  fleetDisplays(first: $first, after: $after, filter: $filter, orderBy: $order) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id status lastSeenAt } } } }`;

const STORES: Record<string, string> = { [STORE_1]: 'Oxford Street', [STORE_2]: 'Arndale' };
/** Display names (repeated across stores on purpose) and stores. */
const DISPLAYS: { id: string; name: string; store: string }[] = [
  { id: DISPLAY_1, name: 'Window left', store: STORE_1 },
  { id: DISPLAY_2, name: 'Window left', store: STORE_2 },
  { id: id(1), name: 'Entrance', store: STORE_1 },
  { id: id(2), name: 'Entrance', store: STORE_2 },
  { id: id(3), name: 'Queue', store: STORE_1 },
  { id: id(4), name: 'queue', store: STORE_1 },
  { id: id(5), name: 'Till', store: STORE_2 },
  { id: id(6), name: 'Window right', store: STORE_2 },
];
const RANK = ['OFFLINE', 'NOT_PLAYING_EXPECTED', 'ONLINE', 'UNKNOWN'];

describe(FleetService.name, () => {
  let h: PlaybackHarness;
  let rows: Map<string, Row>;

  beforeAll(async () => {
    h = await startPlayback();
    await h.publishStore(STORE_1, DEMO_TENANT_ID, 'Europe/London', [], {
      name: STORES[STORE_1]!,
      code: 'LON-OXF',
      regionId: REGION_SOUTH,
    });
    await h.publishStore(STORE_2, DEMO_TENANT_ID, 'Europe/London', [], {
      name: STORES[STORE_2]!,
      code: 'MAN-ARN',
      regionId: REGION_NORTH,
    });
    for (const d of DISPLAYS) await h.publishDisplay(d.id, DEMO_TENANT_ID, d.store, d.name);
    await waitFor(
      async () =>
        (await h.count('known_display', `name IS NOT NULL AND name <> 'Screen'`)) === DISPLAYS.length &&
        (await h.count('known_store', `name IS NOT NULL AND region_id IS NOT NULL`)) === 2,
      { message: 'the projections with names' },
    );
    // Two displays heard from now (online), two ten minutes ago at the same instant (offline, tied), the rest never.
    const now = h.clock.now();
    const beats = [
      heartbeat(now - 5_000, { displayId: DISPLAY_1 }),
      heartbeat(now - 2_000, { displayId: id(5) }),
      heartbeat(now - 600_000, { displayId: id(1) }),
      heartbeat(now - 600_000, { displayId: id(6) }),
    ];
    const res = await h.gql<{ recordPlayback: { accepted: number } }>(
      `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`,
      { i: { heartbeats: beats } },
      await h.token('hqAdmin'),
    );
    expect(res.data?.recordPlayback.accepted).toBe(4);
    await waitFor(async () => (await h.count('display_state', 'last_seen_at IS NOT NULL')) === 4, {
      message: 'the heartbeats written',
    });
    await h.evaluate();
    const all = await h.gql<Page>(QUERY, { first: 100 }, await h.token('hqAdmin'));
    expect(all.errors).toBeUndefined();
    rows = new Map(all.data!.fleetDisplays.edges.map((e) => [e.node.id, e.node]));
  }, 60_000);
  afterAll(() => h?.stop());

  async function walk(variables: Record<string, unknown>, first: number, who: 'hqAdmin' | 'staff' = 'hqAdmin') {
    const out: Row[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const r = await h.gql<Page>(QUERY, { ...variables, first, after }, await h.token(who));
      expect(r.errors).toBeUndefined();
      const conn: Page['fleetDisplays'] = r.data!.fleetDisplays;
      out.push(...conn.edges.map((e) => e.node));
      if (!conn.pageInfo.hasNextPage) {
        expect(conn.totalCount).toBe(out.length);
        return out;
      }
      after = conn.pageInfo.endCursor;
    }
    throw new Error('paging did not end');
  }

  it('lists the tenant’s displays with their health: online, offline and never heard from', () => {
    expect([...rows.keys()].sort()).toEqual(DISPLAYS.map((d) => d.id).sort());
    expect(rows.has(OTHER_DISPLAY)).toBe(false);
    expect(rows.get(DISPLAY_1)!.status).toBe('ONLINE');
    expect(rows.get(id(1))!.status).toBe('OFFLINE');
    expect(rows.get(id(2))).toMatchObject({ status: 'UNKNOWN', lastSeenAt: null });
  });

  const text = (d: { id: string }) => {
    const known = DISPLAYS.find((x) => x.id === d.id)!;
    return { name: known.name.toLowerCase(), store: STORES[known.store]!.toLowerCase() };
  };
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  const EXPECTED: Record<string, (a: Row, b: Row) => number> = {
    NAME: (a, b) => cmp(text(a).name, text(b).name) || cmp(text(a).store, text(b).store) || cmp(a.id, b.id),
    STORE: (a, b) => cmp(text(a).store, text(b).store) || cmp(text(a).name, text(b).name) || cmp(a.id, b.id),
    STATUS: (a, b) =>
      cmp(RANK.indexOf(a.status), RANK.indexOf(b.status)) ||
      cmp(text(a).store, text(b).store) ||
      cmp(text(a).name, text(b).name) ||
      cmp(a.id, b.id),
    LAST_SEEN: (a, b) =>
      cmp(a.lastSeenAt ? Date.parse(a.lastSeenAt) : 0, b.lastSeenAt ? Date.parse(b.lastSeenAt) : 0) || cmp(a.id, b.id),
  };

  it.each([
    ['NAME', 'ASC'],
    ['NAME', 'DESC'],
    ['STORE', 'ASC'],
    ['STORE', 'DESC'],
    ['STATUS', 'ASC'],
    ['STATUS', 'DESC'],
    ['LAST_SEEN', 'ASC'],
    ['LAST_SEEN', 'DESC'],
  ])('sorts by %s %s on the server, pages of 3 continuing each other, ties by id', async (field, direction) => {
    const paged = await walk({ order: { field, direction } }, 3);
    const sign = direction === 'ASC' ? 1 : -1;
    const expected = [...rows.values()].sort((a, b) => sign * EXPECTED[field]!(a, b)).map((r) => r.id);
    expect(paged.map((r) => r.id)).toEqual(expected);
    expect((await walk({ order: { field, direction } }, 100)).map((r) => r.id)).toEqual(expected);
  });

  it.each([
    ['status', { status: 'UNKNOWN' }, [DISPLAY_2, id(2), id(3), id(4)]],
    ['region', { regionId: REGION_NORTH }, [DISPLAY_2, id(2), id(5), id(6)]],
    ['store', { storeId: STORE_1 }, [DISPLAY_1, id(1), id(3), id(4)]],
    ['display name', { search: 'window' }, [DISPLAY_1, DISPLAY_2, id(6)]],
    ['store code', { search: 'man-arn' }, [DISPLAY_2, id(2), id(5), id(6)]],
    ['store name and status', { search: 'oxford', status: 'ONLINE' }, [DISPLAY_1]],
  ])('filters by %s on the server', async (_what, filter, ids) => {
    const got = await walk({ filter, order: { field: 'LAST_SEEN', direction: 'DESC' } }, 2);
    expect(got.map((r) => r.id).sort()).toEqual([...ids].sort());
  });

  it('shows store staff only their store', async () => {
    const got = await walk({}, 2, 'staff');
    expect(got.map((r) => r.id).sort()).toEqual([DISPLAY_1, id(1), id(3), id(4)].sort());
  });

  it.each([
    ['a cursor it did not issue', { after: 'bm90IGEgY3Vyc29y' }],
    ['a store id that is not one', { filter: { storeId: 'nope' } }],
    ['a region id that is not one', { filter: { regionId: 'nope' } }],
    ['a page too large', { first: 1000 }],
  ])('refuses %s with BAD_USER_INPUT', async (_what, variables) => {
    const r = await h.gql<Page>(QUERY, { first: 2, ...variables }, await h.token('hqAdmin'));
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a cursor of another order pages without an error', async () => {
    const first = await h.gql<Page>(QUERY, { first: 2, order: { field: 'NAME' } }, await h.token('hqAdmin'));
    const r = await h.gql<Page>(
      QUERY,
      { first: 2, after: first.data!.fleetDisplays.pageInfo.endCursor, order: { field: 'LAST_SEEN' } },
      await h.token('hqAdmin'),
    );
    expect(r.errors).toBeUndefined();
  });
});
