import type { Clock } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { tableName } from '../../tables.js';
import { estimateWaitMs, type LineLoad, SERVICE_SAMPLES } from './estimate.rules.js';

// Service times older than this no longer describe the line's pace.
export const WINDOW_MS = 3 * 60 * 60 * 1000;

/** A line's load for the estimate, and how many tickets wait in it. */
export interface LineState extends LineLoad {
  waiting: number;
}

/** Reads lines' load from the tables (a few queries for any number of lines) and applies the rule (README.md). */
export class EstimateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly defaultServiceMs: number,
  ) {}

  async loadMany(lineIds: readonly string[]): Promise<Map<string, LineState>> {
    const ds = this.dataSource;
    const ids = [...new Set(lineIds)];
    const since = new Date(this.clock.now() - WINDOW_MS);
    const ticket = tableName(ds, 'ticket');
    const [samples, desks, counts] = await Promise.all([
      ds.query(
        `SELECT "line_id", "ms" FROM (
           SELECT "line_id", extract(epoch FROM ("served_at" - "called_at")) * 1000 AS "ms",
             row_number() OVER (PARTITION BY "line_id" ORDER BY "served_at" DESC) AS "r"
           FROM ${ticket}
           WHERE "line_id" = ANY($1::uuid[]) AND "state" = 'SERVED' AND "served_at" >= $2 AND "called_at" IS NOT NULL
         ) s WHERE "r" <= ${SERVICE_SAMPLES} ORDER BY "line_id", "r"`,
        [ids, since],
      ) as Promise<{ line_id: string; ms: string }[]>,
      ds.query(
        `SELECT l."id" AS "line_id", count(d."id")::int AS "n"
         FROM ${tableName(ds, 'line')} l
         LEFT JOIN ${tableName(ds, 'desk')} d ON d."tenant_id" = l."tenant_id" AND d."store_id" = l."store_id"
           AND d."archived_at" IS NULL AND d."staff_user_id" IS NOT NULL
           AND (cardinality(d."line_ids") = 0 OR l."id" = ANY(d."line_ids"))
         WHERE l."id" = ANY($1::uuid[]) GROUP BY l."id"`,
        [ids],
      ) as Promise<{ line_id: string; n: number }[]>,
      ds.query(
        `SELECT "line_id", count(*) FILTER (WHERE "state" = 'CALLED')::int AS "busy",
           count(*) FILTER (WHERE "state" = 'NEW' AND NOT "parked")::int AS "waiting"
         FROM ${ticket} WHERE "line_id" = ANY($1::uuid[]) AND "state" IN ('NEW', 'CALLED') GROUP BY "line_id"`,
        [ids],
      ) as Promise<{ line_id: string; busy: number; waiting: number }[]>,
    ]);
    return new Map(
      ids.map((id) => {
        const c = counts.find((r) => r.line_id === id);
        return [
          id,
          {
            recentServiceMs: samples.filter((r) => r.line_id === id).map((r) => Math.max(0, Number(r.ms))),
            defaultServiceMs: this.defaultServiceMs,
            staffedDesks: desks.find((r) => r.line_id === id)?.n ?? 0,
            busy: c?.busy ?? 0,
            waiting: c?.waiting ?? 0,
          },
        ];
      }),
    );
  }

  /** Expected minutes until a ticket with `ahead` waiting tickets before it is called, rounded to 0.1. */
  static minutes(load: LineLoad, ahead: number): number {
    return Math.round((estimateWaitMs(load, ahead) / 60_000) * 10) / 10;
  }
}
