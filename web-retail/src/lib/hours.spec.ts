import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayProblem,
  exceptionProblems,
  exceptionsInput,
  formatDate,
  hoursFromWeek,
  storeToday,
  weekFromHours,
} from './hours';

describe(weekFromHours.name, () => {
  it('groups windows by day in opening order and gives them back in week order', () => {
    const week = weekFromHours([
      { day: 'SAT', opens: '14:00', closes: '18:00' },
      { day: 'MON', opens: '09:00', closes: '17:00' },
      { day: 'SAT', opens: '09:00', closes: '12:00' },
    ]);
    expect(week.SAT).toEqual([
      { opens: '09:00', closes: '12:00' },
      { opens: '14:00', closes: '18:00' },
    ]);
    expect(week.SUN).toEqual([]);
    expect(hoursFromWeek(week).map((h) => `${h.day} ${h.opens}`)).toEqual(['MON 09:00', 'SAT 09:00', 'SAT 14:00']);
  });
});

describe(dayProblem.name, () => {
  it.each([
    [[], null],
    [[{ opens: '09:00', closes: '17:00' }], null],
    [[{ opens: '17:00', closes: '09:00' }], 'It must close after it opens.'],
    [[{ opens: '9:00', closes: '17:00' }], 'Give both times as HH:MM.'],
    [
      [
        { opens: '09:00', closes: '13:00' },
        { opens: '12:00', closes: '18:00' },
      ],
      'Two opening windows overlap.',
    ],
  ])('%j → %s', (windows, expected) => {
    expect(dayProblem(windows)).toBe(expected);
  });
});

describe(exceptionProblems.name, () => {
  it('flags a missing date, a repeated date and a closed-before-open window, by row', () => {
    const row = { closed: false, opens: '09:00', closes: '12:00', note: '' };
    expect(
      exceptionProblems([
        { ...row, date: '2026-12-24' },
        { ...row, date: '' },
        { ...row, date: '2026-12-24', closed: true },
        { ...row, date: '2026-12-31', opens: '12:00', closes: '10:00' },
        { ...row, date: '2027-01-01', closed: true, opens: '', closes: '' },
      ]),
    ).toEqual({ 1: 'Choose a date.', 2: 'This date is already in the list.', 3: 'It must close after it opens.' });
  });

  it('sends closed days without times and trims notes', () => {
    expect(
      exceptionsInput([
        { date: '2026-12-25', closed: true, opens: '09:00', closes: '17:00', note: ' Christmas ' },
        { date: '2026-12-24', closed: false, opens: '09:00', closes: '14:00', note: '' },
      ]),
    ).toEqual([
      { date: '2026-12-25', closed: true, opens: null, closes: null, note: 'Christmas' },
      { date: '2026-12-24', closed: false, opens: '09:00', closes: '14:00', note: null },
    ]);
  });
});

describe(storeToday.name, () => {
  it('is the store’s own date, not the browser’s', () => {
    const instant = new Date('2026-03-01T23:30:00Z');
    expect(storeToday('Europe/London', instant)).toBe('2026-03-01');
    expect(storeToday('Asia/Tokyo', instant)).toBe('2026-03-02');
    expect(storeToday('America/New_York', instant)).toBe('2026-03-01');
  });

  it('moves dates across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(formatDate('2026-12-24')).toBe('Thu, 24 Dec 2026');
  });
});
