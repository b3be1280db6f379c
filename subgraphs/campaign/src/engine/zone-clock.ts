import { IANAZone } from 'luxon';

import { PlaylistEngineError } from './errors.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

// Offsets lie within UTC-12..UTC+14; one more hour each side for safety.
const BEFORE_MS = 15 * HOUR_MS;
const AFTER_MS = 13 * HOUR_MS;

interface YearTable {
  readonly start: number;
  readonly end: number;
  readonly firstOffset: number;
  /** Instants where the offset changes within the year, ascending. */
  readonly changes: readonly { readonly at: number; readonly offset: number }[];
}

/**
 * One IANA zone's offset transitions, read from luxon once per UTC year and then answered by arithmetic.
 * Luxon answers an offset through Intl in tens of microseconds; a resolution needs hundreds of them.
 *
 * Transitions are found by sampling each UTC day and bisecting to the minute, so two transitions within
 * one day that cancel out would be missed: no zone in the tz database has one in the years a playlist uses.
 *
 * Wall times ("local" ms: the local calendar time written as if it were UTC) map back to instants as
 * schedules expect: a wall time skipped by a spring-forward gap maps to the instant of the jump (the first
 * instant whose clock reads later), and one repeated by a fall-back maps to its first occurrence.
 */
export class ZoneClock {
  private static readonly clocks = new Map<string, ZoneClock>();
  private readonly years = new Map<number, YearTable>();
  private last: YearTable | undefined;

  private constructor(
    readonly zone: string,
    private readonly iana: IANAZone,
  ) {}

  /** Whether luxon knows the zone. */
  static isValid(zone: string): boolean {
    return typeof zone === 'string' && zone.length > 0 && IANAZone.isValidZone(zone);
  }

  /** The shared clock of a zone; throws INVALID_DISPLAY for an unknown zone. */
  static of(zone: string): ZoneClock {
    let clock = ZoneClock.clocks.get(zone);
    if (!clock) {
      if (!ZoneClock.isValid(zone)) {
        throw new PlaylistEngineError('INVALID_DISPLAY', `"${zone}" is not an IANA time zone`, { timezone: zone });
      }
      clock = new ZoneClock(zone, IANAZone.create(zone));
      ZoneClock.clocks.set(zone, clock);
    }
    return clock;
  }

  /** UTC offset in ms at an instant. */
  offsetAt(instant: number): number {
    const table = this.tableFor(instant);
    let offset = table.firstOffset;
    for (const change of table.changes) {
      if (instant < change.at) break;
      offset = change.offset;
    }
    return offset;
  }

  /** The wall time (local calendar time as if UTC) of an instant. */
  toWall(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /** The instant a wall time denotes: a skipped time gives the jump, a repeated time its first occurrence. */
  toInstant(wall: number): number {
    const before = this.offsetAt(wall - BEFORE_MS);
    const after = this.offsetAt(wall + AFTER_MS);
    if (before === after) return wall - before;
    const jump = this.nextTransitionAfter(wall - BEFORE_MS);
    const early = wall - before;
    if (jump === null || early < jump) return early;
    const late = wall - after;
    return late >= jump ? late : jump;
  }

  /** The first transition strictly after an instant within the next two years, or null. */
  nextTransitionAfter(instant: number): number | null {
    let table = this.tableFor(instant);
    for (let i = 0; i < 3; i++) {
      for (const change of table.changes) if (change.at > instant) return change.at;
      table = this.tableFor(table.end);
    }
    return null;
  }

  /** Whether the offset is the same throughout [from, to]. */
  isUniform(from: number, to: number): boolean {
    const next = this.nextTransitionAfter(from);
    return next === null || next > to;
  }

  private tableFor(instant: number): YearTable {
    const last = this.last;
    if (last && instant >= last.start && instant < last.end) return last;
    const year = new Date(instant).getUTCFullYear();
    let table = this.years.get(year);
    if (!table) {
      table = this.buildYear(year);
      this.years.set(year, table);
    }
    this.last = table;
    return table;
  }

  private buildYear(year: number): YearTable {
    const start = Date.UTC(year, 0, 1);
    const end = Date.UTC(year + 1, 0, 1);
    const firstOffset = this.luxonOffset(start);
    const changes: { at: number; offset: number }[] = [];
    let previous = firstOffset;
    for (let at = start + DAY_MS; at <= end; at += DAY_MS) {
      const offset = this.luxonOffset(at);
      if (offset === previous) continue;
      // Bisect to the minute: offset is `previous` at lo and `offset` at hi.
      let lo = at - DAY_MS;
      let hi = at;
      while (hi - lo > MINUTE_MS) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
        if (this.luxonOffset(mid) === previous) lo = mid;
        else hi = mid;
      }
      if (hi < end) changes.push({ at: hi, offset });
      previous = offset;
    }
    return { start, end, firstOffset, changes };
  }

  private luxonOffset(instant: number): number {
    return Math.round(this.iana.offset(instant) * MINUTE_MS);
  }
}

/** A point in time seen from a store: its instant, wall time, local day and weekday. */
export interface LocalMoment {
  readonly clock: ZoneClock;
  readonly instant: number;
  readonly wall: number;
  /** Days since 1970-01-01 of the local calendar date. */
  readonly day: number;
  /** Ms since local midnight (by the wall clock). */
  readonly msOfDay: number;
  /** 0 = Monday … 6 = Sunday. */
  readonly weekday: number;
  /** No offset change within two days either side: wall-time arithmetic equals instant arithmetic. */
  readonly uniform: boolean;
}

/** The local moment of an instant in a zone. */
export function localMoment(clock: ZoneClock, instant: number): LocalMoment {
  const wall = clock.toWall(instant);
  const day = Math.floor(wall / DAY_MS);
  return {
    clock,
    instant,
    wall,
    day,
    msOfDay: wall - day * DAY_MS,
    weekday: weekdayOf(day),
    uniform: clock.isUniform(instant - 2 * DAY_MS, instant + 2 * DAY_MS),
  };
}

/** 0 = Monday … 6 = Sunday for a day number (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** 'YYYY-MM-DD' → days since 1970-01-01, or null when it is not a real calendar date. */
export function parseLocalDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, dayOfMonth] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, dayOfMonth);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== dayOfMonth) {
    return null;
  }
  return ms / DAY_MS;
}

/** 'HH:MM' → ms since midnight; '24:00' only when `allowEndOfDay`. Null when malformed. */
export function parseClockTime(text: string, allowEndOfDay: boolean): number | null {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours === 24 && (minutes !== 0 || !allowEndOfDay)) return null;
  return hours * HOUR_MS + minutes * MINUTE_MS;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** 'SUN 2026-03-29 02:30 Europe/London (UTC+01:00)' for explanations. */
export function formatLocal(moment: LocalMoment, weekdayNames: readonly string[]): string {
  const date = new Date(moment.wall);
  const offsetMinutes = Math.round((moment.wall - moment.instant) / MINUTE_MS);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${weekdayNames[moment.weekday] ?? '?'} ${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-` +
    `${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} ${moment.clock.zone} ` +
    `(UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`
  );
}
