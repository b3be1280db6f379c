/** Offset (ms) of `timeZone` from UTC at `instant`: local wall time − UTC. */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant of local wall time `date` (YYYY-MM-DD) `time` (HH:MM) in `timeZone` (DST-safe for real times). */
export function zonedTime(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  // Two passes: the offset at the guess, then at the corrected instant (differs only around a DST change).
  let instant = guess - zoneOffsetMs(new Date(guess), timeZone);
  instant = guess - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

/** [local midnight of `date`, local midnight of the next day) in `timeZone`: 23, 24 or 25 hours. */
export function zonedDay(date: string, timeZone: string): { from: Date; to: Date } {
  return { from: zonedTime(date, '00:00', timeZone), to: zonedTime(addDays(date, 1), '00:00', timeZone) };
}

/** YYYY-MM-DD plus `n` days (calendar arithmetic, no time zone involved). */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Today's date (YYYY-MM-DD) in `timeZone`. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Date(now.getTime() + zoneOffsetMs(now, timeZone)).toISOString().slice(0, 10);
}

/** HH:MM of `instant` in `timeZone`. */
export function localTime(instant: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(instant),
  );
}

/** "London time (GMT+1)": a store's zone as people say it, with its offset at `instant`. */
export function zoneLabel(timeZone: string, instant: Date | string = new Date()): string {
  const city = (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
  const short = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' })
    .formatToParts(new Date(instant))
    .find((p) => p.type === 'timeZoneName')?.value;
  return short && short !== city ? `${city} time (${short})` : `${city} time`;
}

/** "Sunday 6 December": a store-local date (YYYY-MM-DD) in words. */
export function dayLabel(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}
