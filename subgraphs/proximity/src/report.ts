import { badInput, Public } from '@phub/kit';
import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { ProximityContext } from './context.js';
import { ProximityReportFilter, storeRef, ZoneHour } from './graph.types.js';
import { REPORT_READERS, type ProximityScope } from './scope.js';
import { tableName } from './tables.js';

const DAY_MS = 86_400_000;

/** Footfall and dwell per zone per hour, from the rollup the receiver keeps (never from raw events). */
export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly maxDays: number,
  ) {}

  async report(scope: ProximityScope, filter: ProximityReportFilter): Promise<ZoneHour[]> {
    scope.assertCanRead();
    const from = filter.from.getTime();
    const to = filter.to.getTime();
    if (!(Number.isFinite(from) && Number.isFinite(to) && from < to))
      throw badInput('`from` must be before `to`', { fields: [{ field: 'filter.to' }] });
    if (to - from > this.maxDays * DAY_MS)
      throw badInput(`A report covers at most ${this.maxDays} days`, { fields: [{ field: 'filter.to' }] });
    const stores = scope.visibleStores();
    // Stores the viewer may not see are simply absent (as if nothing happened there).
    const rows = (await this.dataSource.query(
      `SELECT "store_id", "zone_id", "hour", "enters", "exits", "dwell_seconds", "dwells"
       FROM ${tableName(this.dataSource, 'zone_hour')}
       WHERE "tenant_id" = $1 AND "hour" >= $2 AND "hour" < $3
         AND ($4::uuid IS NULL OR "store_id" = $4) AND ($5::uuid IS NULL OR "zone_id" = $5)
         AND ($6::uuid[] IS NULL OR "store_id" = ANY($6))
       ORDER BY "hour", "store_id", "zone_id"
       LIMIT 50000`,
      [
        scope.tenantId,
        filter.from,
        filter.to,
        filter.storeId ?? null,
        filter.zoneId ?? null,
        stores === 'all' ? null : [...stores],
      ],
    )) as {
      store_id: string;
      zone_id: string;
      hour: Date;
      enters: number;
      exits: number;
      dwell_seconds: string;
      dwells: number;
    }[];
    return rows.map((r) =>
      Object.assign(new ZoneHour(), {
        storeId: r.store_id,
        store: storeRef(r.store_id),
        zoneId: r.zone_id,
        hour: r.hour,
        footfall: r.enters,
        exits: r.exits,
        dwells: r.dwells,
        averageDwellSeconds: r.dwells ? Number(r.dwell_seconds) / r.dwells : null,
      }),
    );
  }
}

@Resolver()
export class ReportResolver {
  constructor(private readonly reports: ReportService) {}

  @Public()
  @Authorized(...REPORT_READERS)
  @Query(() => [ZoneHour], {
    description:
      'Footfall (zone enters) and dwell per zone per hour: HQ (the tenant), store managers and staff (their stores), partners with proximity:read. Counts only, never a device',
  })
  proximityReport(
    @Ctx() ctx: ProximityContext,
    @Arg('filter', () => ProximityReportFilter) filter: ProximityReportFilter,
  ): Promise<ZoneHour[]> {
    return this.reports.report(ctx.scope, filter);
  }
}
