import { describe, expect, it } from 'vitest';
import { formatBytes, formatDateTime, formatDuration } from './format';

describe(formatDuration.name, () => {
  it.each([
    [250, '250 ms'],
    [10_000, '10 s'],
    [90_000, '1 min 30 s'],
    [3_600_000, '1 h'],
    [3_723_000, '1 h 2 min 3 s'],
    [null, '—'],
  ])('%s → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe(formatDateTime.name, () => {
  it('formats in the given time zone and shows a dash for nothing', () => {
    const text = formatDateTime('2026-03-29T01:30:00Z', 'Europe/London');
    expect(text).toMatch(/2026/);
    expect(text).toMatch(/2:30/);
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('—');
  });
});

describe(formatBytes.name, () => {
  it.each([
    [512, '512 B'],
    [1536, '1.5 KB'],
    [5 * 1024 * 1024, '5.0 MB'],
  ])('%s → %s', (n, text) => expect(formatBytes(n)).toBe(text));
});
