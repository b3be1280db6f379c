import { describe, expect, it } from 'vitest';
import { addDays, localTime, todayIn, zonedDay, zonedTime } from './time';

describe(zonedDay.name, () => {
  it.each([
    ['2026-06-15', 'Europe/London', '2026-06-14T23:00:00.000Z', '2026-06-15T23:00:00.000Z'],
    ['2026-01-15', 'America/New_York', '2026-01-15T05:00:00.000Z', '2026-01-16T05:00:00.000Z'],
    // the spring-forward day in London lasts 23 hours
    ['2026-03-29', 'Europe/London', '2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z'],
    ['2026-06-15', 'Asia/Tokyo', '2026-06-14T15:00:00.000Z', '2026-06-15T15:00:00.000Z'],
  ])('%s in %s is [%s, %s)', (date, tz, from, to) => {
    const day = zonedDay(date, tz);
    expect(day.from.toISOString()).toBe(from);
    expect(day.to.toISOString()).toBe(to);
  });
});

describe(zonedTime.name, () => {
  it('reads a wall-clock time in a store’s zone', () => {
    expect(zonedTime('2026-06-15', '09:30', 'Europe/London').toISOString()).toBe('2026-06-15T08:30:00.000Z');
    expect(localTime('2026-06-15T08:30:00Z', 'Europe/London')).toBe('09:30');
  });
});

describe(addDays.name, () => {
  it('crosses months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('todayIn gives the store’s date', () => {
    expect(todayIn('Asia/Tokyo', new Date('2026-06-14T16:00:00Z'))).toBe('2026-06-15');
    expect(todayIn('America/New_York', new Date('2026-06-14T02:00:00Z'))).toBe('2026-06-13');
  });
});
