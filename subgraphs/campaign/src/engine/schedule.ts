import type { Daypart, Schedule } from './types.js';
import { WEEKDAYS } from './types.js';
import { DAY_MS, type LocalMoment, type ZoneClock, parseClockTime, parseLocalDate, weekdayOf } from './zone-clock.js';

/** A daypart with its times in ms since local midnight and its days as a bit set (bit 0 = Monday). */
export interface CompiledWindow {
  readonly source: Daypart;
  readonly days: number;
  readonly fromMs: number;
  /** End on the start day, or on the next day when `wraps`. */
  readonly toMs: number;
  readonly wraps: boolean;
}

/** A schedule parsed once: dates as day numbers, instants as ms, dayparts as windows. */
export interface CompiledSchedule {
  readonly startDay: number | null;
  readonly endDay: number | null;
  readonly startsAt: number | null;
  readonly endsAt: number | null;
  /** Empty means all day. */
  readonly windows: readonly CompiledWindow[];
}

const ALL_DAYS = 0b1111111;

/** Parses a schedule, collecting every problem; the schedule is only usable when none is reported. */
export function compileSchedule(schedule: Schedule, problems: string[]): CompiledSchedule {
  const startDay = schedule.startDate == null ? null : parseLocalDate(schedule.startDate);
  if (schedule.startDate != null && startDay === null) {
    problems.push(`startDate "${schedule.startDate}" is not a YYYY-MM-DD calendar date`);
  }
  const endDay = schedule.endDate == null ? null : parseLocalDate(schedule.endDate);
  if (schedule.endDate != null && endDay === null) {
    problems.push(`endDate "${schedule.endDate}" is not a YYYY-MM-DD calendar date`);
  }
  if (startDay !== null && endDay !== null && endDay < startDay) {
    problems.push(`endDate ${schedule.endDate} is before startDate ${schedule.startDate}`);
  }
  const startsAt = instantOf(schedule.startsAt, 'startsAt', problems);
  const endsAt = instantOf(schedule.endsAt, 'endsAt', problems);
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt) {
    problems.push('endsAt must be after startsAt');
  }
  const windows: CompiledWindow[] = [];
  (schedule.dayparts ?? []).forEach((daypart, i) => {
    const window = compileWindow(daypart, `dayparts[${i}]`, problems);
    if (window) windows.push(window);
  });
  return { startDay, endDay, startsAt, endsAt, windows };
}

function instantOf(value: Date | null | undefined, field: string, problems: string[]): number | null {
  if (value == null) return null;
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) {
    problems.push(`${field} is not a valid instant`);
    return null;
  }
  return ms;
}

function compileWindow(daypart: Daypart, path: string, problems: string[]): CompiledWindow | null {
  let days = 0;
  for (const day of daypart.days) {
    const index = WEEKDAYS.indexOf(day);
    if (index < 0) problems.push(`${path}.days has "${String(day)}", expected one of ${WEEKDAYS.join(', ')}`);
    else days |= 1 << index;
  }
  const fromMs = parseClockTime(daypart.from, false);
  const toMs = parseClockTime(daypart.to, true);
  if (fromMs === null) problems.push(`${path}.from "${daypart.from}" is not HH:MM (00:00–23:59)`);
  if (toMs === null) problems.push(`${path}.to "${daypart.to}" is not HH:MM (00:00–24:00)`);
  if (fromMs === null || toMs === null) return null;
  return { source: daypart, days: days === 0 ? ALL_DAYS : days, fromMs, toMs, wraps: toMs <= fromMs };
}

/** The instants [start, end) of a schedule's date range and absolute window in one zone. */
export function activeRange(schedule: CompiledSchedule, clock: ZoneClock): { start: number; end: number } {
  let start = schedule.startsAt ?? -Infinity;
  let end = schedule.endsAt ?? Infinity;
  if (schedule.startDay !== null) start = Math.max(start, clock.toInstant(schedule.startDay * DAY_MS));
  if (schedule.endDay !== null) end = Math.min(end, clock.toInstant((schedule.endDay + 1) * DAY_MS));
  return { start, end };
}

/** The daypart window instance starting on local day `day`, as instants [start, end). */
function windowInstants(window: CompiledWindow, day: number, clock: ZoneClock): { start: number; end: number } {
  const base = day * DAY_MS;
  return {
    start: clock.toInstant(base + window.fromMs),
    end: clock.toInstant(base + (window.wraps ? DAY_MS : 0) + window.toMs),
  };
}

/** The daypart window that contains the moment, or null (also null when the schedule has no dayparts). */
export function activeWindow(schedule: CompiledSchedule, moment: LocalMoment): CompiledWindow | null {
  const { weekday, msOfDay } = moment;
  if (moment.uniform) {
    // No offset change nearby: compare wall times directly.
    const yesterday = (weekday + 6) % 7;
    for (const window of schedule.windows) {
      if (window.days & (1 << weekday) && msOfDay >= window.fromMs && (window.wraps || msOfDay < window.toMs)) {
        return window;
      }
      if (window.wraps && window.days & (1 << yesterday) && msOfDay < window.toMs) return window;
    }
    return null;
  }
  // Near a DST change: build the window instances that can contain the instant.
  for (let day = moment.day - 1; day <= moment.day + 1; day++) {
    const bit = 1 << weekdayOf(day);
    for (const window of schedule.windows) {
      if (!(window.days & bit)) continue;
      const { start, end } = windowInstants(window, day, moment.clock);
      if (start <= moment.instant && moment.instant < end) return window;
    }
  }
  return null;
}

/** Whether the schedule's date range and absolute window hold at the moment. */
export function inRange(schedule: CompiledSchedule, moment: LocalMoment): boolean {
  const t = moment.instant;
  if (schedule.startsAt !== null && t < schedule.startsAt) return false;
  if (schedule.endsAt !== null && t >= schedule.endsAt) return false;
  if (schedule.startDay === null && schedule.endDay === null) return true;
  const { start, end } = activeRange(schedule, moment.clock);
  return t >= start && t < end;
}

/** Whether the whole schedule holds at the moment. */
export function scheduleActive(schedule: CompiledSchedule, moment: LocalMoment): boolean {
  return inRange(schedule, moment) && (schedule.windows.length === 0 || activeWindow(schedule, moment) !== null);
}

/**
 * The first instant strictly after the moment at which the schedule's state may change: a range start or
 * end, or a daypart window start or end inside the range. Null when the schedule never changes again.
 */
export function nextScheduleBoundary(schedule: CompiledSchedule, moment: LocalMoment): number | null {
  const t = moment.instant;
  const { start, end } = activeRange(schedule, moment.clock);
  if (t >= end) return null;
  if (t < start) return start;
  let best = end === Infinity ? null : end;
  if (schedule.windows.length === 0) return best;
  // Weekly windows: a start or an end appears within eight days unless every day is covered.
  for (let day = moment.day - 1; day <= moment.day + 8; day++) {
    if (best !== null && best <= moment.clock.toInstant(day * DAY_MS)) break;
    const bit = 1 << weekdayOf(day);
    for (const window of schedule.windows) {
      if (!(window.days & bit)) continue;
      const instants = windowInstants(window, day, moment.clock);
      if (instants.start > t && (best === null || instants.start < best)) best = instants.start;
      if (instants.end > t && (best === null || instants.end < best)) best = instants.end;
    }
  }
  return best;
}
