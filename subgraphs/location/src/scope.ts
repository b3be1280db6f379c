import { forbidden, hasHqRole, hasStoreRole, Role, unauthenticated, type Viewer } from '@phub/kit';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Display } from './modules/display/display.entity.js';
import { Store } from './modules/store/store.entity.js';

export const LOCATION_READ_SCOPE = 'location:read';
const NO_STORE = '00000000-0000-0000-0000-000000000000';

/**
 * The one place where tenant and store scoping happens for this subgraph.
 * Every query for location rows starts from `scoped()`, so a resolver cannot
 * forget a tenant or store filter.
 */
export class LocationScope {
  private deviceStoreId?: Promise<string | null>;

  constructor(
    private readonly dataSource: DataSource,
    readonly viewer: Viewer | null,
  ) {}

  /** The authenticated viewer, or UNAUTHENTICATED. */
  get who(): Viewer {
    if (!this.viewer) throw unauthenticated();
    return this.viewer;
  }

  get tenantId(): string {
    return this.who.tenantId;
  }

  /** Partners read the whole tenant only with the location:read scope. */
  private assertCanRead(): void {
    const v = this.who;
    if (v.roles.includes(Role.PARTNER) && !v.scopes.includes(LOCATION_READ_SCOPE)) {
      throw forbidden(`This API client lacks the ${LOCATION_READ_SCOPE} scope`);
    }
  }

  /** Store ids the viewer may see, or 'all' for the whole tenant. */
  async visibleStores(): Promise<'all' | string[]> {
    this.assertCanRead();
    const v = this.who;
    if (hasHqRole(v) || v.roles.includes(Role.PARTNER)) return 'all';
    if (v.roles.includes(Role.DEVICE) && v.displayId) {
      this.deviceStoreId ??= this.dataSource
        .getRepository(Display)
        .findOne({ where: { id: v.displayId, tenantId: v.tenantId }, select: { storeId: true } })
        .then((d) => d?.storeId ?? null);
      const storeId = await this.deviceStoreId;
      return storeId ? [storeId] : [];
    }
    if (hasStoreRole(v)) return v.storeIds;
    return [];
  }

  /**
   * A query builder over `entity` limited to the viewer's tenant and stores.
   * `store` names the column holding the store id (`id` for stores themselves),
   * null for tenant-wide rows such as regions; `display` names the display id
   * column on the display table, where a device sees only its own row.
   */
  async scoped<T extends ObjectLiteral>(
    entity: new () => T,
    alias: string,
    columns: { store: string | null; display?: string },
  ): Promise<SelectQueryBuilder<T>> {
    const stores = await this.visibleStores();
    const qb = this.dataSource
      .getRepository(entity)
      .createQueryBuilder(alias)
      .where(`${alias}.tenantId = :tenantId`, { tenantId: this.tenantId });
    const v = this.who;
    if (v.roles.includes(Role.DEVICE) && !hasHqRole(v) && !hasStoreRole(v)) {
      // A device credential reads its own display and that display's store, nothing else.
      if (columns.display) qb.andWhere(`${alias}.${columns.display} = :ownDisplay`, { ownDisplay: v.displayId });
      else if (columns.store !== 'id') qb.andWhere('1 = 0');
    }
    if (stores !== 'all' && columns.store) {
      qb.andWhere(`${alias}.${columns.store} IN (:...visibleStores)`, {
        visibleStores: stores.length ? stores : [NO_STORE],
      });
    } else if (stores !== 'all') {
      // Tenant-wide rows (regions) are visible to store roles only through their stores.
      const storeTable = this.dataSource.getRepository(Store).metadata.tablePath;
      qb.andWhere(`${alias}.id IN (SELECT s.region_id FROM ${storeTable} s WHERE s.id IN (:...visibleStores))`, {
        visibleStores: stores.length ? stores : [NO_STORE],
      });
    }
    return qb;
  }

  /** HQ admins manage everything in the tenant; store managers their own stores. */
  assertCanManageStore(storeId: string | null): void {
    const v = this.who;
    if (v.roles.includes(Role.HQ_ADMIN)) return;
    if (storeId && v.roles.includes(Role.STORE_MANAGER) && v.storeIds.includes(storeId)) return;
    throw forbidden();
  }

  assertHqAdmin(): void {
    if (!this.who.roles.includes(Role.HQ_ADMIN)) throw forbidden();
  }
}
