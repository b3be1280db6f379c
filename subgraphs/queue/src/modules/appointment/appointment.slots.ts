import { DateTime } from 'luxon';
import type { OpeningWindow, WeekdayName } from '../line/line.hours.js';

/** One bookable slot: a start and end instant. */
export interface SlotTime {
  start: Date;
  end: Date;
}

const WEEKDAYS: WeekdayName[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `day` is a real calendar date written YYYY-MM-DD. */
export const isDay = (day: string): boolean => DAY.test(day) && DateTime.fromISO(day, { zone: 'UTC' }).isValid;

/**
 * The slots of a store-local day: every window of that weekday cut into `slotMinutes` pieces by the wall
 * clock of `timezone`, each wholly inside its window. Local times a DST change skips (spring forward) have no
 * slot; local times it repeats (fall back) have one, at their first occurrence. No hours: no slots.
 */
export function slotsOfDay(
  hours: OpeningWindow[] | null | undefined,
  timezone: string,
  day: string,
  slotMinutes: number,
): SlotTime[] {
  if (!hours?.length || !isDay(day) || slotMinutes <= 0) return [];
  const date = DateTime.fromISO(day, { zone: timezone });
  if (!date.isValid) return [];
  const weekday = WEEKDAYS[date.weekday - 1];
  const slots: SlotTime[] = [];
  for (const w of hours.filter((h) => h.day === weekday)) {
    for (let m = minutesOf(w.opens); m + slotMinutes <= minutesOf(w.closes); m += slotMinutes) {
      const local = date.set({ hour: Math.floor(m / 60), minute: m % 60, second: 0, millisecond: 0 });
      // Luxon moves a skipped wall time forward; such a time does not exist that day.
      if (local.hour * 60 + local.minute !== m || local.toISODate() !== day) continue;
      const start = local.toMillis();
      slots.push({ start: new Date(start), end: new Date(start + slotMinutes * 60_000) });
    }
  }
  const seen = new Set<number>();
  return slots
    .filter((s) => !seen.has(s.start.getTime()) && seen.add(s.start.getTime()))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The slot of `day` that starts exactly at `start`, or null. */
export function slotAt(
  hours: OpeningWindow[] | null | undefined,
  timezone: string,
  day: string,
  slotMinutes: number,
  start: Date,
): SlotTime | null {
  return slotsOfDay(hours, timezone, day, slotMinutes).find((s) => s.start.getTime() === start.getTime()) ?? null;
}
