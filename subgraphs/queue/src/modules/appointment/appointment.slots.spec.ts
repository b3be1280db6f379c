import { describe, expect, it } from 'vitest';
import type { OpeningWindow } from '../line/line.hours.js';
import { slotAt, slotsOfDay } from './appointment.slots.js';

const LONDON = 'Europe/London';
const sunday = (opens: string, closes: string): OpeningWindow[] => [{ day: 'SUN', opens, closes }];
const times = (hours: OpeningWindow[], day: string, minutes: number, zone = LONDON) =>
  slotsOfDay(hours, zone, day, minutes).map((s) => s.start.toISOString());

describe(slotsOfDay.name, () => {
  it.each([
    // 2030: British Summer Time starts Sunday 31 March and ends Sunday 27 October.
    ['the Sunday before BST (GMT)', '2030-03-24', ['2030-03-24T09:00:00.000Z', '2030-03-24T10:00:00.000Z']],
    ['the day BST starts', '2030-03-31', ['2030-03-31T08:00:00.000Z', '2030-03-31T09:00:00.000Z']],
    ['the Sunday after', '2030-04-07', ['2030-04-07T08:00:00.000Z', '2030-04-07T09:00:00.000Z']],
    ['the day BST ends', '2030-10-27', ['2030-10-27T09:00:00.000Z', '2030-10-27T10:00:00.000Z']],
  ])('follows local opening hours on %s', (_name, day, expected) => {
    expect(times(sunday('09:00', '11:00'), day, 60)).toEqual(expected);
  });

  it('has no slot at the local times the spring change skips, and one at those the autumn change repeats', () => {
    const night = sunday('00:00', '04:00');
    // 31 March: 01:00–02:00 does not exist in London; 00:00, 00:30 are GMT, 02:00 on are BST.
    expect(times(night, '2030-03-31', 30)).toEqual([
      '2030-03-31T00:00:00.000Z',
      '2030-03-31T00:30:00.000Z',
      '2030-03-31T01:00:00.000Z', // 02:00 BST
      '2030-03-31T01:30:00.000Z',
      '2030-03-31T02:00:00.000Z',
      '2030-03-31T02:30:00.000Z',
    ]);
    // 27 October: 01:00–02:00 happens twice; its slots are at the first (BST) occurrence only.
    expect(times(night, '2030-10-27', 30)).toEqual([
      '2030-10-26T23:00:00.000Z',
      '2030-10-26T23:30:00.000Z',
      '2030-10-27T00:00:00.000Z', // 01:00 BST
      '2030-10-27T00:30:00.000Z',
      '2030-10-27T02:00:00.000Z', // 02:00 GMT
      '2030-10-27T02:30:00.000Z',
      '2030-10-27T03:00:00.000Z',
      '2030-10-27T03:30:00.000Z',
    ]);
  });

  it('cuts every window of the weekday, each slot wholly inside its window', () => {
    const hours: OpeningWindow[] = [
      { day: 'TUE', opens: '09:00', closes: '10:10' },
      { day: 'TUE', opens: '14:00', closes: '14:30' },
      { day: 'WED', opens: '09:00', closes: '18:00' },
    ];
    expect(times(hours, '2030-03-12', 30, 'America/New_York')).toEqual([
      '2030-03-12T13:00:00.000Z',
      '2030-03-12T13:30:00.000Z',
      '2030-03-12T18:00:00.000Z',
    ]);
  });

  it('has no slots without hours, on closed days, for bad dates', () => {
    expect(times([], '2030-03-12', 30)).toEqual([]);
    expect(times(sunday('09:00', '18:00'), '2030-03-12', 30)).toEqual([]);
    expect(times(sunday('09:00', '18:00'), '2030-02-30', 30)).toEqual([]);
    expect(times(sunday('09:00', '18:00'), 'tomorrow', 30)).toEqual([]);
  });

  it('finds a slot by its exact start only', () => {
    const hours = sunday('09:00', '11:00');
    expect(slotAt(hours, LONDON, '2030-03-31', 30, new Date('2030-03-31T08:30:00Z'))?.end.toISOString()).toBe(
      '2030-03-31T09:00:00.000Z',
    );
    expect(slotAt(hours, LONDON, '2030-03-31', 30, new Date('2030-03-31T08:31:00Z'))).toBeNull();
    expect(slotAt(hours, LONDON, '2030-03-31', 30, new Date('2030-03-31T10:00:00Z'))).toBeNull();
  });
});
