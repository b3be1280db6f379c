import { describe, expect, it } from 'vitest';
import { demoHistory, demoPlayId, openInstants } from './demo-playback.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe(openInstants.name, () => {
  const tokyo = { timezone: 'Asia/Tokyo', openingHours: [{ day: 'SAT', opens: '10:00', closes: '11:00' }] };

  it('plays every 20 minutes inside the store’s own hours, in its time zone, never after now', () => {
    // Saturday 2030-01-05 10:50 in Tokyo (01:50 UTC).
    const now = Date.parse('2030-01-05T01:50:00Z');
    expect(openInstants(tokyo, now, 0).map(iso)).toEqual([
      '2030-01-05T01:00:00.000Z',
      '2030-01-05T01:20:00.000Z',
      '2030-01-05T01:40:00.000Z',
    ]);
    // A week back: last Saturday too, whole window.
    expect(openInstants(tokyo, now, 7).map(iso)).toEqual([
      '2029-12-29T01:00:00.000Z',
      '2029-12-29T01:20:00.000Z',
      '2029-12-29T01:40:00.000Z',
      '2030-01-05T01:00:00.000Z',
      '2030-01-05T01:20:00.000Z',
      '2030-01-05T01:40:00.000Z',
    ]);
  });

  it('records nothing on days the store is shut, and follows summer time', () => {
    const london = { timezone: 'Europe/London', openingHours: [{ day: 'MON', opens: '09:00', closes: '09:30' }] };
    expect(openInstants(london, Date.parse('2030-07-07T23:00:00Z'), 5)).toEqual([]); // Tue..Sun
    expect(openInstants(london, Date.parse('2030-07-08T12:00:00Z'), 0).map(iso)).toEqual([
      '2030-07-08T08:00:00.000Z', // 09:00 BST
      '2030-07-08T08:20:00.000Z',
    ]);
  });
});

describe(demoPlayId.name, () => {
  it('is a UUID that depends only on the display and the start, so a resent history is recognised', () => {
    const a = demoPlayId('00000000-0000-4000-8000-00000000d111', 1_000);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(demoPlayId('00000000-0000-4000-8000-00000000d111', 1_000)).toBe(a);
    expect(demoPlayId('00000000-0000-4000-8000-00000000d111', 2_000)).not.toBe(a);
    expect(demoPlayId('00000000-0000-4000-8000-00000000d112', 1_000)).not.toBe(a);
  });
});

describe(demoHistory.name, () => {
  const store = { timezone: 'Europe/London', openingHours: [{ day: 'MON', opens: '09:00', closes: '10:00' }] };
  const now = Date.parse('2030-07-08T12:00:00Z'); // Monday 13:00 BST, the store shut at 10:00
  const display = '00000000-0000-4000-8000-00000000d111';

  it('plays the items in turn and sends a heartbeat after each play, the last one when the store last played', () => {
    const items = [
      { campaignId: 'c1', creativeId: 'x', durationMs: 10_000 },
      { campaignId: 'c1', creativeId: 'y', durationMs: 15_000 },
    ];
    const { plays, heartbeats } = demoHistory(display, store, { version: 'v9', items }, now);
    expect(plays.length).toBeGreaterThan(0);
    expect(heartbeats).toHaveLength(plays.length);
    expect(plays.slice(0, 3).map((p) => p.creativeId)).toEqual(['x', 'y', 'x']);
    const last = heartbeats.at(-1)!;
    // Three Mondays in the 14 days, three plays each: the ninth is x again, at 09:40 BST, heard from 10 s later.
    expect(plays).toHaveLength(9);
    expect(last).toMatchObject({ at: '2030-07-08T08:40:10.000Z', currentCreativeId: 'x', playlistVersion: 'v9' });
    expect(new Set(heartbeats.map((h) => h.id)).size).toBe(heartbeats.length);
    expect(demoHistory(display, store, { version: 'v9', items }, now).heartbeats.map((h) => h.id)).toEqual(
      heartbeats.map((h) => h.id),
    );
  });

  it('a display with nothing to play still sends heartbeats (it is seen, it plays nothing)', () => {
    const { plays, heartbeats } = demoHistory(display, store, { version: 'empty', items: [] }, now);
    expect(plays).toEqual([]);
    expect(heartbeats.at(-1)).toMatchObject({ at: '2030-07-08T08:40:10.000Z', currentCreativeId: null });
  });
});
