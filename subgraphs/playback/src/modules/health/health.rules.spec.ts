import { describe, expect, it } from 'vitest';
import { AlertKind } from '../alert/alert.entity.js';
import { assess, DisplayStatus, type HealthFacts, openSince, type OpeningWindow } from './health.rules.js';

const T = { offlineAfterMs: 90_000, versionGraceMs: 120_000, staleAfterMs: 30 * 60_000 };
const NOW = Date.parse('2030-01-01T12:00:00Z'); // a Tuesday: 12:00 in London, 21:00 in Tokyo
const ago = (ms: number) => new Date(NOW - ms);
const base: HealthFacts = {
  lastSeenAt: ago(10_000),
  firstSeenAt: ago(60_000),
  lastPlayAt: ago(5_000),
  reportedVersion: 'v1',
  reportedSince: ago(600_000),
  expectedVersion: 'v1',
  expectedAt: ago(600_000),
};

describe(assess.name, () => {
  it.each<[string, Partial<HealthFacts>, DisplayStatus, AlertKind[]]>([
    ['never seen', { lastSeenAt: null }, DisplayStatus.UNKNOWN, []],
    ['healthy', {}, DisplayStatus.ONLINE, []],
    ['heartbeat 91 s ago', { lastSeenAt: ago(91_000) }, DisplayStatus.OFFLINE, [AlertKind.OFFLINE]],
    ['heartbeat 89 s ago', { lastSeenAt: ago(89_000) }, DisplayStatus.ONLINE, []],
    ['new version within grace', { expectedVersion: 'v2', expectedAt: ago(100_000) }, DisplayStatus.ONLINE, []],
    [
      'new version beyond grace',
      { expectedVersion: 'v2', expectedAt: ago(121_000) },
      DisplayStatus.NOT_PLAYING_EXPECTED,
      [AlertKind.NOT_PLAYING_EXPECTED],
    ],
    [
      'switched to an old version recently',
      { expectedVersion: 'v2', expectedAt: ago(999_000), reportedSince: ago(30_000) },
      DisplayStatus.ONLINE,
      [],
    ],
    ['no play for 31 min', { lastPlayAt: ago(31 * 60_000) }, DisplayStatus.ONLINE, [AlertKind.STALE_CONTENT]],
    [
      'no play ever, seen 31 min',
      { lastPlayAt: null, firstSeenAt: ago(31 * 60_000) },
      DisplayStatus.ONLINE,
      [AlertKind.STALE_CONTENT],
    ],
    // Stale content is owed only while the store is open and the playlist has items.
    ...(() => {
      const london = { timezone: 'Europe/London', openingHours: [{ day: 'TUE', opens: '09:00', closes: '18:00' }] };
      const stale = { lastPlayAt: ago(10 * 3600_000) };
      return [
        ['stale, store open since 09:00', { ...stale, ...london }, DisplayStatus.ONLINE, [AlertKind.STALE_CONTENT]],
        [
          'stale, store closed (Tokyo at 21:00)',
          { ...stale, timezone: 'Asia/Tokyo', openingHours: [{ day: 'TUE', opens: '09:00', closes: '18:00' }] },
          DisplayStatus.ONLINE,
          [],
        ],
        [
          'no play since last night, store opened 20 min ago',
          { ...stale, timezone: 'Europe/London', openingHours: [{ day: 'TUE', opens: '11:40', closes: '18:00' }] },
          DisplayStatus.ONLINE,
          [],
        ],
        [
          'no play since last night, store opened 31 min ago',
          { ...stale, timezone: 'Europe/London', openingHours: [{ day: 'TUE', opens: '11:29', closes: '18:00' }] },
          DisplayStatus.ONLINE,
          [AlertKind.STALE_CONTENT],
        ],
        [
          'closed all Tuesday',
          { ...stale, ...london, openingHours: [{ day: 'MON', opens: '09:00', closes: '18:00' }] },
          DisplayStatus.ONLINE,
          [],
        ],
        ['empty playlist', { ...stale, ...london, expectedItems: 0 }, DisplayStatus.ONLINE, []],
        [
          'playlist got items 20 min ago',
          { ...stale, ...london, expectedItems: 2, contentSince: ago(20 * 60_000) },
          DisplayStatus.ONLINE,
          [],
        ],
        [
          'playlist got items 31 min ago',
          { ...stale, ...london, expectedItems: 2, contentSince: ago(31 * 60_000) },
          DisplayStatus.ONLINE,
          [AlertKind.STALE_CONTENT],
        ],
        [
          'hours unknown: always open',
          { ...stale, timezone: 'Europe/London', openingHours: [] },
          DisplayStatus.ONLINE,
          [AlertKind.STALE_CONTENT],
        ],
        [
          'unknown zone: always open',
          { ...stale, timezone: 'Mars/Olympus', openingHours: london.openingHours },
          DisplayStatus.ONLINE,
          [AlertKind.STALE_CONTENT],
        ],
      ] as [string, Partial<HealthFacts>, DisplayStatus, AlertKind[]][];
    })(),
  ])('%s', (_name, facts, status, conditions) => {
    expect(assess({ ...base, ...facts }, NOW, T)).toEqual({ status, conditions });
  });
});

describe(openSince.name, () => {
  const week = (opens: string, closes: string): OpeningWindow[] =>
    (['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const).map((day) => ({ day, opens, closes }));

  it.each<[string, string, string, OpeningWindow[], string | null]>([
    ['open in London', '2030-01-01T12:00:00Z', 'Europe/London', week('09:00', '18:00'), '2030-01-01T09:00:00Z'],
    [
      'London in summer time (BST)',
      '2030-07-02T12:00:00Z',
      'Europe/London',
      week('09:00', '18:00'),
      '2030-07-02T08:00:00Z',
    ],
    ['closing minute is closed', '2030-01-01T18:00:00Z', 'Europe/London', week('09:00', '18:00'), null],
    ['opening minute is open', '2030-01-01T09:00:00Z', 'Europe/London', week('09:00', '18:00'), '2030-01-01T09:00:00Z'],
    [
      'Tokyo crosses the UTC date',
      '2030-01-01T23:30:00Z',
      'Asia/Tokyo',
      week('08:00', '20:00'),
      '2030-01-01T23:00:00Z',
    ],
    ['New York at 03:00 local', '2030-01-01T08:00:00Z', 'America/New_York', week('09:00', '21:00'), null],
    [
      'split day: lunch closed',
      '2030-01-01T12:30:00Z',
      'UTC',
      [
        { day: 'TUE', opens: '09:00', closes: '12:00' },
        { day: 'TUE', opens: '13:00', closes: '17:00' },
      ],
      null,
    ],
    [
      'split day: afternoon window',
      '2030-01-01T14:00:00Z',
      'UTC',
      [
        { day: 'TUE', opens: '09:00', closes: '12:00' },
        { day: 'TUE', opens: '13:00', closes: '17:00' },
      ],
      '2030-01-01T13:00:00Z',
    ],
  ])('%s', (_name, now, zone, hours, expected) => {
    const got = openSince(hours, zone, Date.parse(now));
    expect(got === null ? null : new Date(got).toISOString()).toBe(
      expected === null ? null : new Date(expected).toISOString(),
    );
  });

  it('counts a store without hours, or without a zone, as always open', () => {
    expect(openSince([], 'Europe/London', NOW)).toBe(-Infinity);
    expect(openSince(null, 'Europe/London', NOW)).toBe(-Infinity);
    expect(openSince(week('09:00', '10:00'), null, NOW)).toBe(-Infinity);
  });
});
