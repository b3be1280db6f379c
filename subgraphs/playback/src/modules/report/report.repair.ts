import type { Clock, DataSource, Logger } from '@phub/kit';
import { DateTime } from 'luxon';
import { NO_CAMPAIGN } from '../../tables.js';

export interface RollupRepairResult {
  from: string;
  to: string;
  tenants: number;
  /** Per-display rows (`play_rollup`) rebuilt from raw plays. */
  rollups: number;
  complete: boolean;
}

// Per-day tables keyed by (tenant, day, …): rebuilt by delete and re-derive over the window.
const DAILY = [
  'play_rollup',
  'play_daily',
  'display_campaign_day',
  'campaign_daily',
  'display_creative_day',
  'creative_daily',
  'display_day',
  'store_daily',
] as const;

/**
 * Rebuilds the report rollups of recent days from raw plays, so a rollup that drifted (a bug, a manual
 * fix of raw rows, a store's time zone learnt after its first plays) is right again: the truth is `play`.
 * One transaction per tenant; it first takes a lock that the ingest writer's rollup upserts wait for (and that
 * waits for a writer in flight), so no batch is counted twice or lost while a tenant's days are rebuilt.
 * Days are each store's own, as the writer counts them. Raw plays older than retention are gone, so the window
 * must stay well inside PLAYBACK_RAW_RETENTION_DAYS.
 */
export class RollupRepair {
  private readonly s: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: { days: number },
  ) {
    this.s = `"${dataSource.driver.schema ?? 'playback'}"`;
  }

  /** Rebuilds the last `days` days (and today), by UTC date; a store whose local day differs is covered too. */
  async repairRecent(signal?: AbortSignal): Promise<RollupRepairResult> {
    const today = DateTime.fromMillis(this.clock.now(), { zone: 'UTC' }).startOf('day');
    return this.repair(
      today.minus({ days: this.options.days }).toISODate()!,
      today.plus({ days: 1 }).toISODate()!,
      signal,
    );
  }

  /** Rebuilds every rollup for store-local days `from`..`to` (inclusive, `YYYY-MM-DD`). */
  async repair(from: string, to: string, signal?: AbortSignal): Promise<RollupRepairResult> {
    const s = this.s;
    const tenants = (await this.dataSource.query(
      // Raw plays of the window (±14 h of time zones) name the tenants; rollups without plays are cleared too.
      `SELECT DISTINCT "tenant_id" FROM ${s}."play"
         WHERE "started_at" >= $1::date - interval '1 day' AND "started_at" < $2::date + interval '2 days'
       UNION
       SELECT DISTINCT "tenant_id" FROM ${s}."play_rollup" WHERE "day" BETWEEN $1::date AND $2::date`,
      [from, to],
    )) as { tenant_id: string }[];
    let rollups = 0;
    for (const { tenant_id: tenantId } of tenants) {
      if (signal?.aborted) {
        this.logger.info({ from, to, rollups }, 'rollup repair stopped early; the next run does it again');
        return { from, to, tenants: tenants.length, rollups, complete: false };
      }
      rollups += await this.repairTenant(tenantId, from, to);
    }
    return { from, to, tenants: tenants.length, rollups, complete: true };
  }

  private repairTenant(tenantId: string, from: string, to: string): Promise<number> {
    const s = this.s;
    return this.dataSource.transaction(async (m) => {
      // The writer's statement takes ROW EXCLUSIVE on play_rollup; this mode conflicts with it both ways.
      await m.query(`LOCK TABLE ${s}."play_rollup" IN SHARE ROW EXCLUSIVE MODE`);
      for (const table of DAILY) {
        await m.query(`DELETE FROM ${s}."${table}" WHERE "tenant_id" = $1 AND "day" BETWEEN $2::date AND $3::date`, [
          tenantId,
          from,
          to,
        ]);
      }
      // Reach keeps a bit per day of the year: clear the window's bits, then set them again from plays.
      await m.query(
        `UPDATE ${s}."play_reach" r SET "days" = r."days" & ~w."mask"
         FROM (
           SELECT extract(year FROM d)::smallint AS "year",
             bit_or(set_bit(B'0'::bit(366), extract(doy FROM d)::int - 1, 1)) AS "mask"
           FROM generate_series($2::date, $3::date, interval '1 day') AS d
           GROUP BY 1
         ) w
         WHERE r."tenant_id" = $1 AND r."year" = w."year"`,
        [tenantId, from, to],
      );
      await m.query(
        `INSERT INTO ${s}."play_rollup" ("tenant_id", "day", "campaign_id", "creative_id", "store_id", "display_id", "plays", "play_ms")
         SELECT * FROM (
           SELECT p."tenant_id",
             (p."started_at" AT TIME ZONE COALESCE(k."timezone", 'UTC'))::date AS "day",
             COALESCE(p."campaign_id", '${NO_CAMPAIGN}'::uuid), p."creative_id", p."store_id", p."display_id",
             count(*), sum(p."duration_ms")
           FROM ${s}."play" p
           LEFT JOIN ${s}."known_store" k ON k."id" = p."store_id"
           WHERE p."tenant_id" = $1
             AND p."started_at" >= $2::date - interval '1 day' AND p."started_at" < $3::date + interval '2 days'
           GROUP BY 1, 2, 3, 4, 5, 6
         ) x
         WHERE x."day" BETWEEN $2::date AND $3::date`,
        [tenantId, from, to],
      );
      const [{ n }] = (await m.query(
        `SELECT count(*)::int AS "n" FROM ${s}."play_rollup" WHERE "tenant_id" = $1 AND "day" BETWEEN $2::date AND $3::date`,
        [tenantId, from, to],
      )) as [{ n: number }];
      // The rest is derived from play_rollup, as the migration's backfill derives it.
      const window = `"tenant_id" = $1 AND "day" BETWEEN $2::date AND $3::date`;
      const params = [tenantId, from, to];
      await m.query(
        `INSERT INTO ${s}."play_daily"
         SELECT "tenant_id", "day", "campaign_id", "creative_id", "store_id", sum("plays"), sum("play_ms"), count(*)
         FROM ${s}."play_rollup" WHERE ${window} GROUP BY 1, 2, 3, 4, 5`,
        params,
      );
      for (const [presence, counts, key] of [
        ['display_campaign_day', 'campaign_daily', 'campaign_id'],
        ['display_creative_day', 'creative_daily', 'creative_id'],
      ] as const) {
        await m.query(
          `INSERT INTO ${s}."${presence}"
           SELECT DISTINCT "tenant_id", "day", "${key}", "store_id", "display_id" FROM ${s}."play_rollup" WHERE ${window}`,
          params,
        );
        await m.query(
          `INSERT INTO ${s}."${counts}"
           SELECT "tenant_id", "day", "${key}", "store_id", count(*) FROM ${s}."${presence}" WHERE ${window}
           GROUP BY 1, 2, 3, 4`,
          params,
        );
      }
      await m.query(
        `INSERT INTO ${s}."display_day"
         SELECT DISTINCT "tenant_id", "day", "store_id", "display_id" FROM ${s}."play_rollup" WHERE ${window}`,
        params,
      );
      await m.query(
        `INSERT INTO ${s}."store_daily"
         SELECT "tenant_id", "day", "store_id", count(*) FROM ${s}."display_day" WHERE ${window} GROUP BY 1, 2, 3`,
        params,
      );
      await m.query(
        `INSERT INTO ${s}."play_reach" AS r
         SELECT "tenant_id", "campaign_id", "creative_id", "store_id", "display_id", extract(year FROM "day")::smallint,
           bit_or(set_bit(B'0'::bit(366), extract(doy FROM "day")::int - 1, 1))
         FROM ${s}."play_rollup" WHERE ${window} GROUP BY 1, 2, 3, 4, 5, 6
         ON CONFLICT ("tenant_id", "campaign_id", "creative_id", "store_id", "display_id", "year")
         DO UPDATE SET "days" = r."days" | EXCLUDED."days"`,
        params,
      );
      return n;
    });
  }
}
