import { DEMO_TENANT_ID, Role, type AccessTokenClaims } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDisplayId, demoStoreId } from './demo/demo-data.js';
import { LocationScope } from './scope.js';
import { startLocation, type GraphQLResponse, type LocationHarness } from './testing/harness.js';

const STORE_1 = demoStoreId(1);
const STORE_2 = demoStoreId(2);
const OWN_DISPLAY = demoDisplayId(1, 1);
const OTHER_DISPLAY = demoDisplayId(2, 1);
const OTHER_TENANT = '11111111-1111-4111-8111-111111111111';

type Who =
  | 'anonymous'
  | 'hqAdmin'
  | 'hqEditor'
  | 'hqViewer'
  | 'manager'
  | 'staff'
  | 'partner'
  | 'partnerWriter'
  | 'partnerNoScope'
  | 'device';
const WHO: Who[] = [
  'anonymous',
  'hqAdmin',
  'hqEditor',
  'hqViewer',
  'manager',
  'staff',
  'partner',
  'partnerWriter',
  'partnerNoScope',
  'device',
];

const CLAIMS: Record<Exclude<Who, 'anonymous'>, Partial<AccessTokenClaims> & { tid: string; roles: Role[] }> = {
  hqAdmin: { tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] },
  hqEditor: { tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR] },
  hqViewer: { tid: DEMO_TENANT_ID, roles: [Role.HQ_VIEWER] },
  manager: { tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [STORE_1] },
  staff: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE_1] },
  partner: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'location:read' },
  // A retailer's ERP: store data only (write implies read).
  partnerWriter: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'location:write' },
  partnerNoScope: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'queue:read' },
  device: { tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: OWN_DISPLAY, stores: [STORE_1] },
};

/**
 * What a caller gets: data, an empty/null answer (out of scope), or an error code.
 * Rows outside a store role's stores are NOT_FOUND to it, so their existence does not leak.
 */
type Outcome = 'ok' | 'none' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'NOT_FOUND';

interface Operation {
  name: string;
  query: string;
  /** Creates what the operation acts on (as HQ admin) and returns its variables. */
  vars?: (h: LocationHarness, admin: string) => Promise<Record<string, unknown>>;
  /** Reads the answer's payload: null/[]/0 mean "none". */
  pick: (data: Record<string, unknown>) => unknown;
  expect: Record<Who, Outcome>;
}

const R = { anonymous: 'UNAUTHENTICATED' } as const;
const everyone = (o: Outcome, overrides: Partial<Record<Who, Outcome>> = {}): Record<Who, Outcome> =>
  ({
    ...Object.fromEntries(WHO.map((w) => [w, o])),
    ...R,
    ...overrides,
  }) as Record<Who, Outcome>;

async function createStore(h: LocationHarness, admin: string): Promise<string> {
  const code = `T${Math.random().toString(36).slice(2, 10)}`;
  const res = await h.gql<{ createStore: { id: string } }>(
    `mutation($i: CreateStoreInput!) { createStore(input: $i) { id } }`,
    { i: { name: `Temp ${code}`, code, timezone: 'Europe/London' } },
    admin,
  );
  return res.data!.createStore.id;
}
async function createIn(h: LocationHarness, admin: string, kind: 'Display' | 'Zone' | 'Device', storeId: string) {
  const input =
    kind === 'Display'
      ? { storeId, name: 'Temp display' }
      : kind === 'Zone'
        ? { storeId, name: 'Temp zone' }
        : { storeId, name: 'Temp device', kind: 'BEACON', serial: `S${Math.random().toString(36).slice(2, 12)}` };
  const res = await h.gql<Record<string, { id: string }>>(
    `mutation($i: Create${kind}Input!) { create${kind}(input: $i) { id } }`,
    { i: input },
    admin,
  );
  return res.data![`create${kind}`]!.id;
}

async function createGroup(h: LocationHarness, admin: string): Promise<string> {
  const res = await h.gql<{ createDisplayGroup: { id: string } }>(
    `mutation($n: String!) { createDisplayGroup(input: { name: $n }) { id } }`,
    { n: `Group ${Math.random()}` },
    admin,
  );
  return res.data!.createDisplayGroup.id;
}

const pickPath = (field: string) => (d: Record<string, unknown>) => d[field];
const pickTotal = (field: string) => (d: Record<string, unknown>) => (d[field] as { totalCount: number }).totalCount;

const manage = (o: Partial<Record<Who, Outcome>> = {}) => everyone('FORBIDDEN', { hqAdmin: 'ok', ...o });

const OPERATIONS: Operation[] = [
  {
    name: 'regions',
    query: `{ regions { id } }`,
    pick: (d) => (d.regions as unknown[]).length,
    expect: everyone('ok', { partnerNoScope: 'FORBIDDEN', device: 'none' }),
  },
  {
    name: 'stores',
    query: `{ stores { totalCount } }`,
    pick: pickTotal('stores'),
    expect: everyone('ok', { partnerNoScope: 'FORBIDDEN' }),
  },
  {
    name: 'store (own store)',
    query: `query($id: ID!) { store(id: $id) { id } }`,
    vars: async () => ({ id: STORE_1 }),
    pick: pickPath('store'),
    expect: everyone('ok', { partnerNoScope: 'FORBIDDEN' }),
  },
  {
    name: 'store (another store)',
    query: `query($id: ID!) { store(id: $id) { id } }`,
    vars: async () => ({ id: STORE_2 }),
    pick: pickPath('store'),
    expect: everyone('ok', { partnerNoScope: 'FORBIDDEN', manager: 'none', staff: 'none', device: 'none' }),
  },
  {
    name: 'displays',
    query: `{ displays { totalCount } }`,
    pick: pickTotal('displays'),
    expect: everyone('ok', { partnerNoScope: 'FORBIDDEN' }),
  },
  {
    name: 'display (own)',
    query: `query($id: ID!) { display(id: $id) { id } }`,
    vars: async () => ({ id: OWN_DISPLAY }),
    pick: pickPath('display'),
    expect: everyone('ok', { partnerNoScope: 'FORBIDDEN' }),
  },
  {
    name: 'display (another store)',
    query: `query($id: ID!) { display(id: $id) { id } }`,
    vars: async () => ({ id: OTHER_DISPLAY }),
    pick: pickPath('display'),
    expect: everyone('ok', { partnerNoScope: 'FORBIDDEN', manager: 'none', staff: 'none', device: 'FORBIDDEN' }),
  },
  {
    name: 'zone',
    query: `query($id: ID!) { zone(id: $id) { id } }`,
    vars: async (h, a) => ({ id: await createIn(h, a, 'Zone', STORE_1) }),
    pick: pickPath('zone'),
    expect: everyone('ok', { partnerNoScope: 'FORBIDDEN', device: 'none' }),
  },
  {
    name: 'device',
    query: `query($id: ID!) { device(id: $id) { id } }`,
    vars: async (h, a) => ({ id: await createIn(h, a, 'Device', STORE_1) }),
    pick: pickPath('device'),
    expect: everyone('ok', { partnerNoScope: 'FORBIDDEN', device: 'none' }),
  },
  {
    name: 'createRegion',
    query: `mutation($c: String!) { createRegion(input: { name: "R", code: $c }) { id } }`,
    vars: async () => ({ c: `R${Math.random().toString(36).slice(2, 9)}` }),
    pick: pickPath('createRegion'),
    expect: manage(),
  },
  {
    name: 'updateRegion',
    query: `mutation($id: ID!) { updateRegion(input: { id: $id, name: "R2" }) { id } }`,
    vars: async (h, a) => ({
      id: (
        await h.gql<{ createRegion: { id: string } }>(
          `mutation($c: String!) { createRegion(input: { name: "R", code: $c }) { id } }`,
          { c: `R${Math.random().toString(36).slice(2, 9)}` },
          a,
        )
      ).data!.createRegion.id,
    }),
    pick: pickPath('updateRegion'),
    expect: manage(),
  },
  {
    name: 'archiveRegion',
    query: `mutation($id: ID!) { archiveRegion(id: $id) { id } }`,
    vars: async (h, a) => ({
      id: (
        await h.gql<{ createRegion: { id: string } }>(
          `mutation($c: String!) { createRegion(input: { name: "R", code: $c }) { id } }`,
          { c: `R${Math.random().toString(36).slice(2, 9)}` },
          a,
        )
      ).data!.createRegion.id,
    }),
    pick: pickPath('archiveRegion'),
    expect: manage(),
  },
  {
    name: 'createStore',
    query: `mutation($c: String!) { createStore(input: { name: "S", code: $c, timezone: "UTC" }) { id } }`,
    vars: async () => ({ c: `S${Math.random().toString(36).slice(2, 9)}` }),
    pick: pickPath('createStore'),
    expect: manage({ partnerWriter: 'ok' }),
  },
  {
    name: 'updateStore (own store)',
    query: `mutation($id: ID!) { updateStore(input: { id: $id, tags: ["x"] }) { id } }`,
    vars: async () => ({ id: STORE_1 }),
    pick: pickPath('updateStore'),
    expect: manage({ manager: 'ok', partnerWriter: 'ok' }),
  },
  {
    name: 'updateStore (another store)',
    query: `mutation($id: ID!) { updateStore(input: { id: $id, tags: ["x"] }) { id } }`,
    vars: async (h, a) => ({ id: await createStore(h, a) }),
    pick: pickPath('updateStore'),
    expect: manage({ manager: 'NOT_FOUND', partnerWriter: 'ok' }),
  },
  {
    name: 'updateStore hours exceptions and contact (own store)',
    query: `mutation($id: ID!) { updateStore(input: { id: $id, openingHoursExceptions: [{ date: "2026-12-25", closed: true }], contact: { phone: "+44 20 7946 0000" } }) { id } }`,
    vars: async () => ({ id: STORE_1 }),
    pick: pickPath('updateStore'),
    expect: manage({ manager: 'ok', partnerWriter: 'ok' }),
  },
  {
    name: 'updateStore hours exceptions and contact (another store)',
    query: `mutation($id: ID!) { updateStore(input: { id: $id, openingHoursExceptions: [], contact: null }) { id } }`,
    vars: async (h, a) => ({ id: await createStore(h, a) }),
    pick: pickPath('updateStore'),
    expect: manage({ manager: 'NOT_FOUND', partnerWriter: 'ok' }),
  },
  {
    name: 'archiveStore',
    query: `mutation($id: ID!) { archiveStore(id: $id) { id } }`,
    vars: async (h, a) => ({ id: await createStore(h, a) }),
    pick: pickPath('archiveStore'),
    expect: manage(),
  },
  // Bulk changes of displays: as one display's, for every display named (store managers: their stores only).
  {
    name: 'archiveDisplays (own store)',
    query: `mutation($d: ID!) { archiveDisplays(displayIds: [$d]) { id } }`,
    vars: async (h, a) => ({ d: await createIn(h, a, 'Display', STORE_1) }),
    pick: pickPath('archiveDisplays'),
    expect: manage({ manager: 'ok' }),
  },
  {
    name: 'setDisplaysZone (another store)',
    query: `mutation($d: ID!) { setDisplaysZone(displayIds: [$d], zoneId: null) { id } }`,
    vars: async (h, a) => ({ d: await createIn(h, a, 'Display', STORE_2) }),
    pick: pickPath('setDisplaysZone'),
    expect: manage({ manager: 'NOT_FOUND' }),
  },
  // Display groups span stores: HQ people and partners read them, only HQ admins change them.
  {
    name: 'displayGroups',
    query: `{ displayGroups(first: 5) { totalCount } }`,
    vars: async (h, a) => ({ id: await createGroup(h, a) }),
    pick: pickTotal('displayGroups'),
    expect: everyone('ok', {
      manager: 'FORBIDDEN',
      staff: 'FORBIDDEN',
      device: 'FORBIDDEN',
      partnerNoScope: 'FORBIDDEN',
    }),
  },
  {
    name: 'createDisplayGroup',
    query: `mutation($n: String!) { createDisplayGroup(input: { name: $n }) { id } }`,
    vars: async () => ({ n: `Group ${Math.random()}` }),
    pick: pickPath('createDisplayGroup'),
    expect: manage(),
  },
  {
    name: 'addDisplaysToGroup',
    query: `mutation($id: ID!, $d: ID!) { addDisplaysToGroup(groupId: $id, displayIds: [$d]) { id } }`,
    vars: async (h, a) => ({ id: await createGroup(h, a), d: OTHER_DISPLAY }),
    pick: pickPath('addDisplaysToGroup'),
    expect: manage(),
  },
  ...(['Display', 'Zone', 'Device'] as const).flatMap((kind): Operation[] => {
    const createInput =
      kind === 'Display'
        ? `{ storeId: $s, name: "N" }`
        : kind === 'Zone'
          ? `{ storeId: $s, name: "N" }`
          : `{ storeId: $s, name: "N", kind: TABLET, serial: $serial }`;
    const serial = () => `X${Math.random().toString(36).slice(2, 12)}`;
    const params = kind === 'Device' ? '$s: ID!, $serial: String!' : '$s: ID!';
    return [
      {
        name: `create${kind} (own store)`,
        query: `mutation(${params}) { create${kind}(input: ${createInput}) { id } }`,
        vars: async () => ({ s: STORE_1, ...(kind === 'Device' ? { serial: serial() } : {}) }),
        pick: pickPath(`create${kind}`),
        expect: manage({ manager: 'ok' }),
      },
      {
        name: `create${kind} (another store)`,
        query: `mutation(${params}) { create${kind}(input: ${createInput}) { id } }`,
        vars: async () => ({ s: STORE_2, ...(kind === 'Device' ? { serial: serial() } : {}) }),
        pick: pickPath(`create${kind}`),
        expect: manage({ manager: 'NOT_FOUND' }),
      },
      {
        name: `update${kind} (own store)`,
        query: `mutation($id: ID!) { update${kind}(input: { id: $id, name: "Renamed" }) { id } }`,
        vars: async (h, a) => ({ id: await createIn(h, a, kind, STORE_1) }),
        pick: pickPath(`update${kind}`),
        expect: manage({ manager: 'ok' }),
      },
      {
        name: `archive${kind} (own store)`,
        query: `mutation($id: ID!) { archive${kind}(id: $id) { id } }`,
        vars: async (h, a) => ({ id: await createIn(h, a, kind, STORE_1) }),
        pick: pickPath(`archive${kind}`),
        expect: manage({ manager: 'ok' }),
      },
      {
        name: `archive${kind} (another store)`,
        query: `mutation($id: ID!) { archive${kind}(id: $id) { id } }`,
        vars: async (h, a) => ({ id: await createIn(h, a, kind, STORE_2) }),
        pick: pickPath(`archive${kind}`),
        expect: manage({ manager: 'NOT_FOUND' }),
      },
    ];
  }),
];

function outcomeOf(res: GraphQLResponse, pick: Operation['pick']): string {
  const code = res.errors?.[0]?.extensions?.code;
  if (code) return code;
  const value = res.data ? pick(res.data) : null;
  return value === null || value === undefined || value === 0 ? 'none' : 'ok';
}

describe(LocationScope.name, () => {
  let h: LocationHarness;
  const tokens = {} as Record<Who, string | undefined>;

  beforeAll(async () => {
    h = await startLocation();
    for (const who of WHO) tokens[who] = who === 'anonymous' ? undefined : await h.issuer.token(CLAIMS[who]);
  });
  afterAll(() => h?.stop());

  const cases = OPERATIONS.flatMap((op) => WHO.map((who) => [op.name, who, op.expect[who], op] as const));
  it.each(cases)('%s as %s → %s', async (_name, who, expected, op) => {
    const vars = op.vars ? await op.vars(h, tokens.hqAdmin!) : {};
    const res = await h.gql(op.query, vars, tokens[who]);
    expect(outcomeOf(res, op.pick), JSON.stringify(res.errors ?? res.data)).toBe(expected);
  });

  describe('another tenant', () => {
    let otherAdmin: string;
    let foreignStore: string;
    let foreignDisplay: string;

    beforeAll(async () => {
      otherAdmin = await h.issuer.token({ tid: OTHER_TENANT, roles: [Role.HQ_ADMIN] });
      foreignStore = await createStore(h, otherAdmin);
      foreignDisplay = await createIn(h, otherAdmin, 'Display', foreignStore);
    });

    it.each(WHO.filter((w) => w !== 'anonymous'))('is invisible to %s by id and by list', async (who) => {
      const byId = await h.gql<{ store: unknown; display: unknown }>(
        `query($s: ID!, $d: ID!) { store(id: $s) { id } display(id: $d) { id } }`,
        { s: foreignStore, d: foreignDisplay },
        tokens[who],
      );
      if (who === 'partnerNoScope' || who === 'device') {
        expect(byId.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        return;
      }
      expect(byId.errors).toBeUndefined();
      expect(byId.data).toEqual({ store: null, display: null });
      const list = await h.gql<{
        stores: { edges: { node: { id: string } }[] };
        displays: { edges: { node: { id: string } }[] };
      }>(
        `{ stores(first: 100, filter: { includeArchived: true }) { edges { node { id } } } displays(first: 100) { edges { node { id } } } }`,
        {},
        tokens[who],
      );
      expect(list.data!.stores.edges.map((e) => e.node.id)).not.toContain(foreignStore);
      expect(list.data!.displays.edges.map((e) => e.node.id)).not.toContain(foreignDisplay);
    });

    // Whoever may make the change by role gets NOT_FOUND: a row of another tenant does not exist for it.
    const FOREIGN_WRITE: Record<Exclude<Who, 'anonymous'>, { updateStore: Outcome; archiveDisplay: Outcome }> = {
      hqAdmin: { updateStore: 'NOT_FOUND', archiveDisplay: 'NOT_FOUND' },
      hqEditor: { updateStore: 'FORBIDDEN', archiveDisplay: 'FORBIDDEN' },
      hqViewer: { updateStore: 'FORBIDDEN', archiveDisplay: 'FORBIDDEN' },
      manager: { updateStore: 'NOT_FOUND', archiveDisplay: 'NOT_FOUND' },
      staff: { updateStore: 'FORBIDDEN', archiveDisplay: 'FORBIDDEN' },
      partner: { updateStore: 'FORBIDDEN', archiveDisplay: 'FORBIDDEN' },
      partnerWriter: { updateStore: 'NOT_FOUND', archiveDisplay: 'FORBIDDEN' },
      partnerNoScope: { updateStore: 'FORBIDDEN', archiveDisplay: 'FORBIDDEN' },
      device: { updateStore: 'FORBIDDEN', archiveDisplay: 'FORBIDDEN' },
    };

    it.each(WHO.filter((w) => w !== 'anonymous'))('cannot be changed by %s', async (who) => {
      const expected = FOREIGN_WRITE[who as Exclude<Who, 'anonymous'>];
      const res = await h.gql(
        `mutation($s: ID!) { updateStore(input: { id: $s, name: "hacked" }) { id } }`,
        { s: foreignStore },
        tokens[who],
      );
      expect(res.errors?.[0]?.extensions?.code).toBe(expected.updateStore);
      const archive = await h.gql(
        `mutation($d: ID!) { archiveDisplay(id: $d) { id } }`,
        { d: foreignDisplay },
        tokens[who],
      );
      expect(archive.errors?.[0]?.extensions?.code).toBe(expected.archiveDisplay);
      const still = await h.gql<{ store: { name: string }; display: { archivedAt: string | null } }>(
        `query($s: ID!, $d: ID!) { store(id: $s) { name } display(id: $d) { archivedAt } }`,
        { s: foreignStore, d: foreignDisplay },
        otherAdmin,
      );
      expect(still.data).toEqual({ store: { name: expect.stringMatching(/^Temp /) }, display: { archivedAt: null } });
    });
  });

  describe('a display moved to another store', () => {
    it('takes its device off the old store at once, before the token (which names the old store) expires', async () => {
      const admin = tokens.hqAdmin!;
      const displayId = await createIn(h, admin, 'Display', STORE_1);
      const device = await h.issuer.token({
        tid: DEMO_TENANT_ID,
        roles: [Role.DEVICE],
        did: displayId,
        stores: [STORE_1],
      });
      const read = () =>
        h.gql<{ old: { id: string } | null; now: { id: string } | null; own: { store: { id: string } } | null }>(
          `query($a: ID!, $b: ID!, $d: ID!) { old: store(id: $a) { id } now: store(id: $b) { id } own: display(id: $d) { store { id } } }`,
          { a: STORE_1, b: STORE_2, d: displayId },
          device,
        );
      expect((await read()).data).toEqual({ old: { id: STORE_1 }, now: null, own: { store: { id: STORE_1 } } });
      const moved = await h.gql(
        `mutation($d: ID!, $s: ID!) { updateDisplay(input: { id: $d, storeId: $s }) { id } }`,
        { d: displayId, s: STORE_2 },
        admin,
      );
      expect(moved.errors).toBeUndefined();
      expect((await read()).data).toEqual({ old: null, now: { id: STORE_2 }, own: { store: { id: STORE_2 } } });
    });
  });
});
