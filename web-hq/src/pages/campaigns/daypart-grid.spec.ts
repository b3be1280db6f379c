import { describe, expect, it } from 'vitest';
import {
  daypartsToGrid,
  describeDayparts,
  emptyGrid,
  fullGrid,
  gridToDayparts,
  paint,
  type Daypart,
} from './daypart-grid';

const on = (grid: boolean[][]) => grid.flatMap((hours, d) => hours.flatMap((v, h) => (v ? [`${d}:${h}`] : [])));

describe(gridToDayparts.name, () => {
  it('turns a full grid into no dayparts (all day)', () => {
    expect(gridToDayparts(fullGrid())).toEqual([]);
  });

  it('merges equal windows of several days into one daypart', () => {
    const grid = paint(emptyGrid(), { day: 0, hour: 9 }, { day: 4, hour: 16 }, true);
    expect(gridToDayparts(grid)).toEqual([{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '09:00', to: '17:00' }]);
  });

  it('keeps several runs of one day apart and ends the last hour at 24:00', () => {
    let grid = paint(emptyGrid(), { day: 5, hour: 7 }, { day: 5, hour: 8 }, true);
    grid = paint(grid, { day: 5, hour: 20 }, { day: 5, hour: 23 }, true);
    expect(gridToDayparts(grid)).toEqual([
      { days: ['SAT'], from: '07:00', to: '09:00' },
      { days: ['SAT'], from: '20:00', to: '24:00' },
    ]);
  });

  it('lists an every-day window with empty days', () => {
    const grid = paint(emptyGrid(), { day: 0, hour: 12 }, { day: 6, hour: 13 }, true);
    expect(gridToDayparts(grid)).toEqual([{ days: [], from: '12:00', to: '14:00' }]);
  });
});

describe(daypartsToGrid.name, () => {
  it.each<[string, Daypart[], string[]]>([
    ['no dayparts is the whole week', [], on(fullGrid())],
    ['a window on two days', [{ days: ['MON', 'WED'], from: '09:00', to: '11:00' }], ['0:9', '0:10', '2:9', '2:10']],
    ['to 24:00 includes the last hour', [{ days: ['SUN'], from: '22:00', to: '24:00' }], ['6:22', '6:23']],
    [
      'to ≤ from runs into the next day (Sunday wraps to Monday)',
      [{ days: ['SUN'], from: '23:00', to: '02:00' }],
      ['0:0', '0:1', '6:23'],
    ],
  ])('%s', (_name, dayparts, cells) => {
    const { grid, exact } = daypartsToGrid(dayparts);
    expect(on(grid).sort()).toEqual([...cells].sort());
    expect(exact).toBe(true);
  });

  it('marks every hour a window touches when it is not on the hour, and says so', () => {
    const { grid, exact } = daypartsToGrid([{ days: ['TUE'], from: '09:30', to: '10:15' }]);
    expect(on(grid)).toEqual(['1:9', '1:10']);
    expect(exact).toBe(false);
  });

  it('round-trips hourly dayparts through the grid', () => {
    const dayparts: Daypart[] = [
      { days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], from: '07:00', to: '10:00' },
      { days: ['SAT', 'SUN'], from: '10:00', to: '18:00' },
    ];
    expect(gridToDayparts(daypartsToGrid(dayparts).grid)).toEqual(dayparts);
  });
});

describe(describeDayparts.name, () => {
  it('summarises ranges of days and lists others', () => {
    expect(describeDayparts([])).toBe('All day, every day');
    expect(describeDayparts([{ days: ['MON', 'TUE', 'WED'], from: '09:00', to: '17:00' }])).toBe('Mon–Wed 09:00–17:00');
    expect(describeDayparts([{ days: ['MON', 'SAT'], from: '09:00', to: '12:00' }])).toBe('Mon, Sat 09:00–12:00');
  });
});
