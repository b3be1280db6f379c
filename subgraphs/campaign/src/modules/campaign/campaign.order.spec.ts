import { DEMO_TENANT_ID, Role } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, createCampaign } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness } from '../../testing/harness.js';
import { CampaignService } from './campaign.service.js';

interface Row {
  id: string;
  name: string;
  status: string;
  priority: number;
  updatedAt: string;
}
interface Page {
  campaigns: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: Row }[];
  };
}

const RANK = ['LIVE', 'PAUSED', 'APPROVED', 'IN_REVIEW', 'DRAFT', 'ENDED', 'ARCHIVED'];
const byId = (a: Row, b: Row) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byName = (a: Row, b: Row) => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};
/** The order each field promises, ascending: its key, then name (where the key ties), then id. */
const EXPECTED: Record<string, (a: Row, b: Row) => number> = {
  NAME: (a, b) => byName(a, b) || byId(a, b),
  STATUS: (a, b) => RANK.indexOf(a.status) - RANK.indexOf(b.status) || byName(a, b) || byId(a, b),
  PRIORITY: (a, b) => a.priority - b.priority || byName(a, b) || byId(a, b),
  UPDATED: (a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || byId(a, b),
};

describe(`${CampaignService.name} orderBy`, () => {
  let h: CampaignHarness;
  let admin: string;
  const prefix = `Order ${Math.random().toString(36).slice(2, 7)}`;

  beforeAll(async () => {
    h = await startCampaign();
    admin = await h.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
    // Ties on purpose: equal names, equal priorities and equal statuses straddle the page boundaries below.
    const made: string[] = [];
    for (const [name, priority] of [
      ['b', 5],
      ['a', 5],
      ['a', 5],
      ['c', -20],
      ['a', 700],
      ['d', 5],
      ['b', 0],
    ] as const) {
      const r = await createCampaign(h, admin, { name: `${prefix} ${name}`, priority });
      expect(r.errors).toBeUndefined();
      made.push(r.data!.createCampaign.id);
    }
    expect((await act(h, admin, 'submitCampaign', made[0]!)).errors).toBeUndefined();
    expect((await act(h, admin, 'submitCampaign', made[3]!)).errors).toBeUndefined();
    expect((await act(h, admin, 'approveCampaign', made[3]!)).errors).toBeUndefined();
  }, 60_000);
  afterAll(() => h?.stop());

  async function walk(field: string, direction: string, first: number): Promise<Row[]> {
    const rows: Row[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const r = await h.gql<Page>(
        `query($first: Int!, $after: String, $search: String, $order: CampaignOrder) {
          campaigns(first: $first, after: $after, filter: { search: $search }, orderBy: $order) {
            totalCount pageInfo { hasNextPage endCursor } edges { node { id name status priority updatedAt } } } }`,
        { first, after, search: prefix, order: { field, direction } },
        admin,
      );
      expect(r.errors).toBeUndefined();
      const conn: Page['campaigns'] = r.data!.campaigns;
      expect(conn.totalCount).toBe(7);
      rows.push(...conn.edges.map((e) => e.node));
      if (!conn.pageInfo.hasNextPage) return rows;
      after = conn.pageInfo.endCursor;
    }
    throw new Error('paging did not end');
  }

  it.each([
    ['NAME', 'ASC'],
    ['NAME', 'DESC'],
    ['STATUS', 'ASC'],
    ['STATUS', 'DESC'],
    ['PRIORITY', 'ASC'],
    ['PRIORITY', 'DESC'],
    ['UPDATED', 'ASC'],
    ['UPDATED', 'DESC'],
  ])('sorts by %s %s across pages of 2, every campaign once, ties by name then id', async (field, direction) => {
    const rows = await walk(field, direction, 2);
    expect(new Set(rows.map((r) => r.id)).size).toBe(7);
    const sign = direction === 'ASC' ? 1 : -1;
    const expected = [...rows].sort((a, b) => sign * EXPECTED[field]!(a, b));
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    // One page holds the same order as many.
    expect((await walk(field, direction, 100)).map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('without orderBy, lists by name as before', async () => {
    const rows = await walk('NAME', 'ASC', 3);
    const r = await h.gql<Page>(
      `query($s: String) { campaigns(first: 100, filter: { search: $s }) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name status priority updatedAt } } } }`,
      { s: prefix },
      admin,
    );
    expect(r.data!.campaigns.edges.map((e) => e.node.id)).toEqual(rows.map((x) => x.id));
  });

  it('refuses a cursor it did not issue with BAD_USER_INPUT, and an unknown field by validation', async () => {
    const r = await h.gql<Page>(
      `{ campaigns(first: 2, after: "bm90IGEgY3Vyc29y", orderBy: { field: STATUS }) { totalCount } }`,
      {},
      admin,
    );
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const bad = await h.gql<Page>(`{ campaigns(first: 2, orderBy: { field: REACH }) { totalCount } }`, {}, admin);
    expect(bad.errors?.length).toBeGreaterThan(0);
  });
});
