import { describe, expect, it } from 'vitest';
import { calendarHours, clockTime, dayCounts } from './calendar';

describe(calendarHours.name, () => {
  it('groups by the store’s own hour and slot, keeping empty hours between bookings', () => {
    // 2026-07-01 is in British Summer Time: 08:00Z is 09:00 in London.
    const items = [
      { id: 'c', start: '2026-07-01T12:20:00.000Z' },
      { id: 'a', start: '2026-07-01T08:00:00.000Z' },
      { id: 'b', start: '2026-07-01T08:00:00.000Z' },
      { id: 'd', start: '2026-07-01T08:40:00.000Z' },
    ];
    const hours = calendarHours(items, 'Europe/London');
    expect(hours.map((h) => h.hour)).toEqual(['09', '10', '11', '12', '13']);
    expect(hours[0]!.slots.map((s) => [s.time, s.items.map((i) => i.id)])).toEqual([
      ['09:00', ['a', 'b']],
      ['09:40', ['d']],
    ]);
    expect(hours[1]!.slots).toEqual([]);
    expect(hours[4]!.slots.map((s) => s.time)).toEqual(['13:20']);
  });

  it('is empty without appointments, and reads times on the store’s clock', () => {
    expect(calendarHours([], 'Asia/Tokyo')).toEqual([]);
    expect(clockTime('2026-01-15T23:30:00Z', 'Asia/Tokyo')).toBe('08:30');
    expect(clockTime('2026-01-15T23:30:00Z', 'Europe/London')).toBe('23:30');
  });
});

describe(dayCounts.name, () => {
  it('counts each state', () => {
    expect(dayCounts([{ state: 'BOOKED' }, { state: 'BOOKED' }, { state: 'NO_SHOW' }])).toEqual({
      BOOKED: 2,
      CHECKED_IN: 0,
      CANCELLED: 0,
      NO_SHOW: 1,
    });
  });
});
