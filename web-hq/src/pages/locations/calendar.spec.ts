import { describe, expect, it } from 'vitest';
import { addDays, buildCalendar, localDate, weekdayOf, weekOf, windowsOn, type CalendarCampaign } from './calendar';

describe('week dates', () => {
  it('finds Monday to Sunday across a month and a year end', () => {
    expect(weekdayOf('2026-12-06')).toBe('SUN');
    expect(weekOf('2026-12-06')).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ]);
    expect(weekOf('2027-01-01')[0]).toBe('2026-12-28');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('takes an instant’s date in the store’s zone', () => {
    expect(localDate('2026-12-06T23:30:00Z', 'Europe/Berlin')).toBe('2026-12-07');
    expect(localDate('2026-12-06T03:00:00Z', 'America/New_York')).toBe('2026-12-05');
  });
});

describe('windowsOn', () => {
  const tz = 'Europe/London';
  it.each([
    ['no constraints', { dayparts: [] }, '2026-12-07', ['All day']],
    ['before the start date', { startDate: '2026-12-08', dayparts: [] }, '2026-12-07', null],
    ['on the end date', { endDate: '2026-12-07', dayparts: [] }, '2026-12-07', ['All day']],
    ['after the end date', { endDate: '2026-12-06', dayparts: [] }, '2026-12-07', null],
    ['ending at local midnight', { endsAt: '2026-12-07T00:00:00Z', dayparts: [] }, '2026-12-07', null],
    ['starting that evening', { startsAt: '2026-12-07T18:00:00Z', dayparts: [] }, '2026-12-07', ['All day']],
    [
      'weekday dayparts on a Monday',
      {
        dayparts: [
          { days: ['MON', 'TUE'], from: '08:00', to: '12:00' },
          { days: [], from: '17:00', to: '19:00' },
          { days: ['SAT'], from: '10:00', to: '11:00' },
        ],
      },
      '2026-12-07',
      ['08:00–12:00', '17:00–19:00'],
    ],
    ['a daypart of other days only', { dayparts: [{ days: ['SAT'], from: '10:00', to: '11:00' }] }, '2026-12-07', null],
    [
      'an overnight daypart',
      { dayparts: [{ days: [], from: '22:00', to: '02:00' }] },
      '2026-12-07',
      ['22:00–02:00 (next day)'],
    ],
    ['a daypart to midnight', { dayparts: [{ days: [], from: '20:00', to: '24:00' }] }, '2026-12-07', ['20:00–24:00']],
  ])('%s', (_name, schedule, date, expected) => {
    expect(windowsOn(schedule, date, tz)).toEqual(expected);
  });
});

describe('buildCalendar', () => {
  const london = { id: 's1', name: 'London', timezone: 'Europe/London' };
  const ny = { id: 's2', name: 'New York', timezone: 'America/New_York' };
  const windows = { id: 'g1', name: 'Window screens' };
  const campaigns: CalendarCampaign[] = [
    {
      id: 'c1',
      name: 'Autumn',
      status: 'LIVE',
      priority: 1,
      schedule: { dayparts: [] },
      displays: [
        { id: 'd1', store: london, groups: [windows] },
        { id: 'd2', store: london, groups: [] },
        { id: 'd3', store: ny, groups: [windows] },
      ],
    },
    {
      id: 'c2',
      name: 'Breakfast',
      status: 'LIVE',
      priority: 5,
      // Only through Tuesday in London's calendar.
      schedule: { endDate: '2026-12-01', dayparts: [{ days: ['MON', 'TUE'], from: '07:00', to: '10:00' }] },
      displays: [{ id: 'd1', store: london, groups: [windows] }],
    },
  ];
  const week = weekOf('2026-12-02');

  it('lists each store with its campaigns per day, highest priority first', () => {
    const rows = buildCalendar(campaigns, week, 'store');
    expect(rows.map((r) => r.name)).toEqual(['London', 'New York']);
    const [monday, tuesday, wednesday] = rows[0]!.days;
    expect(monday!.map((e) => [e.name, e.windows, e.displays])).toEqual([
      ['Breakfast', ['07:00–10:00'], 1],
      ['Autumn', ['All day'], 2],
    ]);
    expect(tuesday!.map((e) => e.name)).toEqual(['Breakfast', 'Autumn']);
    expect(wednesday!.map((e) => e.name)).toEqual(['Autumn']);
    expect(rows[1]!.days.every((d) => d.length === 1 && d[0]!.displays === 1)).toBe(true);
  });

  it('lists each display group, counting its matching displays across stores', () => {
    const rows = buildCalendar(campaigns, week, 'group');
    expect(rows.map((r) => r.name)).toEqual(['Window screens']);
    expect(rows[0]!.days[0]!.map((e) => [e.name, e.displays])).toEqual([
      ['Breakfast', 1],
      ['Autumn', 2],
    ]);
    expect(rows[0]!.days[6]!.map((e) => e.name)).toEqual(['Autumn']);
  });
});
