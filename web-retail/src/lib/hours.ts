/** Opening hours as a manager edits them: a week of windows per day, and dated exceptions. Pure, with a spec. */

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_LABEL: Record<Weekday, string> = {
  MON: 'Monday',
  TUE: 'Tuesday',
  WED: 'Wednesday',
  THU: 'Thursday',
  FRI: 'Friday',
  SAT: 'Saturday',
  SUN: 'Sunday',
};

export interface Window {
  opens: string;
  closes: string;
}
export type Week = Record<Weekday, Window[]>;

/** The graph's list (day, opens, closes) as a week; a day without windows is closed. Windows by opening time. */
export function weekFromHours(hours: readonly { day: Weekday; opens: string; closes: string }[]): Week {
  const week = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as Window[]])) as Week;
  for (const h of hours) week[h.day].push({ opens: h.opens, closes: h.closes });
  for (const d of WEEKDAYS) week[d].sort((a, b) => a.opens.localeCompare(b.opens));
  return week;
}

export function hoursFromWeek(week: Week): { day: Weekday; opens: string; closes: string }[] {
  return WEEKDAYS.flatMap((day) => week[day].map((w) => ({ day, opens: w.opens, closes: w.closes })));
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** What is wrong with one day's windows, in words (null: fine): the graph refuses the same. */
export function dayProblem(windows: readonly Window[]): string | null {
  for (const w of windows) {
    if (!HHMM.test(w.opens) || !HHMM.test(w.closes)) return 'Give both times as HH:MM.';
    if (w.closes <= w.opens) return 'It must close after it opens.';
  }
  const sorted = [...windows].sort((a, b) => a.opens.localeCompare(b.opens));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.opens < sorted[i - 1]!.closes) return 'Two opening windows overlap.';
  }
  return null;
}

export interface HoursException {
  date: string;
  closed: boolean;
  opens: string;
  closes: string;
  note: string;
}

/** What is wrong with the list of exceptions, by row index (empty: fine). */
export function exceptionProblems(rows: readonly HoursException[]): Record<number, string> {
  const problems: Record<number, string> = {};
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const problem = !/^\d{4}-\d{2}-\d{2}$/.test(r.date)
      ? 'Choose a date.'
      : seen.has(r.date)
        ? 'This date is already in the list.'
        : r.closed
          ? null
          : dayProblem([{ opens: r.opens, closes: r.closes }]);
    if (problem) problems[i] = problem;
    seen.add(r.date);
  });
  return problems;
}

/** The rows as the graph takes them: closed days carry no times, notes are trimmed. */
export function exceptionsInput(rows: readonly HoursException[]) {
  return rows.map((r) => ({
    date: r.date,
    closed: r.closed,
    opens: r.closed ? null : r.opens,
    closes: r.closed ? null : r.closes,
    note: r.note.trim() || null,
  }));
}

/** Today's date in the store's time zone (YYYY-MM-DD), for "upcoming" and the calendar's first day. */
export function storeToday(timezone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(now)
    .slice(0, 10);
}

/** YYYY-MM-DD moved by `days` (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** "Thu 24 Dec 2026" for a YYYY-MM-DD date. */
export function formatDate(date: string, options: Intl.DateTimeFormatOptions = {}): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
    ...options,
  }).format(new Date(Date.UTC(y, m - 1, d)));
}
