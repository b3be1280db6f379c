import { describe, expect, it } from 'vitest';
import {
  ago,
  applyChange,
  countByStatus,
  describeChange,
  isDisplayStatus,
  playingState,
  withLive,
  type LiveStatus,
} from './status';

describe('fleet statuses', () => {
  it('counts displays per status', () => {
    const counts = countByStatus([
      { status: 'ONLINE' },
      { status: 'OFFLINE' },
      { status: 'ONLINE' },
      { status: 'UNKNOWN' },
    ]);
    expect(counts).toEqual({ ONLINE: 2, OFFLINE: 1, NOT_PLAYING_EXPECTED: 0, UNKNOWN: 1, total: 4 });
  });

  it('a live change overrides the loaded status; older news does not replace newer', () => {
    let overlay: Map<string, LiveStatus> = new Map();
    overlay = applyChange(overlay, 'd1', {
      status: 'ONLINE',
      at: '2026-03-01T10:00:05Z',
      lastSeenAt: '2026-03-01T10:00:04Z',
    });
    overlay = applyChange(overlay, 'd1', { status: 'OFFLINE', at: '2026-03-01T10:00:01Z' });
    const d = withLive({ id: 'd1', status: 'UNKNOWN' as const, lastSeenAt: null, name: 'Window left' }, overlay);
    expect(d).toEqual({ id: 'd1', status: 'ONLINE', lastSeenAt: '2026-03-01T10:00:04Z', name: 'Window left' });
    expect(withLive({ id: 'd2', status: 'OFFLINE' as const }, overlay).status).toBe('OFFLINE');
  });

  it('ignores a live change older than the data on screen', () => {
    const overlay = applyChange(new Map(), 'd1', { status: 'OFFLINE', at: '2026-03-01T10:00:00Z' });
    const loadedAt = Date.parse('2026-03-01T10:05:00Z');
    expect(withLive({ id: 'd1', status: 'ONLINE' as const }, overlay, loadedAt).status).toBe('ONLINE');
  });

  it('says changes in words', () => {
    expect(describeChange('Window left', 'London Oxford Street', 'ONLINE', 'UNKNOWN')).toBe(
      'Window left (London Oxford Street) is now online, was not reported yet',
    );
    expect(isDisplayStatus('NOT_PLAYING_EXPECTED')).toBe(true);
    expect(isDisplayStatus('LIVE')).toBe(false);
  });
});

describe(playingState.name, () => {
  const report = { creativeId: 'c1', reportedAt: '2026-03-01T10:00:00Z' };
  it.each([
    ['ONLINE', report, { kind: 'playing', creativeId: 'c1' }],
    ['NOT_PLAYING_EXPECTED', report, { kind: 'playing', creativeId: 'c1' }],
    // Offline: it is not playing now; it last played c1 when it last reported.
    ['OFFLINE', report, { kind: 'last', creativeId: 'c1', at: '2026-03-01T10:00:00Z' }],
    ['UNKNOWN', null, { kind: 'nothing' }],
    ['ONLINE', { creativeId: null, reportedAt: '2026-03-01T10:00:00Z' }, { kind: 'nothing' }],
  ] as const)('%s with %j', (status, nowPlaying, expected) => {
    expect(playingState(status, nowPlaying)).toEqual(expected);
  });
});

describe(ago.name, () => {
  const now = Date.parse('2026-03-03T12:00:00Z');
  it.each([
    ['2026-03-03T11:59:30Z', 'just now'],
    ['2026-03-03T11:55:00Z', '5 min ago'],
    ['2026-03-03T09:00:00Z', '3 h ago'],
    ['2026-03-01T10:00:00Z', '2 days ago'],
    ['2026-03-03T12:00:10Z', 'just now'], // a clock a little ahead
  ])('%s is %s', (at, words) => {
    expect(ago(at, now)).toBe(words);
  });
});
