import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';

import { PlaylistEngineError } from './errors.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, ZoneClock, parseClockTime, parseLocalDate } from './zone-clock.js';

const ZONES = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/Sao_Paulo'];
const wall = (iso: string): number => Date.parse(`${iso}Z`);

describe(ZoneClock.name, () => {
  it.each(ZONES)('agrees with luxon on the offset of every 53rd minute of 2026 in %s', (zone) => {
    const clock = ZoneClock.of(zone);
    const start = Date.UTC(2026, 0, 1);
    const mismatches: string[] = [];
    for (let t = start; t < start + 366 * DAY_MS; t += 53 * MINUTE_MS) {
      const expected = DateTime.fromMillis(t, { zone }).offset * MINUTE_MS;
      if (clock.offsetAt(t) !== expected) mismatches.push(new Date(t).toISOString());
    }
    expect(mismatches).toEqual([]);
  });

  it.each([
    // Ordinary wall times: the only instant.
    ['Europe/London', '2026-06-01T12:00:00', '2026-06-01T11:00:00.000Z'],
    ['America/New_York', '2026-01-15T08:30:00', '2026-01-15T13:30:00.000Z'],
    // Spring-forward gaps: a skipped wall time maps to the jump.
    ['Europe/London', '2026-03-29T01:30:00', '2026-03-29T01:00:00.000Z'],
    ['Europe/London', '2026-03-29T01:00:00', '2026-03-29T01:00:00.000Z'],
    ['Europe/London', '2026-03-29T02:00:00', '2026-03-29T01:00:00.000Z'],
    ['America/New_York', '2026-03-08T02:30:00', '2026-03-08T07:00:00.000Z'],
    // Fall-back overlaps: a repeated wall time maps to its first occurrence.
    ['Europe/London', '2026-10-25T01:30:00', '2026-10-25T00:30:00.000Z'],
    ['Europe/London', '2026-10-25T02:00:00', '2026-10-25T02:00:00.000Z'],
    ['America/New_York', '2026-11-01T01:30:00', '2026-11-01T05:30:00.000Z'],
    ['America/New_York', '2026-11-01T02:00:00', '2026-11-01T07:00:00.000Z'],
  ])('maps %s wall time %s to %s', (zone, local, expected) => {
    expect(new Date(ZoneClock.of(zone).toInstant(wall(local))).toISOString()).toBe(expected);
  });

  it.each(ZONES)('round-trips every hour of 2026 that is neither skipped nor repeated in %s', (zone) => {
    const clock = ZoneClock.of(zone);
    const start = Date.UTC(2026, 0, 1);
    for (let t = start; t < start + 366 * DAY_MS; t += HOUR_MS) {
      const local = clock.toWall(t);
      if (!clock.isUniform(t - 6 * HOUR_MS, t + 6 * HOUR_MS)) continue;
      expect(clock.toInstant(local)).toBe(t);
    }
  });

  it('refuses an unknown zone with INVALID_DISPLAY', () => {
    expect(() => ZoneClock.of('Mars/Olympus')).toThrow(PlaylistEngineError);
    expect(() => ZoneClock.of('Mars/Olympus')).toThrow(/not an IANA time zone/);
  });
});

describe(parseLocalDate.name, () => {
  it.each([
    ['1970-01-01', 0],
    ['2026-03-29', 20_541],
    ['2024-02-29', 19_782],
    ['2026-02-29', null],
    ['2026-13-01', null],
    ['26-01-01', null],
    ['2026-1-1', null],
  ])('%s → %s', (text, day) => {
    expect(parseLocalDate(text)).toBe(day);
  });
});

describe(parseClockTime.name, () => {
  it.each([
    ['00:00', false, 0],
    ['09:30', false, 9.5 * HOUR_MS],
    ['23:59', false, 23 * HOUR_MS + 59 * MINUTE_MS],
    ['24:00', true, 24 * HOUR_MS],
    ['24:00', false, null],
    ['24:01', true, null],
    ['9:30', false, null],
    ['12:60', false, null],
  ] as const)('%s (end of day allowed: %s) → %s', (text, allowEndOfDay, ms) => {
    expect(parseClockTime(text, allowEndOfDay)).toBe(ms);
  });
});
