import { describe, expect, it } from 'vitest';
import { addDays, csvFileName, daysBetween, eachDay, fillDays, isDay, lastDays, rangeProblem } from './dates';

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
