import { describe, expect, it } from 'vitest';

import { MAX_CYCLE_TURNS, MAX_LOOP_ITEMS, buildLoop, cycleTurns, smoothRoundRobin } from './loop.js';

const content = (id: string, durationMs: number) => ({
  creativeId: id,
  url: `https://cdn.example.com/${id}`,
  mimeType: 'image/png',
  durationMs,
  checksum: id,
  fit: 'CONTAIN' as const,
});

describe(cycleTurns.name, () => {
  it.each([
    [
      [2, 1],
      [2, 1],
    ],
    [
      [4, 2],
      [2, 1],
    ],
    [
      [3, 3, 3],
      [1, 1, 1],
    ],
    [
      [99_999, 2],
      [998, 1],
    ],
    [Array.from({ length: 1_200 }, () => 7), Array.from({ length: 1_200 }, () => 1)],
  ])('%j → %j', (weights, turns) => {
    expect(cycleTurns(weights)).toEqual(turns);
  });

  it.each([[[500, 501]], [[1, 1_000_000]], [[333, 333, 335]]])(
    'keeps %j within %s turns, one each at least',
    (weights) => {
      const turns = cycleTurns(weights);
      expect(turns.reduce((s, t) => s + t, 0)).toBeLessThanOrEqual(MAX_CYCLE_TURNS);
      expect(Math.min(...turns)).toBeGreaterThanOrEqual(1);
    },
  );
});

describe(smoothRoundRobin.name, () => {
  it.each([
    [
      [2, 1],
      [0, 1, 0],
    ],
    [
      [1, 1, 1],
      [0, 1, 2],
    ],
    [
      [3, 2],
      [0, 1, 0, 1, 0],
    ],
    [
      [5, 1, 1],
      [0, 0, 1, 0, 2, 0, 0],
    ],
  ])('%j → %j', (turns, order) => {
    expect(smoothRoundRobin(turns)).toEqual(order);
  });
});

describe(buildLoop.name, () => {
  it('grows a loop to honour a cap of 1 per hour with 1 s items', () => {
    const loop = buildLoop([
      { campaignId: 'A', weight: 1, maxPlaysPerHour: 1, items: [content('a', 1_000)] },
      { campaignId: 'B', weight: 1, maxPlaysPerHour: null, items: [content('b', 1_000)] },
    ]);
    expect(loop.entries).toHaveLength(3_600);
    expect(loop.stats.map((s) => [s.campaignId, s.turns, s.capMet])).toEqual([
      ['A', 1, true],
      ['B', 3_599, true],
    ]);
  });

  it(`stops growing at ${MAX_LOOP_ITEMS} items and says the cap is not met`, () => {
    const loop = buildLoop([
      { campaignId: 'A', weight: 1, maxPlaysPerHour: 1, items: [content('a', 1)] },
      { campaignId: 'B', weight: 1, maxPlaysPerHour: null, items: [content('b', 1)] },
    ]);
    expect(loop.entries).toHaveLength(MAX_LOOP_ITEMS);
    expect(loop.stats[0]).toMatchObject({ turns: 1, capMet: false });
  });

  it('gives the same version to the same entries and ignores nothing else', () => {
    const members = [{ campaignId: 'A', weight: 1, maxPlaysPerHour: null, items: [content('a', 5_000)] }];
    expect(buildLoop(members).version).toBe(buildLoop(members).version);
    expect(buildLoop([{ ...members[0]!, campaignId: 'B' }]).version).not.toBe(buildLoop(members).version);
    expect(buildLoop([]).version).toMatch(/^[0-9a-f]{20}$/);
  });
});
