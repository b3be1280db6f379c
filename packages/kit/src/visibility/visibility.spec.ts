import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { createTestDatabase } from '../testing/index.js';
import { Role, type Viewer } from '../auth/viewer.js';
import { DomainError } from '../errors.js';
import { isPartnerScope, PARTNER_SCOPES } from './scopes.js';
import { Visibility, type StoreSet } from './visibility.js';

const TENANT = '00000000-0000-4000-8000-00000000d3e0';
const OTHER_TENANT = '11111111-1111-4111-8111-111111111111';
const S1 = '00000000-0000-4000-8000-0000000005a1';
const S2 = '00000000-0000-4000-8000-0000000005a2';
const D1 = '00000000-0000-4000-8000-000000000d11';
const D2 = '00000000-0000-4000-8000-000000000d21';

const viewer = (over: Partial<Viewer>): Viewer => ({
  kind: 'user',
  subject: 'someone',
  tenantId: TENANT,
  roles: [],
  storeIds: [],
  scopes: [],
  tokenId: 'jti',
  expiresAt: 0,
  ...over,
});

const VIEWERS = {
  hqAdmin: viewer({ roles: [Role.HQ_ADMIN] }),
  hqEditor: viewer({ roles: [Role.HQ_EDITOR] }),
  hqViewer: viewer({ roles: [Role.HQ_VIEWER] }),
  manager: viewer({ roles: [Role.STORE_MANAGER], storeIds: [S1] }),
  staff: viewer({ roles: [Role.STORE_STAFF], storeIds: [S1] }),
  partnerRead: viewer({ kind: 'partner', roles: [Role.PARTNER], scopes: ['location:read'] }),
  partnerWrite: viewer({ kind: 'partner', roles: [Role.PARTNER], scopes: ['location:write'] }),
  partnerOtherDomain: viewer({ kind: 'partner', roles: [Role.PARTNER], scopes: ['queue:read', 'queue:write'] }),
  // Roles besides PARTNER on a partner token grant nothing: no HQ exemption from the scope check.
  partnerWithHqRole: viewer({ kind: 'partner', roles: [Role.PARTNER, Role.HQ_ADMIN], scopes: [] }),
  // The token says S1; the subgraph's record of D1 says S2 (the display was moved).
  device: viewer({ kind: 'device', roles: [Role.DEVICE], displayId: D1, storeIds: [S1] }),
  deviceUnknown: viewer({ kind: 'device', roles: [Role.DEVICE], displayId: D2, storeIds: [S1] }),
  noRole: viewer({ roles: [] }),
} satisfies Record<string, Viewer>;
type Who = keyof typeof VIEWERS;

/** The subgraph's own record of displays: D1 now stands in S2; D2 is unknown to it. */
const recorded = new Map([[`${TENANT}/${D1}`, S2]]);
const rule = {
  domain: 'location' as const,
  deviceStore: (tenantId: string, displayId: string) =>
    Promise.resolve(recorded.get(`${tenantId}/${displayId}`) ?? null),
};

interface Expectation {
  stores: StoreSet | 'FORBIDDEN';
  partnerMayWrite: boolean;
  hqAdmin: boolean;
  /** canManageStore(S1), canManageStore(S1, { hqEditors }), canManageStore(S2) */
  manage: [boolean, boolean, boolean];
  /** canActInStore(S1), canActInStore(S1, { hqEditors }), canActInStore(S2) */
  act: [boolean, boolean, boolean];
}

const TABLE: Record<Who, Expectation> = {
  hqAdmin: {
    stores: 'all',
    partnerMayWrite: false,
    hqAdmin: true,
    manage: [true, true, true],
    act: [true, true, true],
  },
  hqEditor: {
    stores: 'all',
    partnerMayWrite: false,
    hqAdmin: false,
    manage: [false, true, false],
    act: [false, true, false],
  },
  hqViewer: {
    stores: 'all',
    partnerMayWrite: false,
    hqAdmin: false,
    manage: [false, false, false],
    act: [false, false, false],
  },
  manager: {
    stores: [S1],
    partnerMayWrite: false,
    hqAdmin: false,
    manage: [true, true, false],
    act: [true, true, false],
  },
  staff: {
    stores: [S1],
    partnerMayWrite: false,
    hqAdmin: false,
    manage: [false, false, false],
    act: [true, true, false],
  },
  partnerRead: {
    stores: 'all',
    partnerMayWrite: false,
    hqAdmin: false,
    manage: [false, false, false],
    act: [false, false, false],
  },
  partnerWrite: {
    stores: 'all',
    partnerMayWrite: true,
    hqAdmin: false,
    manage: [false, false, false],
    act: [false, false, false],
  },
  partnerOtherDomain: {
    stores: 'FORBIDDEN',
    partnerMayWrite: false,
    hqAdmin: false,
    manage: [false, false, false],
    act: [false, false, false],
  },
  partnerWithHqRole: {
    stores: 'FORBIDDEN',
    partnerMayWrite: false,
    hqAdmin: false,
    manage: [false, false, false],
    act: [false, false, false],
  },
  device: {
    stores: [S2],
    partnerMayWrite: false,
    hqAdmin: false,
    manage: [false, false, false],
    act: [false, false, false],
  },
  deviceUnknown: {
    stores: [],
    partnerMayWrite: false,
    hqAdmin: false,
    manage: [false, false, false],
    act: [false, false, false],
  },
  noRole: {
    stores: [],
    partnerMayWrite: false,
    hqAdmin: false,
    manage: [false, false, false],
    act: [false, false, false],
  },
};

const codeOf = async (work: () => unknown): Promise<string | null> => {
  try {
    await work();
    return null;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
};

@Entity({ name: 'thing' })
class Thing {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'store_id', type: 'uuid', nullable: true })
  storeId: string | null;

  @Column({ name: 'display_id', type: 'uuid', nullable: true })
  displayId: string | null;
}

const ROWS: Thing[] = [
  { id: 'tenant-wide', tenantId: TENANT, storeId: null, displayId: null },
  { id: 's1', tenantId: TENANT, storeId: S1, displayId: null },
  { id: 's2', tenantId: TENANT, storeId: S2, displayId: null },
  { id: 's1-d1', tenantId: TENANT, storeId: S1, displayId: D1 },
  { id: 's2-d1', tenantId: TENANT, storeId: S2, displayId: D1 },
  { id: 's2-d2', tenantId: TENANT, storeId: S2, displayId: D2 },
  { id: 'other-tenant', tenantId: OTHER_TENANT, storeId: S1, displayId: D1 },
];

/** Ids each viewer sees through restrict() with { store, display } and through sqlWhere(): the same set. */
const SEES: Partial<Record<Who, string[]>> = {
  hqAdmin: ['s1', 's1-d1', 's2', 's2-d1', 's2-d2', 'tenant-wide'],
  // Tenant-wide rows (store null, nullStoreIsTenantWide) beside their stores' rows.
  manager: ['s1', 's1-d1', 'tenant-wide'],
  staff: ['s1', 's1-d1', 'tenant-wide'],
  partnerRead: ['s1', 's1-d1', 's2', 's2-d1', 's2-d2', 'tenant-wide'],
  // Its own display's rows in the store its display stands in now; not the old store's.
  device: ['s2-d1'],
  deviceUnknown: [],
  noRole: ['tenant-wide'],
};

describe(Visibility.name, () => {
  const whos = Object.keys(VIEWERS) as Who[];

  it.each(whos)('%s: stores, write scope and store roles', async (who) => {
    const v = new Visibility(VIEWERS[who], rule);
    const e = TABLE[who];
    if (e.stores === 'FORBIDDEN') {
      expect(await codeOf(() => v.stores())).toBe('FORBIDDEN');
      expect(await codeOf(() => v.assertCanRead())).toBe('FORBIDDEN');
    } else {
      expect(await v.stores()).toEqual(e.stores);
    }
    expect(v.partnerMayWrite).toBe(e.partnerMayWrite);
    expect(v.isHqAdmin).toBe(e.hqAdmin);
    expect([v.canManageStore(S1), v.canManageStore(S1, { hqEditors: true }), v.canManageStore(S2)]).toEqual(e.manage);
    expect([v.canActInStore(S1), v.canActInStore(S1, { hqEditors: true }), v.canActInStore(S2)]).toEqual(e.act);
    expect(await codeOf(() => v.assertHqAdmin())).toBe(e.hqAdmin ? null : 'FORBIDDEN');
  });

  it('is UNAUTHENTICATED without a viewer', async () => {
    const v = new Visibility(null, rule);
    expect(await codeOf(() => v.stores())).toBe('UNAUTHENTICATED');
    expect(await codeOf(() => v.tenantId)).toBe('UNAUTHENTICATED');
    expect(v.isDevice || v.isPartner || v.isPerson).toBe(false);
  });

  it('looks a device store up once per request', async () => {
    let lookups = 0;
    const v = new Visibility(VIEWERS.device, {
      domain: 'location',
      deviceStore: async () => {
        lookups += 1;
        return S2;
      },
    });
    await Promise.all([v.stores(), v.stores(), v.canSeeStore(S1)]);
    expect(lookups).toBe(1);
    expect(await v.canSeeStore(S1)).toBe(false);
    expect(await v.canSeeStore(S2)).toBe(true);
  });

  it('takes a device store from the token only where the subgraph keeps no record of displays', () => {
    expect(new Visibility(VIEWERS.device, { domain: 'queue' }).storesFromToken()).toEqual([S1]);
    expect(() => new Visibility(VIEWERS.device, rule).storesFromToken()).toThrow(/stores\(\)/);
  });

  it('knows the own display of a device only', () => {
    expect(new Visibility(VIEWERS.device, rule).isOwnDisplay(D1)).toBe(true);
    expect(new Visibility(VIEWERS.device, rule).isOwnDisplay(D2)).toBe(false);
    expect(new Visibility(viewer({ roles: [Role.HQ_ADMIN], displayId: D1 }), rule).isOwnDisplay(D1)).toBe(false);
  });

  it('grants write scopes only where a subgraph enforces them', () => {
    expect(PARTNER_SCOPES).toContain('location:write');
    expect(PARTNER_SCOPES).toContain('queue:write');
    expect(isPartnerScope('campaign:write')).toBe(false);
    expect(isPartnerScope('playback:write')).toBe(false);
  });

  describe('query filters on real Postgres', () => {
    let drop: () => Promise<void>;
    let ds: DataSource;

    beforeAll(async () => {
      const db = await createTestDatabase();
      drop = db.drop;
      ds = new DataSource({ type: 'postgres', url: db.url, entities: [Thing], synchronize: true, logging: false });
      await ds.initialize();
      await ds.getRepository(Thing).insert(ROWS);
    });
    afterAll(async () => {
      await ds?.destroy();
      await drop?.();
    });

    const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

    it.each(Object.keys(SEES) as Who[])('%s sees its rows through restrict() and sqlWhere()', async (who) => {
      const v = new Visibility(VIEWERS[who], rule);
      const qb = await v.restrict(ds.getRepository(Thing).createQueryBuilder('t'), {
        store: 'storeId',
        nullStoreIsTenantWide: true,
        display: 'displayId',
      });
      expect(ids(await qb.getMany())).toEqual(SEES[who]);
      const where = await v.sqlWhere({ tenant: '"tenant_id"', store: '"store_id"', display: '"display_id"' }, 2);
      const rows = (await ds.query(`SELECT id FROM thing WHERE id <> $1 AND (${where.sql})`, [
        'nothing',
        ...where.params,
      ])) as { id: string }[];
      // sqlWhere has no tenant-wide form: a row without a store is outside any store list.
      const tenantWideSeen = TABLE[who].stores === 'all';
      expect(ids(rows)).toEqual(SEES[who]!.filter((id) => id !== 'tenant-wide' || tenantWideSeen));
    });

    it('hides rows without a display from a device unless its store’s own rows are asked for', async () => {
      const device = new Visibility(VIEWERS.device, rule);
      const none = await device.restrict(ds.getRepository(Thing).createQueryBuilder('t'), { store: 'storeId' });
      expect(await none.getMany()).toEqual([]);
      const ownStore = await device.restrict(ds.getRepository(Thing).createQueryBuilder('t'), {
        store: 'storeId',
        deviceSees: 'own-store',
      });
      expect(ids(await ownStore.getMany())).toEqual(['s2', 's2-d1', 's2-d2']);
    });

    it('keeps store roles to their stores on rows without a display and tenant-wide rows out unless asked', async () => {
      const manager = new Visibility(VIEWERS.manager, rule);
      const qb = await manager.restrict(ds.getRepository(Thing).createQueryBuilder('t'), { store: 'storeId' });
      expect(ids(await qb.getMany())).toEqual(['s1', 's1-d1']);
    });
  });
});
