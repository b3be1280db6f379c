import type { Clock } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { tableName } from '../../tables.js';
import type { Line } from '../line/line.entity.js';
import { estimateWaitMs, type LineLoad, SERVICE_SAMPLES } from './estimate.rules.js';

// Service times older than this no longer describe the line's pace.
const WINDOW_MS = 3 * 60 * 60 * 1000;

/** Reads a line's load from the tables and applies the estimate rule (README.md). */
export class EstimateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly defaultServiceMs: number,
  ) {}

  async load(line: Pick<Line, 'id' | 'tenantId' | 'storeId'>): Promise<LineLoad> {
    const ds = this.dataSource;
    const since = new Date(this.clock.now() - WINDOW_MS);
    const [samples, desks, busy] = await Promise.all([
      ds.query(
        `SELECT extract(epoch FROM ("served_at" - "called_at")) * 1000 AS "ms" FROM ${tableName(ds, 'ticket')}
         WHERE "line_id" = $1 AND "state" = 'SERVED' AND "served_at" >= $2 AND "called_at" IS NOT NULL
         ORDER BY "served_at" DESC LIMIT ${SERVICE_SAMPLES}`,
        [line.id, since],
      ) as Promise<{ ms: string }[]>,
      ds.query(
        `SELECT count(*)::int AS "n" FROM ${tableName(ds, 'desk')}
         WHERE "tenant_id" = $1 AND "store_id" = $2 AND "archived_at" IS NULL AND "staff_user_id" IS NOT NULL
           AND (cardinality("line_ids") = 0 OR $3 = ANY("line_ids"))`,
        [line.tenantId, line.storeId, line.id],
      ) as Promise<{ n: number }[]>,
      ds.query(
        `SELECT count(*)::int AS "n" FROM ${tableName(ds, 'ticket')} WHERE "line_id" = $1 AND "state" = 'CALLED'`,
        [line.id],
      ) as Promise<{ n: number }[]>,
    ]);
    return {
      recentServiceMs: samples.map((r) => Math.max(0, Number(r.ms))),
      defaultServiceMs: this.defaultServiceMs,
      staffedDesks: desks[0]?.n ?? 0,
      busy: busy[0]?.n ?? 0,
    };
  }

  /** Expected minutes until a ticket with `ahead` waiting tickets before it is called. */
  async waitMinutes(line: Pick<Line, 'id' | 'tenantId' | 'storeId'>, ahead: number): Promise<number> {
    return Math.round((estimateWaitMs(await this.load(line), ahead) / 60_000) * 10) / 10;
  }
}
