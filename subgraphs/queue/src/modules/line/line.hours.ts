import { DateTime } from 'luxon';

export type WeekdayName = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';

/** One opening window: store-local weekday and HH:MM times, as location publishes store hours. */
export interface OpeningWindow {
  day: WeekdayName;
  opens: string;
  closes: string;
}

const WEEKDAYS: WeekdayName[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether a line takes remote joins at `now`: its own hours, else its store's; with no hours known at all
 * the line counts as open (a manager who set no hours wants the line to work).
 */
export function isOpenAt(hours: OpeningWindow[] | null | undefined, timezone: string, now: number): boolean {
  if (!hours?.length) return true;
  const local = wallClock(timezone, now);
  if (!local) return true;
  const { day, minute } = local;
  return hours.some((h) => h.day === day && minute >= minutesOf(h.opens) && minute < minutesOf(h.closes));
}

/** The store-local calendar day of `now` (YYYY-MM-DD): ticket numbers restart each one. */
export function localDay(timezone: string, now: number): string {
  return (wallClock(timezone, now) ?? wallClock('UTC', now)!).date;
}

interface WallClock {
  day: WeekdayName;
  minute: number;
  date: string;
}

/** Per zone, the wall clock of the last second asked about: every ticket action asks, a few times a second. */
const lastSecond = new Map<string, { second: number; clock: WallClock | null }>();

/** The store-local weekday, minute of the day and date at `now` in `timezone`; null for an unknown zone. */
function wallClock(timezone: string, now: number): WallClock | null {
  const second = Math.floor(now / 1000);
  const cached = lastSecond.get(timezone);
  if (cached?.second === second) return cached.clock;
  // Zone offsets are whole seconds: one second has one wall clock (luxon's zone arithmetic is the costly part).
  const local = DateTime.fromMillis(second * 1000, { zone: timezone });
  const clock = local.isValid
    ? { day: WEEKDAYS[local.weekday - 1]!, minute: local.hour * 60 + local.minute, date: local.toISODate()! }
    : null;
  if (lastSecond.size > 10_000) lastSecond.clear();
  lastSecond.set(timezone, { second, clock });
  return clock;
}

/** The first invalid window (closing not after opening), or null. */
export function invalidWindow(hours: OpeningWindow[] | null | undefined): OpeningWindow | null {
  return hours?.find((h) => minutesOf(h.closes) <= minutesOf(h.opens)) ?? null;
}
