import { describe, expect, it } from 'vitest';
import { activeLayout, layoutKey, regionBox, regionPlaylist, tickerSeconds } from './layout.js';
import { Scheduler } from './scheduler.js';
import type { Playlist, PlaylistItem, PlaylistLayout, PlaylistRegion } from './types.js';

const item = (creativeId: string, over: Partial<PlaylistItem> = {}): PlaylistItem => ({
  campaignId: 'c',
  creativeId,
  url: `https://cdn/${creativeId}.png`,
  mimeType: 'image/png',
  durationMs: 10_000,
  checksum: 'x',
  ...over,
});
const region = (name: string, over: Partial<PlaylistRegion> = {}): PlaylistRegion => ({
  name,
  kind: 'CONTENT',
  x: 0,
  y: 0,
  width: 50,
  height: 100,
  text: null,
  main: false,
  version: `v-${name}`,
  items: [],
  ...over,
});
const layout: PlaylistLayout = {
  id: 'l1',
  name: 'Three regions',
  regions: [
    region('main', { main: true, width: 70, height: 88, items: [item('a')] }),
    region('side', { x: 70, width: 30, height: 88, items: [item('s1'), item('s2')] }),
    region('ticker', { kind: 'TICKER', y: 88, width: 100, height: 12, text: 'Open until 8pm', version: '' }),
  ],
};
const playlist = (over: Partial<Playlist> = {}): Playlist => ({
  version: 'v1',
  validUntil: null,
  items: [item('a')],
  layout,
  ...over,
});

describe('layout', () => {
  it.each([
    ['no playlist', null, null],
    ['a playlist stored before layouts', { version: 'v', validUntil: null, items: [] }, null],
    ['a full-screen playlist', playlist({ layout: null }), null],
    ['a playlist with a layout', playlist(), layout],
    [
      'a store takeover (it fills the screen)',
      playlist({ items: [item('t', { campaignId: null, takeoverId: 't' })] }),
      null,
    ],
  ])('draws %s with the right layout', (_what, given, expected) => {
    expect(activeLayout(given as Playlist | null)).toBe(expected);
  });

  it('rebuilds only when the regions change, not when their content does', () => {
    const sameRegionsNewItems: PlaylistLayout = {
      ...layout,
      regions: layout.regions.map((r) => ({ ...r, version: 'other', items: [item('z')] })),
    };
    expect(layoutKey(sameRegionsNewItems)).toBe(layoutKey(layout));
    const moved: PlaylistLayout = { ...layout, regions: layout.regions.map((r, i) => (i ? r : { ...r, width: 60 })) };
    expect(layoutKey(moved)).not.toBe(layoutKey(layout));
    const newText: PlaylistLayout = {
      ...layout,
      regions: layout.regions.map((r) => (r.kind === 'TICKER' ? { ...r, text: 'Closed Sunday' } : r)),
    };
    expect(layoutKey(newText)).not.toBe(layoutKey(layout));
    expect(layoutKey(null)).toBe('');
  });

  it('places a region in percent of the stage', () => {
    expect(regionBox(layout.regions[1]!)).toEqual({ left: '70%', top: '0%', width: '30%', height: '88%' });
  });

  it('runs a region as its own loop: a new item waits for the one on screen, a withdrawn one goes at once', () => {
    const side = layout.regions[1]!;
    const scheduler = new Scheduler();
    scheduler.offer(regionPlaylist(side, null));
    expect(scheduler.next()?.item.creativeId).toBe('s1');
    expect(scheduler.offer(regionPlaylist({ ...side, version: 'v2', items: [item('s1'), item('s3')] }, null))).toBe(
      'pending',
    );
    expect(scheduler.offer(regionPlaylist({ ...side, version: 'v3', items: [item('s9')] }, null))).toBe('immediate');
    expect(scheduler.next()?.item.creativeId).toBe('s9');
  });

  it('keeps every region’s files in the asset cache', () => {
    const scheduler = new Scheduler();
    scheduler.offer(playlist());
    expect([...scheduler.wantedUrls()].sort()).toEqual([
      'https://cdn/a.png',
      'https://cdn/s1.png',
      'https://cdn/s2.png',
    ]);
  });

  it('scrolls a ticker at a reading pace', () => {
    expect(tickerSeconds('Open')).toBe(8);
    expect(tickerSeconds('x'.repeat(200))).toBe(50);
  });
});
