import { badInput, paginate, SortDirection, type Connection } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { PlaybackScope } from '../../scope.js';
import { tableName } from '../../tables.js';
import { DisplayStatus } from '../health/health.rules.js';
import { KnownDisplay } from '../projection/projection.entity.js';
import { FleetDisplayOrderField, type FleetDisplayFilter, type FleetDisplayOrder } from './fleet.input.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Worst first, as the fleet page shows its summary. */
export const STATUS_ORDER: readonly DisplayStatus[] = [
  DisplayStatus.OFFLINE,
  DisplayStatus.NOT_PLAYING_EXPECTED,
  DisplayStatus.ONLINE,
  DisplayStatus.UNKNOWN,
];

/**
 * The fleet as one list of displays: location's displays as playback knows them (names from location's events)
 * with their health, filtered and sorted in SQL, so that every page continues the order of the one before.
 */
export class FleetService {
  constructor(private readonly dataSource: DataSource) {}

  async list(
    scope: PlaybackScope,
    args: {
      first?: number | null;
      after?: string | null;
      filter?: FleetDisplayFilter | null;
      orderBy?: FleetDisplayOrder | null;
    },
  ): Promise<Connection<KnownDisplay>> {
    const qb = await scope.scoped(KnownDisplay, 'd', { store: 'storeId', display: 'id' });
    qb.andWhere('d.archivedAt IS NULL');
    const sql = this.sql();
    const filter = args.filter ?? {};
    if (filter.storeId) {
      if (!UUID.test(filter.storeId)) throw badInput('filter.storeId: not a store id', { field: 'filter.storeId' });
      qb.andWhere('d.storeId = :storeId', { storeId: filter.storeId });
    }
    if (filter.regionId) {
      if (!UUID.test(filter.regionId)) throw badInput('filter.regionId: not a region id', { field: 'filter.regionId' });
      qb.andWhere(`"d"."store_id" IN (SELECT ks."id" FROM ${sql.stores} ks WHERE ks."region_id" = :regionId)`, {
        regionId: filter.regionId,
      });
    }
    if (filter.status) qb.andWhere(`${sql.status} = :status`, { status: filter.status });
    if (filter.search?.trim()) {
      const pattern = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        `("d"."name" ILIKE :pattern OR EXISTS (SELECT 1 FROM ${sql.stores} ks
           WHERE ks."id" = "d"."store_id" AND (ks."name" ILIKE :pattern OR ks."code" ILIKE :pattern)))`,
        { pattern },
      );
    }
    const order = args.orderBy ?? { field: FleetDisplayOrderField.NAME, direction: SortDirection.ASC };
    return paginate(qb, {
      first: args.first,
      after: args.after,
      sortExpression: this.sortKey(order.field, sql),
      direction: order.direction,
    });
  }

  /** SQL over the row `d` (known_display): its status, store name and display name, never NULL. */
  private sql() {
    const state = tableName(this.dataSource, 'display_state');
    const stores = tableName(this.dataSource, 'known_store');
    return {
      stores,
      status: `COALESCE((SELECT ds."status" FROM ${state} ds WHERE ds."display_id" = "d"."id"), '${DisplayStatus.UNKNOWN}')`,
      lastSeen: `(SELECT ds."last_seen_at" FROM ${state} ds WHERE ds."display_id" = "d"."id")`,
      storeName: `COALESCE((SELECT lower(ks."name") FROM ${stores} ks WHERE ks."id" = "d"."store_id"), '')`,
      name: `lower(COALESCE("d"."name", ''))`,
    };
  }

  /**
   * One sortable text per order (text, so a cursor of another order cannot break the query); what ties on the
   * field goes by store and display name, then by id (paginate's tie-break).
   */
  private sortKey(field: FleetDisplayOrderField, sql: ReturnType<FleetService['sql']>): string {
    switch (field) {
      case FleetDisplayOrderField.STORE:
        return `${sql.storeName} || ' / ' || ${sql.name}`;
      case FleetDisplayOrderField.STATUS: {
        const rank = STATUS_ORDER.map((s, i) => `WHEN '${s}' THEN '${i}'`).join(' ');
        return `(CASE ${sql.status} ${rank} ELSE '9' END) || ' / ' || ${sql.storeName} || ' / ' || ${sql.name}`;
      }
      case FleetDisplayOrderField.LAST_SEEN:
        // Microseconds since the epoch, zero-padded (never seen: zero, the oldest); exact in the cursor.
        return `lpad(COALESCE((EXTRACT(EPOCH FROM ${sql.lastSeen}) * 1000000)::bigint, 0)::text, 20, '0')`;
      default:
        return `${sql.name} || ' / ' || ${sql.storeName}`;
    }
  }
}
