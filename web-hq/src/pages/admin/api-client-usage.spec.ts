import { describe, expect, it } from 'vitest';
import { failureShare, usageSummary, usageWindow } from './api-client-usage';

describe('API client usage on the admin page', () => {
  it.each([
    ['mid-day', '2026-03-10T15:42:00.000Z', 14, '2026-02-25T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
    ['just after midnight UTC', '2026-03-10T00:00:01.000Z', 1, '2026-03-10T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
    ['across a month end', '2026-03-01T23:59:59.000Z', 7, '2026-02-23T00:00:00.000Z', '2026-03-02T00:00:00.000Z'],
  ])('covers the last days, today included (%s)', (_case, now, days, from, to) => {
    expect(usageWindow(Date.parse(now), days)).toEqual({ from, to });
  });

  it.each([
    [{ requests: 0, errors: 0, rateLimited: 0, cost: 0 }, 'No requests', '—'],
    [{ requests: 1, errors: 0, rateLimited: 0, cost: 5 }, '1 request', '0 %'],
    [{ requests: 1204, errors: 3, rateLimited: 12, cost: 90 }, '1,204 requests · 3 errors · 12 limited', '1 %'],
    [{ requests: 4, errors: 1, rateLimited: 1, cost: 0 }, '4 requests · 1 error · 1 limited', '50 %'],
  ])('summarises %j', (usage, summary, share) => {
    expect(usageSummary(usage)).toBe(summary);
    expect(failureShare(usage)).toBe(share);
  });
});
