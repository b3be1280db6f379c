import { describe, expect, it } from 'vitest';
import { AlertKind } from '../alert/alert.entity.js';
import { assess, DisplayStatus, type HealthFacts } from './health.rules.js';

const T = { offlineAfterMs: 90_000, versionGraceMs: 120_000, staleAfterMs: 30 * 60_000 };
const NOW = Date.parse('2030-01-01T12:00:00Z');
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
  ])('%s', (_name, facts, status, conditions) => {
    expect(assess({ ...base, ...facts }, NOW, T)).toEqual({ status, conditions });
  });
});
