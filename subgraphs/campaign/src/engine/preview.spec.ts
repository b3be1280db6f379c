import { describe, expect, it } from 'vitest';

import { PlaylistEngineError } from './errors.js';
import { aCampaign, aDisplay, anOverride } from './fixtures.js';
import { preview } from './preview.js';
import { resolvePlaylist } from './resolve.js';
import type { Daypart, Override, PlaylistSegment } from './types.js';

// Tuesday 2026-06-30 and Wednesday 2026-07-01 in London (BST, UTC+01:00).
const FROM = new Date('2026-06-29T23:00:00Z');
const TO = new Date('2026-07-01T23:00:00Z');
const lunchAndEvening: Daypart[] = [
  { days: [], from: '12:00', to: '14:00' },
  { days: [], from: '18:00', to: '20:00' },
];
const campaigns = [
  aCampaign('A', { priority: 5, schedule: { endDate: '2026-06-30', dayparts: lunchAndEvening } }),
  aCampaign('B'),
];

const timeline = (segments: readonly PlaylistSegment[]) =>
  segments.map((s) => [
    s.from.toISOString(),
    s.to.toISOString(),
    s.items.map((i) => i.campaignId ?? i.overrideId).join(' '),
  ]);

describe(preview.name, () => {
  it('cuts a day at its dayparts and stops the campaign after its end date', () => {
    expect(timeline(preview(aDisplay(), campaigns, [], FROM, TO))).toEqual([
      ['2026-06-29T23:00:00.000Z', '2026-06-30T11:00:00.000Z', 'B'],
      ['2026-06-30T11:00:00.000Z', '2026-06-30T13:00:00.000Z', 'A'],
      ['2026-06-30T13:00:00.000Z', '2026-06-30T17:00:00.000Z', 'B'],
      ['2026-06-30T17:00:00.000Z', '2026-06-30T19:00:00.000Z', 'A'],
      // The end date's boundary (23:00Z) changes nothing while B plays, so it merges away.
      ['2026-06-30T19:00:00.000Z', '2026-07-01T23:00:00.000Z', 'B'],
    ]);
  });

  it('agrees with resolvePlaylist at both ends of every segment', () => {
    const overrides: Override[] = [
      anOverride('o1', '2026-06-30T15:00:00Z', '2026-06-30T15:30:00Z', '2026-06-30T14:00:00Z'),
    ];
    const segments = preview(aDisplay(), campaigns, overrides, FROM, TO);
    expect(segments).toHaveLength(7);
    segments.forEach((segment, i) => {
      expect(segment.from).toEqual(i === 0 ? FROM : segments[i - 1]!.to);
      for (const at of [segment.from, new Date(segment.to.getTime() - 1)]) {
        expect(resolvePlaylist(aDisplay(), campaigns, overrides, at).version).toBe(segment.version);
      }
      if (i > 0) expect(segment.version).not.toBe(segments[i - 1]!.version);
      for (const item of segment.items) {
        if (item.validUntil) expect(item.validUntil.getTime()).toBeGreaterThanOrEqual(segment.to.getTime());
      }
    });
    expect(timeline(segments).slice(2, 5)).toEqual([
      ['2026-06-30T13:00:00.000Z', '2026-06-30T15:00:00.000Z', 'B'],
      ['2026-06-30T15:00:00.000Z', '2026-06-30T15:30:00.000Z', 'o1'],
      ['2026-06-30T15:30:00.000Z', '2026-06-30T17:00:00.000Z', 'B'],
    ]);
  });

  it('follows a daypart over the spring-forward day', () => {
    const daily = [aCampaign('A', { schedule: { dayparts: [{ days: [], from: '09:00', to: '17:00' }] } })];
    const segments = preview(aDisplay(), daily, [], new Date('2026-03-28T00:00:00Z'), new Date('2026-03-30T00:00:00Z'));
    expect(timeline(segments)).toEqual([
      ['2026-03-28T00:00:00.000Z', '2026-03-28T09:00:00.000Z', ''],
      ['2026-03-28T09:00:00.000Z', '2026-03-28T17:00:00.000Z', 'A'],
      ['2026-03-28T17:00:00.000Z', '2026-03-29T08:00:00.000Z', ''],
      ['2026-03-29T08:00:00.000Z', '2026-03-29T16:00:00.000Z', 'A'],
      ['2026-03-29T16:00:00.000Z', '2026-03-30T00:00:00.000Z', ''],
    ]);
  });

  it.each([
    ['`to` before `from`', TO, FROM, {}, 'INVALID_RANGE'],
    ['`to` equal to `from`', FROM, FROM, {}, 'INVALID_RANGE'],
    ['more boundaries than maxSegments', FROM, TO, { maxSegments: 3 }, 'PREVIEW_TOO_LONG'],
  ])('refuses %s', (_name, from, to, options, reason) => {
    const attempt = () => preview(aDisplay(), campaigns, [], from, to, options);
    expect(attempt).toThrow(PlaylistEngineError);
    expect(attempt).toThrow(expect.objectContaining({ reason }));
  });

  it('refuses by default beyond 2,000 boundaries, with a message saying what to do', () => {
    // 144 ten-minute windows a day: 288 boundaries a day, so eight days cross more than 2,000.
    const dayparts: Daypart[] = Array.from({ length: 144 }, (_, i) => {
      const hh = String(Math.floor(i / 6)).padStart(2, '0');
      return { days: [], from: `${hh}:${i % 6}0`, to: `${hh}:${i % 6}5` };
    });
    const busy = [aCampaign('A', { schedule: { dayparts } })];
    const attempt = () => preview(aDisplay(), busy, [], FROM, new Date(FROM.getTime() + 8 * 86_400_000));
    expect(attempt).toThrow(/crosses more than 2000 schedule boundaries; ask for a shorter range/);
    expect(preview(aDisplay(), busy, [], FROM, new Date(FROM.getTime() + 86_400_000))).toHaveLength(288);
  });
});
