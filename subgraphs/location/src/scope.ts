import { forbidden, NO_ID, readScope, Visibility, writeScope, type Viewer } from '@phub/kit';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Display } from './modules/display/display.entity.js';
import { Store } from './modules/store/store.entity.js';

export const LOCATION_READ_SCOPE = readScope('location');
export const LOCATION_WRITE_SCOPE = writeScope('location');

/**
 * Location's adapter over the kit's visibility rule (packages/kit/src/visibility). Every query for
 * location rows, including the rows a mutation changes, starts from `scoped()`, so a resolver
 * cannot forget a tenant or store filter. A device's store is its display's store in this table.
 */
export class LocationScope extends Visibility {
  constructor(
    private readonly dataSource: DataSource,
    viewer: Viewer | null,
  ) {
    super(viewer, {
      domain: 'location',
      deviceStore: async (tenantId, displayId) =>
        (
          await dataSource
            .getRepository(Display)
            .findOne({ where: { id: displayId, tenantId }, select: { storeId: true } })
        )?.storeId ?? null,
    });
  }

  /** Store ids the viewer may see, or 'all' for the whole tenant. */
  visibleStores() {
    return this.stores();
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
    const qb = await this.restrict(this.dataSource.getRepository(entity).createQueryBuilder(alias), {
      store: columns.store,
      display: columns.display,
      // A device reads its own display and that display's store, nothing else.
      deviceSees: columns.store === 'id' ? 'own-store' : 'nothing',
    });
    const stores = await this.stores();
    if (columns.store === null && stores !== 'all') {
      // Tenant-wide rows (regions) are visible to store roles only through their stores.
      const storeTable = this.dataSource.getRepository(Store).metadata.tablePath;
      qb.andWhere(`${alias}.id IN (SELECT s.region_id FROM ${storeTable} s WHERE s.id IN (:...visibleStores))`, {
        visibleStores: stores.length ? [...stores] : [NO_ID],
      });
    }
    return qb;
  }

  /**
   * Store data (details, opening hours) as a retailer's ERP keeps it: HQ admins, store managers for
   * their own stores (not new ones), partners with location:write.
   */
  assertCanEditStoreData(storeId: string | null): void {
    if (this.canManageStore(storeId) || this.partnerMayWrite) return;
    throw forbidden(
      this.isPartner ? `This API client lacks the ${LOCATION_WRITE_SCOPE} scope` : 'You cannot change this store',
    );
  }
}
