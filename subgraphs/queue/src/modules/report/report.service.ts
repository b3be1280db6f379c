import { forbidden, hasHqRole, Role, type StoreSet } from '@phub/kit';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import type { QueueScope } from '../../scope.js';
import { isUuid, tableName } from '../../tables.js';
import { dayInvalid, idInvalid, rangeInverted, rangeTooLong, tooManyRows } from './report.errors.js';
import {
  QueueReportDimension,
  type QueueReport,
  type QueueReportFilter,
  type QueueReportHour,
  type QueueReportRow,
} from './report.input.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_ROWS = 10_000;
const ORDER = [QueueReportDimension.DAY, QueueReportDimension.STORE, QueueReportDimension.LINE];
const KEY_SQL: Record<'day' | 'storeId' | 'lineId', string> = {
  day: `to_char(r."day", 'YYYY-MM-DD')`,
  storeId: 'r."store_id"',
  lineId: 'r."line_id"',
};
type Key = keyof typeof KEY_SQL;
type Raw = Record<string, unknown>;

/**
 * Queue reports read the `line_day` rollup (one row per line and store-local day, kept by a trigger on
 * `ticket`), never the tickets: counts are sums, percentiles are percentile_cont over the day rows' samples,
 * and served-per-hour sums the rows' hour arrays. Why rollups, and the measurements: README.md here.
 */
export class QueueReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly maxDays: number,
  ) {}

  /** `totals: false` leaves the totals' percentiles and hours out when there are groups (they need their own pass). */
  async report(scope: QueueScope, filter: QueueReportFilter, { totals: wantTotals = true } = {}): Promise<QueueReport> {
    this.validate(filter);
    const stores = reportStores(scope);
    if (filter.storeId && stores !== 'all' && !stores.includes(filter.storeId)) {
      throw forbidden(`You have no access to the reports of store ${filter.storeId}`);
    }
    const dims = ORDER.filter((d) => filter.groupBy.includes(d));
    const keys = keysOf(dims);
    const where = this.where(scope.tenantId, stores, filter);
    const hourly = dims.includes(QueueReportDimension.DAY) && (keys.includes('storeId') || oneStore(filter));
    const totalsHourly = filter.from === filter.to && oneStore(filter);
    const [rows, waits, services, hours, total, totalWaits, totalServices, totalHours] = await Promise.all([
      this.counts(keys, where),
      this.percentiles(keys, where, 'wait_ms'),
      this.percentiles(keys, where, 'service_ms'),
      hourly ? this.hours(keys, where) : null,
      keys.length ? this.counts([], where) : null,
      keys.length && wantTotals ? this.percentiles([], where, 'wait_ms') : null,
      keys.length && wantTotals ? this.percentiles([], where, 'service_ms') : null,
      totalsHourly && (wantTotals || !keys.length) ? this.hours([], where) : null,
    ]);
    if (rows.length > MAX_ROWS) throw tooManyRows(MAX_ROWS);
    const zones = await this.zones([...rows, ...(total ?? [])], filter);
    const build = (
      k: Key[],
      r: Raw,
      w: Map<string, number[]>,
      s: Map<string, number[]>,
      h: Map<string, Raw[]> | null,
    ) =>
      toRow(
        r,
        w.get(keyOf(k, r)),
        s.get(keyOf(k, r)),
        h ? servedPerHour(r, h.get(keyOf(k, r)) ?? [], zones, filter) : [],
      );
    const built = rows.map((r) => build(keys, r, waits, services, hours));
    const totals = keys.length
      ? build([], total![0] ?? {}, totalWaits ?? new Map(), totalServices ?? new Map(), totalHours)
      : build([], rows[0] ?? {}, waits, services, totalHours);
    // Without groups the one row is the totals.
    return { rows: keys.length ? built : [totals], totals };
  }

  private validate(f: QueueReportFilter): void {
    const from = DAY.test(f.from) ? DateTime.fromISO(f.from, { zone: 'UTC' }) : null;
    const to = DAY.test(f.to) ? DateTime.fromISO(f.to, { zone: 'UTC' }) : null;
    if (!from?.isValid) throw dayInvalid('from');
    if (!to?.isValid) throw dayInvalid('to');
    const days = to.diff(from, 'days').days;
    if (days < 0) throw rangeInverted();
    if (days + 1 > this.maxDays) throw rangeTooLong(this.maxDays);
    if (f.storeId && !isUuid(f.storeId)) throw idInvalid('storeId');
    if (f.lineId && !isUuid(f.lineId)) throw idInvalid('lineId');
  }

  private where(tenantId: string, stores: StoreSet, f: QueueReportFilter): { sql: string; params: unknown[] } {
    const params: unknown[] = [tenantId, f.from, f.to];
    const parts = ['r."tenant_id" = $1', 'r."day" >= $2::date', 'r."day" <= $3::date'];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      parts.push(sql.replace('?', `$${params.length}`));
    };
    if (stores !== 'all') add('r."store_id" = ANY(?::uuid[])', stores);
    if (f.storeId) add('r."store_id" = ?', f.storeId);
    if (f.lineId) add('r."line_id" = ?', f.lineId);
    return { sql: parts.join(' AND '), params };
  }

  private async counts(keys: Key[], w: { sql: string; params: unknown[] }): Promise<Raw[]> {
    const select = [
      ...keys.map((k) => `${KEY_SQL[k]} AS "${k}"`),
      `COALESCE(sum(r."joined"), 0)::int AS "joined"`,
      `COALESCE(sum(cardinality(r."wait_ms")), 0)::int AS "called"`,
      `COALESCE(sum(r."served"), 0)::int AS "served"`,
      `COALESCE(sum(r."no_shows"), 0)::int AS "noShows"`,
      `COALESCE(sum(r."cancelled"), 0)::int AS "cancelled"`,
      `COALESCE(sum(r."cancelled_by_clerk"), 0)::int AS "cancelledByClerk"`,
    ];
    return (await this.dataSource.query(
      `SELECT ${select.join(', ')} FROM ${this.table} r WHERE ${w.sql} ${groupBy(keys)} LIMIT ${MAX_ROWS + 1}`,
      w.params,
    )) as Raw[];
  }

  /** p50 and p90 (percentile_cont, milliseconds) of a sample column, per group key. */
  private async percentiles(keys: Key[], w: { sql: string; params: unknown[] }, column: 'wait_ms' | 'service_ms') {
    const select = [
      ...keys.map((k) => `${KEY_SQL[k]} AS "${k}"`),
      `percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY x) AS "p"`,
    ];
    const rows = (await this.dataSource.query(
      `SELECT ${select.join(', ')} FROM ${this.table} r CROSS JOIN LATERAL unnest(r."${column}") AS x
       WHERE ${w.sql} ${groupBy(keys)}`,
      w.params,
    )) as Raw[];
    return new Map(
      rows.filter((r) => Array.isArray(r.p)).map((r) => [keyOf(keys, r), (r.p as unknown[]).map(Number)] as const),
    );
  }

  /** Served per hour index (1-based, hours since the store-local midnight) per group key. */
  private async hours(keys: Key[], w: { sql: string; params: unknown[] }): Promise<Map<string, Raw[]>> {
    const select = [...keys.map((k) => `${KEY_SQL[k]} AS "${k}"`), 'u.i::int AS "i"', 'sum(u.c)::int AS "served"'];
    const groups = [...keys.map((_, i) => i + 1), keys.length + 1].join(', ');
    const rows = (await this.dataSource.query(
      `SELECT ${select.join(', ')} FROM ${this.table} r
       CROSS JOIN LATERAL unnest(r."served_by_hour") WITH ORDINALITY AS u(c, i)
       WHERE ${w.sql} GROUP BY ${groups}`,
      w.params,
    )) as Raw[];
    const byKey = new Map<string, Raw[]>();
    for (const r of rows) {
      const k = keyOf(keys, r);
      byKey.set(k, [...(byKey.get(k) ?? []), r]);
    }
    return byKey;
  }

  /** The time zone of every store in the result (and of the filter's store or line), for hour labels. */
  private async zones(rows: Raw[], f: QueueReportFilter): Promise<Map<string, string>> {
    const ids = new Set(rows.map((r) => r.storeId as string | undefined).filter((s): s is string => !!s));
    if (f.storeId) ids.add(f.storeId);
    const params: unknown[] = [[...ids]];
    let sql = `SELECT "id", "timezone" FROM ${tableName(this.dataSource, 'known_store')} WHERE "id" = ANY($1::uuid[])`;
    if (f.lineId) {
      params.push(f.lineId);
      sql += ` OR "id" = (SELECT "store_id" FROM ${tableName(this.dataSource, 'line')} WHERE "id" = $2)`;
    }
    const found = (await this.dataSource.query(sql, params)) as { id: string; timezone: string }[];
    const zones = new Map(found.map((z) => [z.id, z.timezone]));
    if (found.length === 1) zones.set('', found[0]!.timezone);
    return zones;
  }

  private get table(): string {
    return tableName(this.dataSource, 'line_day');
  }
}

/** Report readers: HQ roles (the tenant), store managers (their stores), partners with a queue scope. */
function reportStores(scope: QueueScope): StoreSet {
  const v = scope.who;
  if (hasHqRole(v)) return 'all';
  // Partners without queue:read or queue:write get FORBIDDEN from the scope.
  if (v.roles.includes(Role.PARTNER)) return scope.visibleStores();
  if (v.roles.includes(Role.STORE_MANAGER)) return v.storeIds;
  throw forbidden('Queue reports are for HQ, store managers and partners with queue:read');
}

const oneStore = (f: QueueReportFilter) => !!(f.storeId || f.lineId);

/** Row keys for the dimensions; a line's rows also carry its store. */
function keysOf(dims: QueueReportDimension[]): Key[] {
  const keys: Key[] = [];
  if (dims.includes(QueueReportDimension.DAY)) keys.push('day');
  if (dims.includes(QueueReportDimension.STORE) || dims.includes(QueueReportDimension.LINE)) keys.push('storeId');
  if (dims.includes(QueueReportDimension.LINE)) keys.push('lineId');
  return keys;
}

const keyOf = (keys: Key[], r: Raw) => keys.map((k) => String(r[k])).join('|');

function groupBy(keys: Key[]): string {
  if (!keys.length) return '';
  const n = keys.map((_, i) => i + 1).join(', ');
  return `GROUP BY ${n} ORDER BY ${n}`;
}

const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms) / 1000);

function toRow(r: Raw, waits: number[] | undefined, services: number[] | undefined, hours: QueueReportHour[]) {
  const row: QueueReportRow = {
    day: (r.day as string | undefined) ?? null,
    storeId: (r.storeId as string | undefined) ?? null,
    lineId: (r.lineId as string | undefined) ?? null,
    joined: Number(r.joined ?? 0),
    called: Number(r.called ?? 0),
    served: Number(r.served ?? 0),
    noShows: Number(r.noShows ?? 0),
    cancelled: Number(r.cancelled ?? 0),
    cancelledByClerk: Number(r.cancelledByClerk ?? 0),
    waitP50Seconds: seconds(waits?.[0]),
    waitP90Seconds: seconds(waits?.[1]),
    serviceP50Seconds: seconds(services?.[0]),
    serviceP90Seconds: seconds(services?.[1]),
    servedPerHour: hours,
  };
  return row;
}

/**
 * Every hour of one store-local day, DST-safe: 23 hours on the day clocks go forward, 25 when they go back
 * (hour i starts i elapsed hours after local midnight, as the rollup counts them).
 */
function servedPerHour(r: Raw, counts: Raw[], zones: Map<string, string>, f: QueueReportFilter): QueueReportHour[] {
  const day = (r.day as string | undefined) ?? f.from;
  const zone = zones.get((r.storeId as string | undefined) ?? '') ?? zones.get('');
  if (!zone) return [];
  const start = DateTime.fromISO(day, { zone }).startOf('day');
  const hours = Math.round(start.plus({ days: 1 }).diff(start, 'hours').hours);
  const served = new Map(counts.map((c) => [Number(c.i), Number(c.served)]));
  return Array.from({ length: hours }, (_, i) => {
    const at = start.plus({ hours: i });
    return {
      startsAt: at.toJSDate(),
      localTime: at.toFormat('HH:mm'),
      utcOffset: at.toFormat('ZZ'),
      served: served.get(i + 1) ?? 0,
    };
  });
}
