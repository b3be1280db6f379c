/** The day's appointments as a calendar: hours of the store's own clock, each slot with what is booked in it. */

/** "14:20" on the store's clock. */
export function clockTime(instant: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(instant));
}

export interface CalendarHour<T> {
  /** "09" … "20": the store-local hour */
  hour: string;
  slots: { time: string; start: string; items: T[] }[];
}

/**
 * Appointments grouped by store-local hour, then by slot start (both in time order). Hours between the first and
 * the last booked one are kept even when empty, so the day reads as a calendar rather than a list.
 */
export function calendarHours<T extends { start: string }>(items: readonly T[], timezone: string): CalendarHour<T>[] {
  const sorted = [...items].sort((a, b) => a.start.localeCompare(b.start));
  const byHour = new Map<string, Map<string, { time: string; start: string; items: T[] }>>();
  for (const item of sorted) {
    const time = clockTime(item.start, timezone);
    const hour = time.slice(0, 2);
    const slots = byHour.get(hour) ?? new Map();
    byHour.set(hour, slots);
    const slot = slots.get(item.start) ?? { time, start: item.start, items: [] };
    slots.set(item.start, slot);
    slot.items.push(item);
  }
  const hours = [...byHour.keys()].sort();
  if (hours.length === 0) return [];
  const first = Number(hours[0]);
  const last = Number(hours[hours.length - 1]);
  const out: CalendarHour<T>[] = [];
  for (let h = first; h <= last; h++) {
    const hour = String(h).padStart(2, '0');
    out.push({ hour, slots: [...(byHour.get(hour)?.values() ?? [])] });
  }
  return out;
}

/** Booked, checked in, gone: counts for the day's summary line. */
export function dayCounts(
  items: readonly { state: string }[],
): Record<'BOOKED' | 'CHECKED_IN' | 'CANCELLED' | 'NO_SHOW', number> {
  const counts = { BOOKED: 0, CHECKED_IN: 0, CANCELLED: 0, NO_SHOW: 0 };
  for (const i of items) if (i.state in counts) counts[i.state as keyof typeof counts]++;
  return counts;
}
