import { badInput } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { PlaybackScope } from '../../scope.js';
import { tableName } from '../../tables.js';
import { type PlaybackReport, type PlaybackReportRow, ReportDimension } from './report.input.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ROWS = 10_000;

const COLUMNS: Record<ReportDimension, { sql: string; key: keyof PlaybackReportRow }> = {
  [ReportDimension.DAY]: { sql: `to_char("day", 'YYYY-MM-DD')`, key: 'day' },
  [ReportDimension.CAMPAIGN]: { sql: '"campaign_id"', key: 'campaignId' },
  [ReportDimension.CREATIVE]: { sql: '"creative_id"', key: 'creativeId' },
  [ReportDimension.STORE]: { sql: '"store_id"', key: 'storeId' },
};
const ORDER: ReportDimension[] = [
  ReportDimension.DAY,
  ReportDimension.CAMPAIGN,
  ReportDimension.CREATIVE,
  ReportDimension.STORE,
];

export interface ReportFilter {
  from: string;
  to: string;
  campaignId?: string | null;
  creativeId?: string | null;
  storeId?: string | null;
  groupBy: ReportDimension[];
}

/** Reports read the daily rollups (campaign × creative × store × display × day), never raw plays. */
export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly maxDays: number,
  ) {}

  async report(scope: PlaybackScope, filter: ReportFilter): Promise<PlaybackReport> {
    const { where, params } = this.where(scope, filter);
    const dims = ORDER.filter((d) => filter.groupBy.includes(d));
    const select = dims.map((d) => `${COLUMNS[d].sql} AS "${COLUMNS[d].key}"`);
    const metrics = `sum("plays")::bigint AS "plays", sum("play_ms")::bigint AS "playTimeMs", count(DISTINCT "display_id")::int AS "displays"`;
    const table = tableName(this.dataSource, 'play_rollup');
    const groupSql = dims.length
      ? `GROUP BY ${dims.map((_, i) => i + 1).join(', ')} ORDER BY ${dims.map((_, i) => i + 1).join(', ')}`
      : '';
    const rows = (await this.dataSource.query(
      `SELECT ${[...select, metrics].join(', ')} FROM ${table} WHERE ${where} ${groupSql} LIMIT ${MAX_ROWS + 1}`,
      params,
    )) as Record<string, unknown>[];
    if (rows.length > MAX_ROWS) throw badInput(`The report has more than ${MAX_ROWS} rows; narrow it down`);
    const [total] = (await this.dataSource.query(`SELECT ${metrics} FROM ${table} WHERE ${where}`, params)) as Record<
      string,
      unknown
    >[];
    return { rows: rows.filter((r) => r['plays'] !== null).map(toRow), totals: toRow(total ?? {}) };
  }

  /** The same report as CSV: grouped columns, then plays, playTimeMs, displays. */
  async csv(scope: PlaybackScope, filter: ReportFilter): Promise<string> {
    const report = await this.report(scope, filter);
    const dims = ORDER.filter((d) => filter.groupBy.includes(d)).map((d) => COLUMNS[d].key);
    const header = [...dims, 'plays', 'playTimeMs', 'displays'];
    const lines = report.rows.map((r) => header.map((k) => csvCell(r[k as keyof PlaybackReportRow])).join(','));
    return [header.join(','), ...lines].join('\n') + '\n';
  }

  private where(scope: PlaybackScope, f: ReportFilter): { where: string; params: unknown[] } {
    if (!DAY.test(f.from) || Number.isNaN(Date.parse(f.from))) throw badInput('from: must be a day, YYYY-MM-DD');
    if (!DAY.test(f.to) || Number.isNaN(Date.parse(f.to))) throw badInput('to: must be a day, YYYY-MM-DD');
    const days = (Date.parse(f.to) - Date.parse(f.from)) / 86_400_000;
    if (days < 0) throw badInput('to: must not be before from');
    if (days + 1 > this.maxDays) throw badInput(`A report covers at most ${this.maxDays} days`);
    for (const [name, value] of Object.entries({
      campaignId: f.campaignId,
      creativeId: f.creativeId,
      storeId: f.storeId,
    })) {
      if (value && !UUID.test(value)) throw badInput(`${name}: must be a UUID`);
    }
    const scoped = scope.sqlFilter('"store_id"', 1);
    const params = [...scoped.params];
    const parts = [scoped.sql];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      parts.push(sql.replace('?', `$${params.length}`));
    };
    add('"day" >= ?::date', f.from);
    add('"day" <= ?::date', f.to);
    if (f.campaignId) add('"campaign_id" = ?', f.campaignId);
    if (f.creativeId) add('"creative_id" = ?', f.creativeId);
    if (f.storeId) add('"store_id" = ?', f.storeId);
    return { where: parts.join(' AND '), params };
  }
}

function toRow(r: Record<string, unknown>): PlaybackReportRow {
  return {
    day: (r['day'] as string | undefined) ?? null,
    campaignId: (r['campaignId'] as string | undefined) ?? null,
    creativeId: (r['creativeId'] as string | undefined) ?? null,
    storeId: (r['storeId'] as string | undefined) ?? null,
    plays: Number(r['plays'] ?? 0),
    playTimeMs: Number(r['playTimeMs'] ?? 0),
    displays: Number(r['displays'] ?? 0),
  };
}

function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
