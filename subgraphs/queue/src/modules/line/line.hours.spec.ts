import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isOpenAt, localDay, type OpeningWindow } from './line.hours.js';

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'UTC' }).toMillis();
const SUNDAY_MORNING: OpeningWindow[] = [{ day: 'SUN', opens: '01:00', closes: '02:30' }];

describe('store-local wall clock', () => {
  it('follows a DST change to the second, asked in turn with other zones', () => {
    // Europe/London springs from 01:00 GMT to 02:00 BST at 2026-03-29T01:00:00Z: 00:59:59 local, then 02:00:00.
    const before = at('2026-03-29T00:59:59Z');
    const after = at('2026-03-29T01:00:00Z');
    for (let round = 0; round < 2; round++) {
      expect(isOpenAt(SUNDAY_MORNING, 'Europe/London', before)).toBe(false);
      expect(localDay('Pacific/Auckland', before)).toBe('2026-03-29');
      expect(isOpenAt(SUNDAY_MORNING, 'Europe/London', after)).toBe(true);
      expect(localDay('America/Los_Angeles', after)).toBe('2026-03-28');
      // Within one second, the same answer as luxon's own arithmetic at its start.
      expect(isOpenAt(SUNDAY_MORNING, 'Europe/London', after + 999)).toBe(true);
    }
    // 02:30 BST closes the window, 01:30 UTC.
    expect(isOpenAt(SUNDAY_MORNING, 'Europe/London', at('2026-03-29T01:29:59Z'))).toBe(true);
    expect(isOpenAt(SUNDAY_MORNING, 'Europe/London', at('2026-03-29T01:30:00Z'))).toBe(false);
  });

  it('turns the day at local midnight in each zone', () => {
    expect(localDay('Europe/Berlin', at('2026-12-06T22:59:59Z'))).toBe('2026-12-06');
    expect(localDay('Europe/Berlin', at('2026-12-06T23:00:00Z'))).toBe('2026-12-07');
    expect(localDay('UTC', at('2026-12-06T23:00:00Z'))).toBe('2026-12-06');
  });

  it('treats an unknown zone as open, and its day as UTC', () => {
    expect(isOpenAt(SUNDAY_MORNING, 'Mars/Olympus', at('2026-12-07T12:00:00Z'))).toBe(true);
    expect(localDay('Mars/Olympus', at('2026-12-07T23:30:00Z'))).toBe('2026-12-07');
  });
});
