import { forbidden, hasHqRole, hasStoreRole, notFound, Role, unauthenticated, type Viewer } from '@phub/kit';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export const PLAYBACK_READ_SCOPE = 'playback:read';
const NO_STORE = '00000000-0000-0000-0000-000000000000';

/**
 * The one place where tenant, store and display scoping happens for this subgraph.
 * Every query for playback rows starts from `scoped()`, so a resolver cannot forget a filter.
 */
export class PlaybackScope {
  constructor(
    private readonly dataSource: DataSource,
    readonly viewer: Viewer | null,
  ) {}

  get who(): Viewer {
    if (!this.viewer) throw unauthenticated();
    return this.viewer;
  }

  get tenantId(): string {
    return this.who.tenantId;
  }

  /** A device credential on its own (not also a person). */
  get isDevice(): boolean {
    const v = this.who;
    return v.roles.includes(Role.DEVICE) && !hasHqRole(v) && !hasStoreRole(v);
  }

  /** Store ids the viewer may see, or 'all' for the whole tenant. Partners need playback:read. */
  visibleStores(): 'all' | string[] {
    const v = this.who;
    if (hasHqRole(v)) return 'all';
    if (v.roles.includes(Role.PARTNER)) {
      if (!v.scopes.includes(PLAYBACK_READ_SCOPE))
        throw forbidden(`This API client lacks the ${PLAYBACK_READ_SCOPE} scope`);
      return 'all';
    }
    if (hasStoreRole(v)) return v.storeIds;
    if (v.roles.includes(Role.DEVICE)) return v.storeIds;
    return [];
  }

  /**
   * A query builder over `entity` limited to the viewer's tenant, stores and (for a device) display.
   * `columns` name the properties holding the store and display ids.
   */
  scoped<T extends ObjectLiteral>(
    entity: new () => T,
    alias: string,
    columns: { store: string; display: string },
  ): SelectQueryBuilder<T> {
    const stores = this.visibleStores();
    const qb = this.dataSource
      .getRepository(entity)
      .createQueryBuilder(alias)
      .where(`${alias}.tenantId = :tenantId`, { tenantId: this.tenantId });
    if (this.isDevice) qb.andWhere(`${alias}.${columns.display} = :ownDisplay`, { ownDisplay: this.who.displayId });
    if (stores !== 'all') {
      qb.andWhere(`${alias}.${columns.store} IN (:...visibleStores)`, {
        visibleStores: stores.length ? stores : [NO_STORE],
      });
    }
    return qb;
  }

  /** Raw-SQL form of the same rule, for reports: a WHERE fragment and its parameters, starting at `$next`. */
  sqlFilter(storeColumn: string, next: number): { sql: string; params: unknown[] } {
    const stores = this.visibleStores();
    if (this.isDevice) throw forbidden();
    const params: unknown[] = [this.tenantId];
    let sql = `"tenant_id" = $${next}`;
    if (stores !== 'all') {
      params.push(stores.length ? stores : [NO_STORE]);
      sql += ` AND ${storeColumn} = ANY($${next + 1}::uuid[])`;
    }
    return { sql, params };
  }

  /** FORBIDDEN unless the viewer may see this store (HQ and partners: any store of the tenant). */
  assertStoreVisible(storeId: string): void {
    const stores = this.visibleStores();
    if (this.isDevice) throw forbidden('A device cannot watch store alerts');
    if (stores !== 'all' && !stores.includes(storeId)) throw forbidden(`You have no access to store ${storeId}`);
  }

  /** Only a device for that very display, or an HQ admin (backfills), records playback for a display. */
  assertCanRecord(displayId: string): void {
    const v = this.who;
    if (v.roles.includes(Role.HQ_ADMIN)) return;
    if (v.roles.includes(Role.DEVICE) && v.displayId === displayId) return;
    throw forbidden(`You may not record playback for display ${displayId}`);
  }

  /** HQ roles for the tenant, store roles for their stores, acknowledge alerts. */
  assertCanAcknowledge(storeId: string): void {
    const v = this.who;
    if (hasHqRole(v) && !v.roles.every((r) => r === Role.HQ_VIEWER)) return;
    if (hasStoreRole(v) && v.storeIds.includes(storeId)) return;
    throw forbidden('You may not acknowledge this alert');
  }

  assertHqAdmin(): void {
    if (!this.who.roles.includes(Role.HQ_ADMIN)) throw forbidden();
  }

  notFound(entity: string, id: string) {
    return notFound(entity, id);
  }
}
