import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueBoard } from './board.js';
import { QueueBoardFeed, type BoardGraph, type BoardState } from './board-feed.js';

const board = (at: string, called: string[] = []): QueueBoard => ({
  storeId: 's1',
  at,
  lines: [
    {
      lineId: 'l1',
      name: 'Information',
      prefix: 'A',
      isOpen: true,
      waiting: 1,
      estimatedWaitMinutes: 2,
      next: ['A009'],
      // 'A002@<time>': called at that time; else at the board's time.
      called: called.map((c) => {
        const [number, time = at] = c.split('@') as [string, string?];
        return { number, desk: 'Desk 1', calledAt: time, lastCalledAt: time, recallCount: 0 };
      }),
    },
  ],
});

type Sink = Parameters<BoardGraph['subscribe']>[2];

/** The player's side of the feed, scripted: query answers on demand, subscriptions the test drives. */
function graph(answers: QueueBoard[]) {
  const sinks: Sink[] = [];
  let subscribes = 0;
  const g: BoardGraph = {
    query: async <T>() => {
      const next = answers.shift();
      if (!next) throw new Error('offline');
      return { queueBoard: next } as T;
    },
    subscribe: (_q, _v, sink) => {
      subscribes++;
      sinks.push(sink as Sink);
      return () => {};
    },
  };
  return { g, sinks, subscribes: () => subscribes };
}

const memory = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
};

describe(QueueBoardFeed.name, () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows the stored board at once, catches up, then follows events; a late query answer does not undo one', async () => {
    const storage = memory();
    storage.setItem('phub.player.board.s1', JSON.stringify(board('2030-01-01T10:00:00Z', ['A001'])));
    const { g, sinks } = graph([board('2030-01-01T10:05:00Z', ['A002'])]);
    const feed = new QueueBoardFeed('s1', g, storage);
    const states: BoardState[] = [];
    feed.watch((s) => states.push(s));
    expect(states[0]).toMatchObject({ live: false, board: { at: '2030-01-01T10:00:00Z' } });

    feed.start();
    feed.connectedChanged(true);
    await vi.runOnlyPendingTimersAsync();
    expect(feed.current.board?.at).toBe('2030-01-01T10:05:00Z');
    expect(feed.current.fresh.map((f) => f.call.number)).toEqual(['A002']);

    sinks[0]!.next({ queueUpdated: { board: board('2030-01-01T10:06:00Z', ['A003', 'A002@2030-01-01T10:05:00Z']) } });
    expect(feed.current).toMatchObject({ live: true, board: { at: '2030-01-01T10:06:00Z' } });
    expect(feed.current.fresh.map((f) => f.call.number)).toEqual(['A003']);
    expect(JSON.parse(storage.getItem('phub.player.board.s1')!).at).toBe('2030-01-01T10:06:00Z');

    // An older board (a query answered late) is ignored.
    sinks[0]!.next({ queueUpdated: { board: board('2030-01-01T10:04:00Z') } });
    expect(feed.current.board?.at).toBe('2030-01-01T10:06:00Z');
  });

  it('marks the board not live when the connection drops, and subscribes again with backoff after an error', async () => {
    const { g, sinks, subscribes } = graph([board('2030-01-01T10:00:00Z')]);
    const feed = new QueueBoardFeed('s1', g, memory());
    feed.start();
    feed.connectedChanged(true);
    await vi.runOnlyPendingTimersAsync();
    sinks[0]!.next({ queueUpdated: { board: board('2030-01-01T10:01:00Z') } });
    expect(feed.current.live).toBe(true);

    feed.connectedChanged(false);
    expect(feed.current).toMatchObject({ live: false, board: { at: '2030-01-01T10:01:00Z' } });

    sinks[0]!.error(new Error('socket closed'));
    expect(subscribes()).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(subscribes()).toBe(2);
    feed.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(subscribes()).toBe(2);
  });
});
