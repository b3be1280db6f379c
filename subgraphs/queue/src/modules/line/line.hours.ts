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
  const local = DateTime.fromMillis(now, { zone: timezone });
  if (!local.isValid) return true;
  const day = WEEKDAYS[local.weekday - 1];
  const minute = local.hour * 60 + local.minute;
  return hours.some((h) => h.day === day && minute >= minutesOf(h.opens) && minute < minutesOf(h.closes));
}

/** The store-local calendar day of `now` (YYYY-MM-DD): ticket numbers restart each one. */
export function localDay(timezone: string, now: number): string {
  const local = DateTime.fromMillis(now, { zone: timezone });
  return (local.isValid ? local : DateTime.fromMillis(now, { zone: 'UTC' })).toISODate()!;
}

/** The first invalid window (closing not after opening), or null. */
export function invalidWindow(hours: OpeningWindow[] | null | undefined): OpeningWindow | null {
  return hours?.find((h) => minutesOf(h.closes) <= minutesOf(h.opens)) ?? null;
}
