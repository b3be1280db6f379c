import { forbidden, notFound, readScope, Visibility, type StoreSet, type Viewer } from '@phub/kit';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { KnownDisplay } from './modules/projection/projection.entity.js';

export const PLAYBACK_READ_SCOPE = readScope('playback');

/**
 * Playback's adapter over the kit's visibility rule (packages/kit/src/visibility). Every query for
 * playback rows — and every load of a row a mutation changes — starts from `scoped()` or
 * `sqlFilter()`, so a resolver cannot forget a filter. A device's store is the one playback's
 * projection of location says its display stands in, not the one its token names.
 */
export class PlaybackScope extends Visibility {
  constructor(
    private readonly dataSource: DataSource,
    viewer: Viewer | null,
  ) {
    super(viewer, {
      domain: 'playback',
      deviceStore: async (tenantId, displayId) =>
        (
          await dataSource
            .getRepository(KnownDisplay)
            .findOne({ where: { id: displayId, tenantId }, select: { storeId: true } })
        )?.storeId ?? null,
    });
  }

  /** Store ids the viewer may see, or 'all' for the whole tenant. Partners need playback:read. */
  visibleStores(): Promise<StoreSet> {
    return this.stores();
  }

  /**
   * A query builder over `entity` limited to the viewer's tenant, stores and (for a device) display.
   * `columns` name the properties holding the store and display ids.
   */
  scoped<T extends ObjectLiteral>(
    entity: new () => T,
    alias: string,
    columns: { store: string; display: string },
  ): Promise<SelectQueryBuilder<T>> {
    return this.restrict(this.dataSource.getRepository(entity).createQueryBuilder(alias), columns);
  }

  /** Raw-SQL form of the same rule, for reports: a WHERE fragment and its parameters, starting at `$next`. */
  async sqlFilter(storeColumn: string, next: number): Promise<{ sql: string; params: unknown[] }> {
    await this.stores();
    if (this.isDevice) throw forbidden();
    return this.sqlWhere({ tenant: '"tenant_id"', store: storeColumn }, next);
  }

  /** FORBIDDEN unless the viewer may see this store (HQ and partners: any store of the tenant). */
  async assertStoreVisible(storeId: string): Promise<void> {
    const stores = await this.stores();
    if (this.isDevice) throw forbidden('A device cannot watch store alerts');
    if (stores !== 'all' && !stores.includes(storeId)) throw forbidden(`You have no access to store ${storeId}`);
  }

  /** Only a device for that very display, or an HQ admin (backfills), records playback for a display. */
  assertCanRecord(displayId: string): void {
    if (this.isHqAdmin || this.isOwnDisplay(displayId)) return;
    throw forbidden(`You may not record playback for display ${displayId}`);
  }

  /** HQ admins and editors for the tenant, store roles for their stores, acknowledge alerts. */
  assertCanAcknowledge(storeId: string): void {
    if (!this.canActInStore(storeId, { hqEditors: true })) throw forbidden('You may not acknowledge this alert');
  }

  notFound(entity: string, id: string) {
    return notFound(entity, id);
  }
}
