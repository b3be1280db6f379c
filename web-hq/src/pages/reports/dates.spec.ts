import { describe, expect, it } from 'vitest';
import {
  addDays,
  csvFileName,
  daysBetween,
  eachDay,
  fillDays,
  isDay,
  lastDays,
  rangeProblem,
  axisCount,
  axisName,
  playsPerDay,
} from './dates';

describe('report dates', () => {
  it('the last 30 days end today (UTC) and include it', () => {
    const r = lastDays(30, new Date('2026-03-31T23:30:00Z'));
    expect(r).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(daysBetween(r.from, r.to)).toBe(30);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('validates days and ranges', () => {
    expect(isDay('2026-02-30')).toBe(true); // Date.parse rolls over; the subgraph does the same
    expect(isDay('2026-2-3')).toBe(false);
    expect(isDay('')).toBe(false);
    expect(rangeProblem('2026-03-02', '2026-03-01')).toMatch(/before/);
    expect(rangeProblem('2025-01-01', '2026-03-01')).toMatch(/at most 400/);
    expect(rangeProblem('2026-03-01', '2026-03-01')).toBeNull();
    expect(rangeProblem('', '2026-03-01')).toMatch(/start/);
  });

  it('fills days without plays with zeros, in order', () => {
    const rows = [
      { day: '2026-03-03', plays: 5, playTimeMs: 50_000, displays: 2 },
      { day: '2026-03-01', plays: 1, playTimeMs: 10_000, displays: 1 },
    ];
    expect(fillDays(rows, '2026-03-01', '2026-03-04')).toEqual([
      { day: '2026-03-01', plays: 1, playTimeMs: 10_000, displays: 1 },
      { day: '2026-03-02', plays: 0, playTimeMs: 0, displays: 0 },
      { day: '2026-03-03', plays: 5, playTimeMs: 50_000, displays: 2 },
      { day: '2026-03-04', plays: 0, playTimeMs: 0, displays: 0 },
    ]);
    expect(eachDay('2026-03-01', '2026-02-28')).toEqual([]);
  });

  it('makes safe CSV file names', () => {
    expect(csvFileName(['plays', 'Autumn Sale / UK', '2026-03-01', '2026-03-30'])).toBe(
      'plays-autumn-sale-uk-2026-03-01-2026-03-30.csv',
    );
    expect(csvFileName([null, ''])).toBe('report.csv');
  });
});

describe(playsPerDay.name, () => {
  it.each([
    [0, 30, '0'],
    [12_345, 7, '1,764'],
    [25, 10, '2.5'],
    [30, 30, '1'],
    [3, 30, '1 every 10 days'],
    [9, 10, '0.9'],
    [1, 3, '1 every 3 days'],
    [1, 400, '1 every 400 days'],
  ])('%i plays over %i days: %s', (plays, days, expected) => {
    expect(playsPerDay(plays, days)).toBe(expected);
  });
});

describe('axis ticks', () => {
  it('shortens large counts and long names', () => {
    expect(axisCount(950)).toBe('950');
    expect(axisCount(12_400)).toMatch(/^12\.4\s?K$/i);
    expect(axisName('Oxford Street flagship, ground floor entrance')).toBe('Oxford Street flagshi…');
    expect(axisName('Leeds')).toBe('Leeds');
  });
});
