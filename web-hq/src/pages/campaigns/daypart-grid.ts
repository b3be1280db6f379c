/**
 * The weekly daypart grid (7 days × 24 hours, store-local time) and the schedule's dayparts
 * (`DaypartInput`: days, from HH:MM inclusive, to HH:MM or 24:00 exclusive; to ≤ from runs into the next day).
 */
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  MON: 'Monday',
  TUE: 'Tuesday',
  WED: 'Wednesday',
  THU: 'Thursday',
  FRI: 'Friday',
  SAT: 'Saturday',
  SUN: 'Sunday',
};

export interface Daypart {
  days: readonly Weekday[];
  from: string;
  to: string;
}

/** grid[day][hour], day 0 = Monday */
export type DaypartGrid = boolean[][];

export const HOURS = 24;

export function emptyGrid(): DaypartGrid {
  return WEEKDAYS.map(() => Array<boolean>(HOURS).fill(false));
}

export function fullGrid(): DaypartGrid {
  return WEEKDAYS.map(() => Array<boolean>(HOURS).fill(true));
}

const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

function minutes(time: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!m) throw new Error(`not a time of day: ${time}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function isGridEmpty(grid: DaypartGrid): boolean {
  return grid.every((day) => day.every((h) => !h));
}

export function isGridFull(grid: DaypartGrid): boolean {
  return grid.every((day) => day.every(Boolean));
}

/**
 * The grid as dayparts: each day's runs of selected hours, with equal windows of several days merged into one
 * daypart (listing its days in week order). A full grid is `[]` (the schedule's "all day"); an empty grid is
 * also `[]`, so callers must refuse it first (it would mean "never").
 */
export function gridToDayparts(grid: DaypartGrid): Daypart[] {
  if (isGridFull(grid)) return [];
  const windows = new Map<string, Weekday[]>();
  grid.forEach((hours, d) => {
    let start = -1;
    for (let h = 0; h <= HOURS; h++) {
      const on = h < HOURS && hours[h];
      if (on && start < 0) start = h;
      if (!on && start >= 0) {
        const key = `${hh(start)}-${h === HOURS ? '24:00' : hh(h)}`;
        windows.set(key, [...(windows.get(key) ?? []), WEEKDAYS[d]!]);
        start = -1;
      }
    }
  });
  return [...windows.entries()]
    .map(([key, days]) => {
      const [from, to] = key.split('-') as [string, string];
      return { days: days.length === WEEKDAYS.length ? [] : days, from, to };
    })
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

export interface GridFromDayparts {
  grid: DaypartGrid;
  /** False when a window does not start and end on the hour: the grid shows every hour it touches */
  exact: boolean;
}

/** Dayparts as the grid (no dayparts = all day = a full grid). */
export function daypartsToGrid(dayparts: readonly Daypart[]): GridFromDayparts {
  if (dayparts.length === 0) return { grid: fullGrid(), exact: true };
  const grid = emptyGrid();
  let exact = true;
  for (const part of dayparts) {
    const from = minutes(part.from);
    let to = minutes(part.to);
    if (from % 60 !== 0 || to % 60 !== 0) exact = false;
    if (to <= from) to += 24 * 60; // runs into the next day
    const days = part.days.length ? part.days : WEEKDAYS;
    for (const day of days) {
      const d = WEEKDAYS.indexOf(day);
      // every hour cell the window overlaps
      for (let h = Math.floor(from / 60); h * 60 < to; h++) {
        const dayIndex = (d + Math.floor(h / HOURS)) % WEEKDAYS.length;
        grid[dayIndex]![h % HOURS] = true;
      }
    }
  }
  return { grid, exact };
}

/** "Mon–Fri 09:00–17:00; Sat 10:00–16:00" — a one-line summary for lists. */
export function describeDayparts(dayparts: readonly Daypart[]): string {
  if (dayparts.length === 0) return 'All day, every day';
  return dayparts.map((p) => `${describeDays(p.days)} ${p.from}–${p.to}`).join('; ');
}

function describeDays(days: readonly Weekday[]): string {
  if (days.length === 0 || days.length === WEEKDAYS.length) return 'Every day';
  const idx = days.map((d) => WEEKDAYS.indexOf(d)).sort((a, b) => a - b);
  const contiguous = idx.every((v, i) => i === 0 || v === idx[i - 1]! + 1);
  const short = (i: number) => WEEKDAY_NAMES[WEEKDAYS[i]!].slice(0, 3);
  if (contiguous && idx.length > 2) return `${short(idx[0]!)}–${short(idx[idx.length - 1]!)}`;
  return idx.map(short).join(', ');
}

/** Sets a rectangle of cells (inclusive) to `value`: drag-painting and the row/column shortcuts. */
export function paint(
  grid: DaypartGrid,
  from: { day: number; hour: number },
  to: { day: number; hour: number },
  value: boolean,
): DaypartGrid {
  const [d0, d1] = [Math.min(from.day, to.day), Math.max(from.day, to.day)];
  const [h0, h1] = [Math.min(from.hour, to.hour), Math.max(from.hour, to.hour)];
  return grid.map((hours, d) => hours.map((on, h) => (d >= d0 && d <= d1 && h >= h0 && h <= h1 ? value : on)));
}
