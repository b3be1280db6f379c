import { describe, expect, it } from 'vitest';
import { sortCampaigns } from './sorting';

const rows = [
  { name: 'b', status: 'DRAFT', priority: 1, matchingDisplayCount: 5, updatedAt: '2026-01-02T00:00:00Z' },
  { name: 'a', status: 'LIVE', priority: 1, matchingDisplayCount: 9, updatedAt: '2026-01-01T00:00:00Z' },
  { name: 'c', status: 'IN_REVIEW', priority: 3, matchingDisplayCount: 1, updatedAt: '2026-01-03T00:00:00Z' },
];

describe(sortCampaigns.name, () => {
  it.each([
    ['name', 'asc', ['a', 'b', 'c']],
    ['priority', 'desc', ['c', 'a', 'b']], // ties by name
    ['status', 'asc', ['a', 'c', 'b']], // live first, drafts later
    ['reach', 'desc', ['a', 'b', 'c']],
    ['updated', 'desc', ['c', 'b', 'a']],
  ] as const)('by %s %s', (key, dir, names) => {
    expect(sortCampaigns(rows, key, dir).map((r) => r.name)).toEqual(names);
  });
});
