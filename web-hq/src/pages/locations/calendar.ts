// The week calendar: which campaigns may play where on each day of a week, from their schedules and the displays
// their targeting matches. Dates are store-local (YYYY-MM-DD), as campaign schedules are.

export type Weekday = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';
export const WEEKDAYS: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

export interface CalendarSchedule {
  startDate?: string | null;
  endDate?: string | null;
  startsAt?: string | null;
  endsAt?: string | null;
  dayparts: readonly { days: readonly string[]; from: string; to: string }[];
}

export interface CalendarCampaign {
  id: string;
  name: string;
  status: string;
  priority: number;
  schedule: CalendarSchedule;
  displays: readonly {
    id: string;
    store: { id: string; name: string; timezone: string };
    groups?: readonly { id: string; name: string }[] | null;
  }[];
}

export interface CalendarEntry {
  campaignId: string;
  name: string;
  status: string;
  priority: number;
  /** "All day" or store-local windows such as "08:00–12:00" */
  windows: string[];
  /** Matching displays of the row (store or group) */
  displays: number;
}

export interface CalendarRow {
  id: string;
  name: string;
  /** One list of entries per day of the week, highest priority first */
  days: CalendarEntry[][];
}

const DAY_MS = 86_400_000;

function parseDate(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
}
function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return formatDate(parseDate(date) + n * DAY_MS);
}

export function weekdayOf(date: string): Weekday {
  // 1970-01-01 was a Thursday.
  return WEEKDAYS[(Math.floor(parseDate(date) / DAY_MS) + 3) % 7]!;
}

/** Monday to Sunday of the week holding `date`. */
export function weekOf(date: string): string[] {
  const monday = addDays(date, -WEEKDAYS.indexOf(weekdayOf(date)));
  return WEEKDAYS.map((_, i) => addDays(monday, i));
}

/** The calendar date of an instant in a time zone. */
export function localDate(instant: string | Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The windows in which a schedule lets a campaign play on a store-local date, or null when it does not play that
 * day. A daypart whose end is not after its start runs past midnight; it is shown on the day it starts.
 */
export function windowsOn(schedule: CalendarSchedule, date: string, timezone: string): string[] | null {
  if (schedule.startDate && date < schedule.startDate) return null;
  if (schedule.endDate && date > schedule.endDate) return null;
  if (schedule.startsAt && date < localDate(schedule.startsAt, timezone)) return null;
  // endsAt is exclusive: ending at local midnight means the day before was the last.
  if (schedule.endsAt) {
    const endMs = new Date(schedule.endsAt).getTime();
    if (date > localDate(new Date(endMs - 1), timezone)) return null;
  }
  if (!schedule.dayparts.length) return ['All day'];
  const day = weekdayOf(date);
  const windows = schedule.dayparts
    .filter((p) => !p.days.length || p.days.includes(day))
    .map((p) => (p.to <= p.from && p.to !== '24:00' ? `${p.from}–${p.to} (next day)` : `${p.from}–${p.to}`));
  if (!windows.length) return null;
  return [...new Set(windows)].sort();
}

/** Rows by store or by display group, each with the campaigns of each day of `week`. */
export function buildCalendar(
  campaigns: readonly CalendarCampaign[],
  week: readonly string[],
  by: 'store' | 'group',
): CalendarRow[] {
  const rows = new Map<string, { name: string; days: Map<string, CalendarEntry>[] }>();
  for (const campaign of campaigns) {
    for (const display of campaign.displays) {
      const keys =
        by === 'store'
          ? [{ id: display.store.id, name: display.store.name }]
          : (display.groups ?? []).map((g) => ({ id: g.id, name: g.name }));
      for (const key of keys) {
        let row = rows.get(key.id);
        if (!row) {
          row = { name: key.name, days: week.map(() => new Map()) };
          rows.set(key.id, row);
        }
        week.forEach((date, i) => {
          const windows = windowsOn(campaign.schedule, date, display.store.timezone);
          if (!windows) return;
          const day = row.days[i]!;
          const entry = day.get(campaign.id);
          if (entry) {
            entry.displays += 1;
            entry.windows = [...new Set([...entry.windows, ...windows])].sort();
          } else {
            day.set(campaign.id, {
              campaignId: campaign.id,
              name: campaign.name,
              status: campaign.status,
              priority: campaign.priority,
              windows,
              displays: 1,
            });
          }
        });
      }
    }
  }
  return [...rows.entries()]
    .map(([id, row]) => ({
      id,
      name: row.name,
      days: row.days.map((d) =>
        [...d.values()].sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name)),
      ),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
