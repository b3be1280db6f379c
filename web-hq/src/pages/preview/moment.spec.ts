import { describe, expect, it } from 'vitest';
import { itemAt, mediaKind } from './moment';
import { dayLabel, zoneLabel } from './time';

const segment = {
  from: '2026-12-06T09:00:00Z',
  to: '2026-12-06T17:00:00Z',
  items: [
    { id: 'a', durationMs: 10_000 },
    { id: 'b', durationMs: 20_000 },
  ],
};

describe(itemAt.name, () => {
  it.each([
    ['2026-12-06T09:00:00Z', 'a', '2026-12-06T09:00:00.000Z'],
    ['2026-12-06T09:00:09Z', 'a', '2026-12-06T09:00:00.000Z'],
    ['2026-12-06T09:00:10Z', 'b', '2026-12-06T09:00:10.000Z'],
    ['2026-12-06T09:00:29Z', 'b', '2026-12-06T09:00:10.000Z'],
    ['2026-12-06T09:00:30Z', 'a', '2026-12-06T09:00:30.000Z'], // the loop again
    ['2026-12-06T10:00:15Z', 'b', '2026-12-06T10:00:10.000Z'], // 120 loops later
  ])('at %s shows %s (since %s)', (at, id, since) => {
    const got = itemAt(segment, new Date(at))!;
    expect(got.item.id).toBe(id);
    expect(got.startedAt.toISOString()).toBe(since);
  });

  it('shows nothing outside the stretch or when it has no items', () => {
    expect(itemAt(segment, new Date('2026-12-06T08:59:59Z'))).toBeNull();
    expect(itemAt(segment, new Date('2026-12-06T17:00:00Z'))).toBeNull();
    expect(itemAt({ ...segment, items: [] }, new Date('2026-12-06T10:00:00Z'))).toBeNull();
  });
});

describe(mediaKind.name, () => {
  it.each([
    ['image/png', 'Image'],
    ['video/mp4', 'Video'],
    ['application/vnd.phub.queue-board+json', 'Now-serving board'],
    [null, 'Content'],
  ])('%s is %s', (mime, words) => {
    expect(mediaKind(mime)).toBe(words);
  });
});

describe(zoneLabel.name, () => {
  it('names the city and the offset of the moment, summer or winter', () => {
    expect(zoneLabel('Europe/London', '2026-07-01T12:00:00Z')).toBe('London time (BST)');
    expect(zoneLabel('Europe/London', '2026-12-01T12:00:00Z')).toBe('London time (GMT)');
    expect(zoneLabel('America/New_York', '2026-12-01T12:00:00Z')).toMatch(/^New York time \((EST|GMT-5)\)$/);
  });
});

describe(dayLabel.name, () => {
  it('says the date in words', () => {
    expect(dayLabel('2026-12-06')).toBe('Sunday 6 December');
  });
});
