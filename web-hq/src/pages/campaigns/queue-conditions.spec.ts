import { describe, expect, it } from 'vitest';
import {
  describeLine,
  describeQueue,
  lineGroups,
  newQueueDraft,
  queueDrafts,
  queueInput,
  queueStoreIds,
  type QueueLine,
} from './queue-conditions';
import { describeTargeting } from './targeting';

const OXFORD = 'store-oxford';
const ARNDALE = 'store-arndale';
const RETURNS = '0b7c5a52-3f1e-4d8a-9c51-2b7e6f3a9d10';
const line = (id: string, name: string, storeId: string, archivedAt: string | null = null): QueueLine => ({
  id,
  name,
  storeId,
  archivedAt,
  store: { id: storeId, name: storeId === OXFORD ? 'London Oxford Street' : 'Manchester Arndale' },
});

describe('a queue condition with a chosen line', () => {
  it('sends the chosen line, and null again once “any line” is chosen back', () => {
    const picked = { ...newQueueDraft(), lineId: RETURNS, minWaiting: ' 5 ' };
    expect(queueInput([picked])).toEqual([{ lineId: RETURNS, minWaiting: 5, minWaitMinutes: null }]);
    expect(queueInput([{ ...picked, lineId: null }])).toEqual([{ lineId: null, minWaiting: 5, minWaitMinutes: null }]);
  });

  it('reads the line back from the graph as the draft holds it, and sends it unchanged', () => {
    const graph = [{ lineId: RETURNS, minWaiting: null, minWaitMinutes: 12, __typename: 'QueueCondition' }];
    const drafts = queueDrafts(graph);
    expect(drafts).toEqual([{ lineId: RETURNS, minWaiting: '', minWaitMinutes: '12' }]);
    expect(queueInput(drafts)).toEqual([{ lineId: RETURNS, minWaiting: null, minWaitMinutes: 12 }]);
  });
});

describe(queueStoreIds.name, () => {
  it.each([
    ['a store-local campaign: its store, whatever the rules', [{ kind: 'STORE', value: ARNDALE }], OXFORD, [OXFORD]],
    [
      'the stores of include rules, once each, in their order',
      [
        { kind: 'STORE', value: ARNDALE },
        { kind: 'DISPLAY_TAG', value: 'window' },
        { kind: 'STORE', value: OXFORD },
        { kind: 'STORE', value: ARNDALE },
      ],
      '',
      [ARNDALE, OXFORD],
    ],
    ['no store rule: none (any line only)', [{ kind: 'REGION', value: 'r1' }], undefined, []],
  ])('%s', (_, include, storeId, expected) => {
    expect(queueStoreIds(include, storeId)).toEqual(expected);
  });
});

describe(lineGroups.name, () => {
  it('offers each store’s lines by name, without archived ones, and says when a store has none', () => {
    const lines = [
      line('l-returns', 'Returns', OXFORD),
      line('l-info', 'Information', OXFORD),
      line('l-old', 'Old desk', OXFORD, '2026-01-01T00:00:00.000Z'),
      line('l-other', 'Tellers', 'store-elsewhere'),
    ];
    expect(lineGroups([OXFORD, ARNDALE], lines)).toEqual([
      { storeId: OXFORD, lines: [lines[1], lines[0]] },
      { storeId: ARNDALE, lines: [] },
    ]);
  });
});

describe(describeQueue.name, () => {
  it('names the chosen line when it is known, and says “a specific line” while it is not', () => {
    const returns = line(RETURNS, 'Returns', OXFORD);
    const known = (id: string) => (id === RETURNS ? describeLine(returns) : undefined);
    const conditions = [
      { lineId: RETURNS, minWaiting: 5 },
      { lineId: 'gone', minWaitMinutes: 3 },
      { lineId: null, minWaiting: 1 },
    ];
    expect(describeQueue(conditions, known)).toBe(
      'only while the queue is long (line “Returns” of London Oxford Street with at least 5 people waiting, ' +
        'or a specific line with a wait of at least 3 minutes, or any line of the store with at least 1 person waiting)',
    );
    expect(describeTargeting({ include: [], exclude: [], queue: conditions.slice(0, 1) }, undefined, known)).toBe(
      'Every display; only while the queue is long (line “Returns” of London Oxford Street with at least 5 people waiting)',
    );
    expect(describeLine({ ...returns, archivedAt: '2026-01-01T00:00:00.000Z', store: null })).toBe(
      'line “Returns” (archived)',
    );
  });
});
