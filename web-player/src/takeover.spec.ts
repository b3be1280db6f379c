import { describe, expect, it } from 'vitest';
import { Scheduler } from './scheduler.js';
import { preempts, takeoverFontSize, takeoverText, TAKEOVER_MESSAGE_MIME } from './takeover.js';
import type { Playlist, PlaylistItem } from './types.js';

const item = (creativeId: string, over: Partial<PlaylistItem> = {}): PlaylistItem => ({
  campaignId: 'c',
  creativeId,
  url: `https://cdn/${creativeId}.png`,
  mimeType: 'image/png',
  durationMs: 10_000,
  checksum: 'x',
  ...over,
});
const playlist = (version: string, items: PlaylistItem[]): Playlist => ({ version, validUntil: null, items });
const message = (text: string) =>
  item('t1', {
    campaignId: null,
    takeoverId: 't1',
    url: `phub:builtin/takeover-message/v1?text=${encodeURIComponent(text)}`,
    mimeType: TAKEOVER_MESSAGE_MIME,
  });

describe('takeover', () => {
  it('reads the message from the item URL, line breaks and all', () => {
    expect(takeoverText(message('Please leave\nby the exit <now> & 100%').url)).toBe(
      'Please leave\nby the exit <now> & 100%',
    );
    expect(takeoverText('phub:builtin/takeover-message/v1')).toBe('');
  });

  it.each([
    ['a takeover starts', playlist('a', [item('x')]), playlist('t', [message('Hi')]), true],
    [
      'a creative takeover starts',
      playlist('a', [item('x')]),
      playlist('t', [item('y', { takeoverId: 't9', campaignId: null })]),
      true,
    ],
    ['a takeover is lifted', playlist('t', [message('Hi')]), playlist('a', [item('x')]), true],
    ['campaigns change', playlist('a', [item('x')]), playlist('b', [item('y')]), false],
    ['the same takeover again', playlist('t', [message('Hi')]), playlist('t', [message('Hi')]), false],
  ])('preempts when %s: %s', (_name, current, next, expected) => {
    expect(preempts(current, next)).toBe(expected);
  });

  it('makes the scheduler switch at once, not after the item on screen', () => {
    const s = new Scheduler();
    s.offer(playlist('a', [item('x'), item('y')]));
    expect(s.next()?.item.creativeId).toBe('x');
    expect(s.offer(playlist('t', [message('Closed')]))).toBe('immediate');
    expect(s.next()?.item.takeoverId).toBe('t1');
    expect(s.offer(playlist('a', [item('x'), item('y')]))).toBe('immediate');
    expect(s.next()?.item.creativeId).toBe('x');
    // An ordinary change that keeps the item on screen still waits for it (scheduler.ts: withdrawn items go at once).
    expect(s.offer(playlist('b', [item('x'), item('z')]))).toBe('pending');
  });

  it('sizes short messages large and long ones smaller, within bounds', () => {
    const size = (t: string) => Number.parseFloat(takeoverFontSize(t));
    expect(size('Closed')).toBe(12);
    expect(size('x'.repeat(200))).toBe(4);
    expect(size('Please leave the store\nby the nearest exit')).toBeLessThan(size('Closed'));
  });
});
