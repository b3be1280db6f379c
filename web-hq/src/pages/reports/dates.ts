/** Report days are calendar days, YYYY-MM-DD (each store’s own, as PlaybackReportFilter takes them). */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

/** The longest range the playback subgraph reports on by default (PLAYBACK_REPORT_MAX_DAYS). */
export const MAX_DAYS = 400;

export function isDay(value: string | null | undefined): value is string {
  return !!value && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

export function toDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return toDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * MS_PER_DAY));
}

/** The last `n` days up to and including today (UTC). */
export function lastDays(n: number, now: Date = new Date()): { from: string; to: string } {
  const to = toDay(now);
  return { from: addDays(to, -(n - 1)), to };
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY) + 1;
}

/** Why a range cannot be reported on, or null when it can. */
export function rangeProblem(from: string, to: string): string | null {
  if (!isDay(from)) return 'Choose a start date.';
  if (!isDay(to)) return 'Choose an end date.';
  const n = daysBetween(from, to);
  if (n < 1) return 'The end date is before the start date.';
  if (n > MAX_DAYS) return `A report covers at most ${MAX_DAYS} days; this range has ${n}.`;
  return null;
}

/** Every day of the range, in order. */
export function eachDay(from: string, to: string): string[] {
  const n = daysBetween(from, to);
  const out: string[] = [];
  for (let i = 0; i < n && i <= MAX_DAYS; i++) out.push(addDays(from, i));
  return out;
}

export interface DayMetrics {
  day: string;
  plays: number;
  playTimeMs: number;
  displays: number;
}

/** Rows grouped by day, with the days that had no plays filled in as zeros (so charts show the gaps). */
export function fillDays(
  rows: readonly { day?: string | null; plays: number; playTimeMs: number; displays: number }[],
  from: string,
  to: string,
): DayMetrics[] {
  const byDay = new Map(rows.filter((r) => r.day).map((r) => [r.day!, r]));
  return eachDay(from, to).map((day) => {
    const r = byDay.get(day);
    return { day, plays: r?.plays ?? 0, playTimeMs: r?.playTimeMs ?? 0, displays: r?.displays ?? 0 };
  });
}

/** "2026-03-05" → "5 Mar" (in UTC, like the report). */
export function shortDay(day: string): string {
  return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** "2026-03-05" → "Thu 5 Mar 2026" (in UTC). */
export function longDay(day: string): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** Hours of play time, for chart axes. */
export function hours(ms: number): number {
  return Math.round((ms / 3_600_000) * 100) / 100;
}

/** A file name for a CSV download: letters, digits and dashes only. */
export function csvFileName(parts: readonly (string | null | undefined)[]): string {
  const slug = parts
    .filter(Boolean)
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug || 'report'}.csv`;
}

const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/**
 * The average plays per day of a period, as a person says it: "1,234", "2.5", or for fewer than one every
 * other day "1 every 10 days" (rather than a rounded "0").
 */
export function playsPerDay(plays: number, days: number): string {
  if (plays <= 0 || days <= 0) return '0';
  const avg = plays / days;
  if (avg >= 10) return whole.format(Math.round(avg));
  if (avg >= 0.5) return oneDecimal.format(avg);
  return `1 every ${whole.format(Math.round(days / plays))} days`;
}

/** Axis ticks: 950, 1.2K, 3.4M (the table under the chart has the exact numbers). */
export const axisCount = (n: number) => compact.format(n);

/** Axis ticks of a category axis: long names end in "…" instead of running off the chart. */
export const axisName = (name: string, max = 22) => (name.length > max ? `${name.slice(0, max - 1).trimEnd()}…` : name);
