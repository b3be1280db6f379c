import { describe, expect, it } from 'vitest';

import { aCampaign, aDisplay } from './fixtures.js';
import { nextBoundary, resolvePlaylist } from './resolve.js';
import type { Daypart, Schedule } from './types.js';

const LONDON = 'Europe/London';
const NEW_YORK = 'America/New_York';

const plays = (timezone: string, schedule: Schedule, at: string): boolean =>
  resolvePlaylist(aDisplay({ timezone }), [aCampaign('A', { schedule })], [], new Date(at)).items.length > 0;

const daypart = (days: Daypart['days'], from: string, to: string): Schedule => ({ dayparts: [{ days, from, to }] });

describe(resolvePlaylist.name, () => {
  describe('dayparts across DST changes (a window is the interval from its start to its end as instants)', () => {
    // London springs forward on Sun 2026-03-29 at 01:00 UTC: 01:00 GMT becomes 02:00 BST.
    // London falls back on Sun 2026-10-25 at 01:00 UTC: 02:00 BST becomes 01:00 GMT, 01:xx happens twice.
    // New York springs forward on Sun 2026-03-08 at 07:00 UTC (02:00 EST → 03:00 EDT) and falls back on
    // Sun 2026-11-01 at 06:00 UTC (02:00 EDT → 01:00 EST).
    it.each([
      // A window starting inside the skipped hour opens at the jump.
      [LONDON, 'SUN 01:30–03:00, spring forward', daypart(['SUN'], '01:30', '03:00'), '2026-03-29T00:59:59Z', false],
      [LONDON, 'SUN 01:30–03:00, spring forward', daypart(['SUN'], '01:30', '03:00'), '2026-03-29T01:00:00Z', true],
      [LONDON, 'SUN 01:30–03:00, spring forward', daypart(['SUN'], '01:30', '03:00'), '2026-03-29T01:59:59Z', true],
      [LONDON, 'SUN 01:30–03:00, spring forward', daypart(['SUN'], '01:30', '03:00'), '2026-03-29T02:00:00Z', false],
      // A window wholly inside the skipped hour does not happen that day.
      [LONDON, 'SUN 01:15–01:45, spring forward', daypart(['SUN'], '01:15', '01:45'), '2026-03-29T00:59:00Z', false],
      [LONDON, 'SUN 01:15–01:45, spring forward', daypart(['SUN'], '01:15', '01:45'), '2026-03-29T01:00:00Z', false],
      [LONDON, 'SUN 01:15–01:45, spring forward', daypart(['SUN'], '01:15', '01:45'), '2026-03-29T01:30:00Z', false],
      // A window ending inside the skipped hour closes at the jump.
      [LONDON, 'SUN 00:30–01:30, spring forward', daypart(['SUN'], '00:30', '01:30'), '2026-03-29T00:59:59Z', true],
      [LONDON, 'SUN 00:30–01:30, spring forward', daypart(['SUN'], '00:30', '01:30'), '2026-03-29T01:00:00Z', false],
      // A window starting in the repeated hour opens at its first 01:30 and stays open through the repeat.
      [LONDON, 'SUN 01:30–03:00, fall back', daypart(['SUN'], '01:30', '03:00'), '2026-10-25T00:29:59Z', false],
      [LONDON, 'SUN 01:30–03:00, fall back', daypart(['SUN'], '01:30', '03:00'), '2026-10-25T00:30:00Z', true],
      [LONDON, 'SUN 01:30–03:00, fall back', daypart(['SUN'], '01:30', '03:00'), '2026-10-25T01:10:00Z', true],
      [LONDON, 'SUN 01:30–03:00, fall back', daypart(['SUN'], '01:30', '03:00'), '2026-10-25T02:59:59Z', true],
      [LONDON, 'SUN 01:30–03:00, fall back', daypart(['SUN'], '01:30', '03:00'), '2026-10-25T03:00:00Z', false],
      // A window wholly inside the repeated hour plays once, on the first pass.
      [LONDON, 'SUN 01:15–01:45, fall back', daypart(['SUN'], '01:15', '01:45'), '2026-10-25T00:15:00Z', true],
      [LONDON, 'SUN 01:15–01:45, fall back', daypart(['SUN'], '01:15', '01:45'), '2026-10-25T00:45:00Z', false],
      [LONDON, 'SUN 01:15–01:45, fall back', daypart(['SUN'], '01:15', '01:45'), '2026-10-25T01:15:00Z', false],
      [NEW_YORK, 'SUN 02:30–04:00, spring forward', daypart(['SUN'], '02:30', '04:00'), '2026-03-08T06:59:59Z', false],
      [NEW_YORK, 'SUN 02:30–04:00, spring forward', daypart(['SUN'], '02:30', '04:00'), '2026-03-08T07:00:00Z', true],
      [NEW_YORK, 'SUN 02:30–04:00, spring forward', daypart(['SUN'], '02:30', '04:00'), '2026-03-08T07:59:59Z', true],
      [NEW_YORK, 'SUN 02:30–04:00, spring forward', daypart(['SUN'], '02:30', '04:00'), '2026-03-08T08:00:00Z', false],
      [NEW_YORK, 'SUN 01:30–02:30, fall back', daypart(['SUN'], '01:30', '02:30'), '2026-11-01T05:29:59Z', false],
      [NEW_YORK, 'SUN 01:30–02:30, fall back', daypart(['SUN'], '01:30', '02:30'), '2026-11-01T05:30:00Z', true],
      [NEW_YORK, 'SUN 01:30–02:30, fall back', daypart(['SUN'], '01:30', '02:30'), '2026-11-01T06:10:00Z', true],
      [NEW_YORK, 'SUN 01:30–02:30, fall back', daypart(['SUN'], '01:30', '02:30'), '2026-11-01T07:29:59Z', true],
      [NEW_YORK, 'SUN 01:30–02:30, fall back', daypart(['SUN'], '01:30', '02:30'), '2026-11-01T07:30:00Z', false],
      [
        NEW_YORK,
        'daily 09:00–17:00 after spring forward',
        daypart([], '09:00', '17:00'),
        '2026-03-08T12:59:59Z',
        false,
      ],
      [NEW_YORK, 'daily 09:00–17:00 after spring forward', daypart([], '09:00', '17:00'), '2026-03-08T13:00:00Z', true],
      [
        NEW_YORK,
        'daily 09:00–17:00 before spring forward',
        daypart([], '09:00', '17:00'),
        '2026-03-07T14:00:00Z',
        true,
      ],
      [
        NEW_YORK,
        'daily 09:00–17:00 before spring forward',
        daypart([], '09:00', '17:00'),
        '2026-03-07T13:59:59Z',
        false,
      ],
    ])('%s %s at %s → plays: %s', (zone, _name, schedule, at, expected) => {
      expect(plays(zone, schedule, at)).toBe(expected);
    });
  });

  describe('midnight-wrapping windows (to <= from ends on the next day)', () => {
    it.each([
      // FRI 22:00–02:00 BST = Fri 21:00Z → Sat 01:00Z; Saturday itself is not listed.
      [LONDON, 'FRI 22:00–02:00', daypart(['FRI'], '22:00', '02:00'), '2026-06-05T20:59:59Z', false],
      [LONDON, 'FRI 22:00–02:00', daypart(['FRI'], '22:00', '02:00'), '2026-06-05T21:00:00Z', true],
      [LONDON, 'FRI 22:00–02:00', daypart(['FRI'], '22:00', '02:00'), '2026-06-06T00:59:59Z', true],
      [LONDON, 'FRI 22:00–02:00', daypart(['FRI'], '22:00', '02:00'), '2026-06-06T01:00:00Z', false],
      [LONDON, 'FRI 22:00–02:00', daypart(['FRI'], '22:00', '02:00'), '2026-06-06T21:30:00Z', false],
      [
        LONDON,
        'THU 22:00–02:00 does not reach Saturday',
        daypart(['THU'], '22:00', '02:00'),
        '2026-06-06T00:30:00Z',
        false,
      ],
      // Across spring forward: SAT 22:00 GMT (22:00Z) → SUN 03:00 BST (02:00Z), four real hours.
      [LONDON, 'SAT 22:00–03:00 over spring forward', daypart(['SAT'], '22:00', '03:00'), '2026-03-28T22:00:00Z', true],
      [LONDON, 'SAT 22:00–03:00 over spring forward', daypart(['SAT'], '22:00', '03:00'), '2026-03-29T01:30:00Z', true],
      [
        LONDON,
        'SAT 22:00–03:00 over spring forward',
        daypart(['SAT'], '22:00', '03:00'),
        '2026-03-29T02:00:00Z',
        false,
      ],
      // Across fall back: SAT 23:00 EDT (03:00Z) → SUN 01:30, first occurrence (05:30Z).
      [NEW_YORK, 'SAT 23:00–01:30 over fall back', daypart(['SAT'], '23:00', '01:30'), '2026-11-01T03:00:00Z', true],
      [NEW_YORK, 'SAT 23:00–01:30 over fall back', daypart(['SAT'], '23:00', '01:30'), '2026-11-01T05:29:59Z', true],
      [NEW_YORK, 'SAT 23:00–01:30 over fall back', daypart(['SAT'], '23:00', '01:30'), '2026-11-01T05:30:00Z', false],
      [NEW_YORK, 'SAT 23:00–01:30 over fall back', daypart(['SAT'], '23:00', '01:30'), '2026-11-01T06:10:00Z', false],
      // from == to is a full 24 hours from `from`; '24:00' ends at midnight.
      [LONDON, 'MON 06:00–06:00', daypart(['MON'], '06:00', '06:00'), '2026-06-09T04:59:59Z', true],
      [LONDON, 'MON 06:00–06:00', daypart(['MON'], '06:00', '06:00'), '2026-06-09T05:00:00Z', false],
      [LONDON, 'MON 18:00–24:00', daypart(['MON'], '18:00', '24:00'), '2026-06-08T22:59:59Z', true],
      [LONDON, 'MON 18:00–24:00', daypart(['MON'], '18:00', '24:00'), '2026-06-08T23:00:00Z', false],
    ])('%s %s at %s → plays: %s', (zone, _name, schedule, at, expected) => {
      expect(plays(zone, schedule, at)).toBe(expected);
    });
  });

  describe('date ranges and absolute instants', () => {
    it.each([
      // endsAt is exclusive, startsAt inclusive.
      [LONDON, { endsAt: new Date('2026-06-10T12:00:00Z') }, '2026-06-10T11:59:59.999Z', true],
      [LONDON, { endsAt: new Date('2026-06-10T12:00:00Z') }, '2026-06-10T12:00:00Z', false],
      [LONDON, { startsAt: new Date('2026-06-10T12:00:00Z') }, '2026-06-10T11:59:59.999Z', false],
      [LONDON, { startsAt: new Date('2026-06-10T12:00:00Z') }, '2026-06-10T12:00:00Z', true],
      // endDate runs through the end of the store-local day (BST: 23:00Z), startDate from local midnight.
      [LONDON, { endDate: '2026-06-30' }, '2026-06-30T22:59:59.999Z', true],
      [LONDON, { endDate: '2026-06-30' }, '2026-06-30T23:00:00Z', false],
      [LONDON, { startDate: '2026-06-01' }, '2026-05-31T22:59:59.999Z', false],
      [LONDON, { startDate: '2026-06-01' }, '2026-05-31T23:00:00Z', true],
      [NEW_YORK, { endDate: '2026-06-30' }, '2026-07-01T03:59:59.999Z', true],
      [NEW_YORK, { endDate: '2026-06-30' }, '2026-07-01T04:00:00Z', false],
      // An endDate on the fall-back day ends at the following local midnight (EST: 05:00Z).
      [NEW_YORK, { endDate: '2026-11-01' }, '2026-11-02T04:59:59Z', true],
      [NEW_YORK, { endDate: '2026-11-01' }, '2026-11-02T05:00:00Z', false],
      // Both kinds present: all must hold.
      [
        LONDON,
        { startDate: '2026-06-01', endDate: '2026-06-30', endsAt: new Date('2026-06-15T00:00:00Z') },
        '2026-06-20T12:00:00Z',
        false,
      ],
      [
        LONDON,
        { startDate: '2026-06-01', endDate: '2026-06-30', endsAt: new Date('2026-06-15T00:00:00Z') },
        '2026-06-14T12:00:00Z',
        true,
      ],
    ] as const)('%s %j at %s → plays: %s', (zone, schedule, at, expected) => {
      expect(plays(zone, schedule, at)).toBe(expected);
    });
  });
});

describe(nextBoundary.name, () => {
  const boundary = (zone: string, schedule: Schedule, after: string): string | null =>
    nextBoundary(aDisplay({ timezone: zone }), [aCampaign('A', { schedule })], [], new Date(after))?.toISOString() ??
    null;

  it.each([
    [
      LONDON,
      'a window opening in the skipped hour opens at the jump',
      daypart(['SUN'], '01:30', '03:00'),
      '2026-03-29T00:00:00Z',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      LONDON,
      'and closes at 03:00 BST',
      daypart(['SUN'], '01:30', '03:00'),
      '2026-03-29T01:00:00Z',
      '2026-03-29T02:00:00.000Z',
    ],
    [
      LONDON,
      'a window inside the skipped hour opens and closes at the jump',
      daypart(['SUN'], '01:15', '01:45'),
      '2026-03-29T00:00:00Z',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      LONDON,
      'daily 09:00 after spring forward is 08:00Z',
      daypart([], '09:00', '17:00'),
      '2026-03-28T17:30:00Z',
      '2026-03-29T08:00:00.000Z',
    ],
    [
      LONDON,
      'daily 17:00 before fall back is 16:00Z',
      daypart([], '09:00', '17:00'),
      '2026-10-24T12:00:00Z',
      '2026-10-24T16:00:00.000Z',
    ],
    [
      LONDON,
      'daily 09:00 after fall back is 09:00Z',
      daypart([], '09:00', '17:00'),
      '2026-10-24T16:00:00Z',
      '2026-10-25T09:00:00.000Z',
    ],
    [
      LONDON,
      'a repeated-hour window closes at its first 01:45',
      daypart(['SUN'], '01:15', '01:45'),
      '2026-10-25T00:15:00Z',
      '2026-10-25T00:45:00.000Z',
    ],
    [
      NEW_YORK,
      'a window opening in the skipped hour opens at the jump',
      daypart(['SUN'], '02:30', '04:00'),
      '2026-03-08T05:00:00Z',
      '2026-03-08T07:00:00.000Z',
    ],
    [
      NEW_YORK,
      'a window starting in the repeated hour opens at its first 01:30',
      daypart(['SUN'], '01:30', '02:30'),
      '2026-11-01T04:00:00Z',
      '2026-11-01T05:30:00.000Z',
    ],
    [
      NEW_YORK,
      'and closes at 02:30 EST',
      daypart(['SUN'], '01:30', '02:30'),
      '2026-11-01T05:30:00Z',
      '2026-11-01T07:30:00.000Z',
    ],
    [
      NEW_YORK,
      'a wrapping window across fall back closes at the first 01:30',
      daypart(['SAT'], '23:00', '01:30'),
      '2026-11-01T04:00:00Z',
      '2026-11-01T05:30:00.000Z',
    ],
    [
      NEW_YORK,
      'the end of an endDate is the next local midnight',
      { endDate: '2026-11-01' },
      '2026-11-01T12:00:00Z',
      '2026-11-02T05:00:00.000Z',
    ],
    [
      NEW_YORK,
      'a future startDate is its local midnight',
      { startDate: '2026-03-09', dayparts: [{ days: [], from: '09:00', to: '10:00' }] },
      '2026-03-01T00:00:00Z',
      '2026-03-09T04:00:00.000Z',
    ],
    [
      LONDON,
      'after the end nothing changes again',
      { endsAt: new Date('2026-06-01T00:00:00Z') },
      '2026-06-01T00:00:00Z',
      null,
    ],
    [LONDON, 'an unscheduled campaign never changes', {}, '2026-06-01T00:00:00Z', null],
  ] as const)('%s: %s (after %s)', (zone, _name, schedule, after, expected) => {
    expect(boundary(zone, schedule, after)).toBe(expected);
  });

  it('is the earliest of all targeting campaigns and overrides of the display', () => {
    const display = aDisplay();
    const campaigns = [
      aCampaign('A', { priority: 9, schedule: { endsAt: new Date('2026-06-01T18:00:00Z') } }),
      aCampaign('B', { schedule: { dayparts: [{ days: [], from: '12:00', to: '13:00' }] } }),
      aCampaign('other-tenant', { tenantId: 't2', schedule: { endsAt: new Date('2026-06-01T10:30:00Z') } }),
    ];
    const at = new Date('2026-06-01T09:00:00Z');
    expect(nextBoundary(display, campaigns, [], at)?.toISOString()).toBe('2026-06-01T11:00:00.000Z');
    const override = {
      id: 'o1',
      displayId: 'd1',
      creative: campaigns[0]!.creatives[0]!,
      startsAt: new Date('2026-06-01T10:00:00Z'),
      until: new Date('2026-06-01T10:15:00Z'),
      createdAt: new Date('2026-06-01T08:00:00Z'),
    };
    expect(nextBoundary(display, campaigns, [override], at)?.toISOString()).toBe('2026-06-01T10:00:00.000Z');
    expect(nextBoundary(aDisplay({ displayId: 'd2' }), campaigns, [override], at)?.toISOString()).toBe(
      '2026-06-01T11:00:00.000Z',
    );
  });
});
