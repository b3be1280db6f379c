import { badInput } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { PlaybackScope } from '../../scope.js';
import { NO_CAMPAIGN, tableName } from '../../tables.js';
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

/**
 * Reports never read raw plays. Sums (plays, play time) come from `play_daily` (day × campaign × creative ×
 * store). "Displays reached" must count each display once over the whole group: without a DAY dimension from
 * `play_reach` (a bit per day, one row per display and campaign); by day from the per-day, per-store counts
 * the writer keeps (`play_daily`, `campaign_daily`, `creative_daily`, `store_daily`). Days are store-local
 * (see the writer).
 */
export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly maxDays: number,
  ) {}

  async report(scope: PlaybackScope, filter: ReportFilter): Promise<PlaybackReport> {
    this.validate(filter);
    const dims = ORDER.filter((d) => filter.groupBy.includes(d));
    // Sums add up, so the totals' plays and play time come from the rows; displays do not (one display is in
    // many groups), so the totals need their own reach query — unless there are no groups at all.
    const [rows, reach, totalReach] = await Promise.all([
      this.sums(scope, filter, dims),
      this.reach(scope, filter, dims),
      dims.length ? this.reach(scope, filter, []) : null,
    ]);
    if (rows.length > MAX_ROWS) throw badInput(`The report has more than ${MAX_ROWS} rows; narrow it down`);
    const keyOf = (r: Record<string, unknown>) => dims.map((d) => String(r[COLUMNS[d].key])).join('|');
    const sum = (key: string) => rows.reduce((n, r) => n + Number(r[key] ?? 0), 0);
    const totals = toRow({
      plays: sum('plays'),
      playTimeMs: sum('playTimeMs'),
      displays: [...(totalReach ?? reach).values()][0] ?? 0,
    });
    // Without groups the one row is the totals.
    return {
      rows: dims.length ? rows.map((r) => toRow({ ...r, displays: reach.get(keyOf(r)) ?? 0 })) : [totals],
      totals,
    };
  }

  /** The same report as CSV: grouped columns, then plays, playTimeMs, displays. */
  async csv(scope: PlaybackScope, filter: ReportFilter): Promise<string> {
    const report = await this.report(scope, filter);
    const dims = ORDER.filter((d) => filter.groupBy.includes(d)).map((d) => COLUMNS[d].key);
    const header = [...dims, 'plays', 'playTimeMs', 'displays'];
    const lines = report.rows.map((r) => header.map((k) => csvCell(r[k as keyof PlaybackReportRow])).join(','));
    return [header.join(','), ...lines].join('\n') + '\n';
  }

  private async sums(scope: PlaybackScope, f: ReportFilter, dims: ReportDimension[]) {
    const { where, params } = await this.where(scope, f, { days: true });
    const select = [...dims.map((d) => `${COLUMNS[d].sql} AS "${COLUMNS[d].key}"`), SUMS];
    return (await this.dataSource.query(
      `SELECT ${select.join(', ')} FROM ${this.table('play_daily')} WHERE ${where} ${groupBy(dims)} LIMIT ${MAX_ROWS + 1}`,
      params,
    )) as Record<string, unknown>[];
  }

  /** Distinct displays per group, keyed like the sums' rows (dimension values joined by `|`). */
  private async reach(scope: PlaybackScope, f: ReportFilter, dims: ReportDimension[]): Promise<Map<string, number>> {
    const select = dims.map((d) => `${COLUMNS[d].sql} AS "${COLUMNS[d].key}"`);
    let sql: string;
    let params: unknown[];
    if (!dims.includes(ReportDimension.DAY)) {
      // One row per display, campaign, creative and year; a bit mask per year picks the days in range.
      const w = await this.where(scope, f, { days: false });
      params = w.params;
      const years = yearMasks(f.from, f.to).map(({ year, mask }) => {
        params.push(year, mask);
        return `("year" = $${params.length - 1} AND "days" & $${params.length}::bit(366) <> B'0'::bit(366))`;
      });
      sql = `SELECT ${[...select, 'count(DISTINCT "display_id")::int AS "displays"'].join(', ')}
        FROM ${this.table('play_reach')} WHERE ${w.where} AND (${years.join(' OR ')}) ${groupBy(dims)}`;
    } else {
      const w = await this.where(scope, f, { days: true });
      params = w.params;
      const byCampaign = !!f.campaignId || dims.includes(ReportDimension.CAMPAIGN);
      const byCreative = !!f.creativeId || dims.includes(ReportDimension.CREATIVE);
      const outer = dims.map((d) => `${COLUMNS[d].sql} AS "${COLUMNS[d].key}"`);
      // Per-store display counts add up across stores (a display is in one store at a time).
      const counted = byCreative
        ? byCampaign
          ? 'play_daily'
          : 'creative_daily'
        : byCampaign
          ? 'campaign_daily'
          : 'store_daily';
      sql = `SELECT ${[...outer, 'COALESCE(sum("displays"), 0)::int AS "displays"'].join(', ')}
        FROM ${this.table(counted)} WHERE ${w.where} ${groupBy(dims)}`;
    }
    const rows = (await this.dataSource.query(sql, params)) as Record<string, unknown>[];
    return new Map(rows.map((r) => [dims.map((d) => String(r[COLUMNS[d].key])).join('|'), Number(r['displays'] ?? 0)]));
  }

  private table(name: string): string {
    return tableName(this.dataSource, name);
  }

  private validate(f: ReportFilter): void {
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
  }

  private async where(
    scope: PlaybackScope,
    f: ReportFilter,
    o: { days: boolean },
  ): Promise<{ where: string; params: unknown[] }> {
    const scoped = await scope.sqlFilter('"store_id"', 1);
    const params = [...scoped.params];
    const parts = [scoped.sql];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      parts.push(sql.replace('?', `$${params.length}`));
    };
    if (o.days) {
      add('"day" >= ?::date', f.from);
      add('"day" <= ?::date', f.to);
    }
    if (f.campaignId) add('"campaign_id" = ?', f.campaignId);
    if (f.creativeId) add('"creative_id" = ?', f.creativeId);
    if (f.storeId) add('"store_id" = ?', f.storeId);
    return { where: parts.join(' AND '), params };
  }
}

const SUMS = `COALESCE(sum("plays"), 0)::bigint AS "plays", COALESCE(sum("play_ms"), 0)::bigint AS "playTimeMs"`;

function groupBy(dims: ReportDimension[]): string {
  if (!dims.length) return '';
  const n = dims.map((_, i) => i + 1).join(', ');
  return `GROUP BY ${n} ORDER BY ${n}`;
}

/** For each calendar year the range touches, a 366-bit mask (bit i = day-of-year i + 1) of the days in range. */
export function yearMasks(from: string, to: string): { year: number; mask: string }[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const masks: { year: number; mask: string }[] = [];
  for (let year = new Date(start).getUTCFullYear(); year <= new Date(end).getUTCFullYear(); year++) {
    const jan1 = Date.UTC(year, 0, 1);
    const first = Math.max(start, jan1);
    const last = Math.min(end, Date.UTC(year, 11, 31));
    const a = Math.round((first - jan1) / 86_400_000);
    const b = Math.round((last - jan1) / 86_400_000);
    masks.push({ year, mask: '0'.repeat(a) + '1'.repeat(b - a + 1) + '0'.repeat(366 - b - 1) });
  }
  return masks;
}

function toRow(r: Record<string, unknown>): PlaybackReportRow {
  const campaignId = (r['campaignId'] as string | undefined) ?? null;
  return {
    day: (r['day'] as string | undefined) ?? null,
    campaignId: campaignId === NO_CAMPAIGN ? null : campaignId,
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
