import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler.js';
import type { Playlist } from './types.js';

const playlist = (version: string, ...creatives: string[]): Playlist => ({
  version,
  validUntil: null,
  items: creatives.map((c) => ({
    campaignId: 'camp',
    creativeId: c,
    url: `https://cdn.test/${c}.png`,
    mimeType: 'image/png',
    durationMs: 1000,
    checksum: c,
  })),
});

describe(Scheduler.name, () => {
  it('has nothing to play before a playlist arrives, then plays the first one at once', () => {
    const s = new Scheduler();
    expect(s.next()).toBeNull();
    expect(s.offer(playlist('v1', 'a', 'b'))).toBe('immediate');
    expect(s.next()?.item.creativeId).toBe('a');
  });

  it('plays items in order and loops', () => {
    const s = new Scheduler();
    s.offer(playlist('v1', 'a', 'b', 'c'));
    expect(Array.from({ length: 7 }, () => s.next()!.item.creativeId)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('switches to a new playlist that still has the item on screen only when that item ends, from its first item', () => {
    const s = new Scheduler();
    s.offer(playlist('v1', 'a', 'b', 'c'));
    expect(s.next()!.item.creativeId).toBe('a');
    expect(s.offer(playlist('v2', 'x', 'a'))).toBe('pending');
    // still on `a` until the player asks for the next item
    expect(s.playlist?.version).toBe('v1');
    expect(s.targetVersion).toBe('v2');
    const slot = s.next()!;
    expect([slot.playlist.version, slot.item.creativeId, slot.index]).toEqual(['v2', 'x', 0]);
    expect(s.pending).toBeNull();
  });

  it('ignores the version it already plays or already waits for', () => {
    const s = new Scheduler();
    s.offer(playlist('v1', 'a', 'b'));
    s.next();
    expect(s.offer(playlist('v1', 'a', 'b'))).toBe('ignored');
    expect(s.next()!.item.creativeId).toBe('b');
    expect(s.offer(playlist('v2', 'x', 'b'))).toBe('pending');
    expect(s.offer(playlist('v2', 'x', 'b'))).toBe('ignored');
  });

  it('keeps only the latest of several changes during one item, and drops a change back to the current one', () => {
    const s = new Scheduler();
    s.offer(playlist('v1', 'a', 'b'));
    s.next();
    expect(s.offer(playlist('v2', 'x', 'a'))).toBe('pending');
    expect(s.offer(playlist('v3', 'y', 'a'))).toBe('pending');
    expect(s.next()!.item.creativeId).toBe('y');
    s.offer(playlist('v4', 'z', 'y'));
    expect(s.offer(playlist('v3', 'y', 'a'))).toBe('ignored');
    expect(s.pending).toBeNull();
    expect(s.next()!.playlist.version).toBe('v3');
  });

  it('replaces an empty playlist at once, and shows nothing for an empty one', () => {
    const s = new Scheduler();
    s.offer(playlist('empty'));
    expect(s.next()).toBeNull();
    expect(s.offer(playlist('v2', 'x'))).toBe('immediate');
    expect(s.next()!.item.creativeId).toBe('x');
  });

  it('lists the assets of what plays and what is pending', () => {
    const s = new Scheduler();
    s.offer(playlist('v1', 'a'));
    s.next();
    s.offer(playlist('v2', 'b', 'a'));
    expect([...s.wantedUrls()]).toEqual(['https://cdn.test/a.png', 'https://cdn.test/b.png']);
  });

  describe('withdrawn content', () => {
    it('takes an empty playlist at once: the item on screen stops and nothing plays', () => {
      const s = new Scheduler();
      s.offer(playlist('v1', 'a', 'b'));
      const shown = s.next()!.item;
      expect(s.withdraws(playlist('paused'))).toBe(true);
      expect(s.offer(playlist('paused'))).toBe('immediate');
      expect(s.plays(shown)).toBe(false);
      expect(s.pending).toBeNull();
      expect(s.next()).toBeNull();
      expect(s.onScreen).toBeNull();
    });

    it('takes a shorter playlist without the item on screen at once, from its first item', () => {
      const s = new Scheduler();
      s.offer(playlist('v1', 'a', 'b', 'c'));
      s.next();
      expect(s.next()!.item.creativeId).toBe('b');
      expect(s.offer(playlist('v2', 'a', 'c'))).toBe('immediate');
      const slot = s.next()!;
      expect([slot.playlist.version, slot.item.creativeId, slot.index]).toEqual(['v2', 'a', 0]);
    });

    it('keeps the item on screen to the end of its turn when the shorter playlist still has it', () => {
      const s = new Scheduler();
      s.offer(playlist('v1', 'a', 'b', 'c'));
      s.next();
      expect(s.offer(playlist('v2', 'a', 'c'))).toBe('pending');
      expect(s.playlist?.version).toBe('v1');
      expect(s.next()!.playlist.version).toBe('v2');
    });

    it('drops a pending change when a later one withdraws the item on screen', () => {
      const s = new Scheduler();
      s.offer(playlist('v1', 'a', 'b'));
      s.next();
      expect(s.offer(playlist('v2', 'a', 'x'))).toBe('pending');
      expect(s.offer(playlist('v3', 'x'))).toBe('immediate');
      expect(s.pending).toBeNull();
      expect(s.next()!.playlist.version).toBe('v3');
    });

    it.each([
      ['another campaign', { campaignId: 'other' }],
      ['a replaced file', { checksum: 'new' }],
      ['a new URL', { url: 'https://cdn.test/a-v2.png' }],
    ])('counts the same creative from %s as withdrawn', (_, change) => {
      const s = new Scheduler();
      s.offer(playlist('v1', 'a'));
      s.next();
      const next = playlist('v2', 'a');
      next.items[0] = { ...next.items[0]!, ...change };
      expect(s.offer(next)).toBe('immediate');
    });

    it('resumes from the first item when withdrawn content comes back', () => {
      const s = new Scheduler();
      s.offer(playlist('v1', 'a', 'b'));
      s.next();
      s.offer(playlist('paused'));
      expect(s.next()).toBeNull();
      expect(s.offer(playlist('v1', 'a', 'b'))).toBe('immediate');
      expect(s.next()!.item.creativeId).toBe('a');
    });
  });
});
