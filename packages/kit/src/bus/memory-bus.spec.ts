import { afterEach, describe, expect, it } from 'vitest';
import { deferred, waitFor } from '../testing/index.js';
import { partitionFor, type DeliveredMessage } from './bus.js';
import { describeBusContract } from './bus.contract.js';
import { MemoryBus } from './memory-bus.js';

describeBusContract(MemoryBus.name, () => new MemoryBus({ retryDelayMs: 5, maxAttempts: 3 }), {
  maxAttempts: 3,
  sharedStore: false,
  deadLetters: async (bus, topic) =>
    bus instanceof MemoryBus
      ? bus.deadLetters.filter((l) => l.message.topic === topic).map((l) => ({ ...l.message }))
      : [],
});

/** Lets every queued microtask and immediate run, so "nothing else happens" can be checked without sleeping. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe(MemoryBus.name, () => {
  let bus: MemoryBus;
  afterEach(async () => {
    await bus.close();
  });

  async function replayFromBeginning(topic: string, groupId: string): Promise<DeliveredMessage[]> {
    const received: DeliveredMessage[] = [];
    await bus.subscribe({ groupId, topics: [topic], fromBeginning: true, handler: async (m) => void received.push(m) });
    await settle();
    return received;
  }

  it('trims messages beyond the retention count once every group has read them', async () => {
    bus = new MemoryBus({ partitions: 1, retention: 3, retryDelayMs: 5 });
    const gate = deferred();
    const slow: DeliveredMessage[] = [];
    await bus.subscribe({
      groupId: 'slow',
      topics: ['t'],
      handler: async (m) => {
        await gate.promise;
        slow.push(m);
      },
    });
    await bus.publish(
      't',
      Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: i })),
    );

    // The slow group has read nothing yet, so nothing may be dropped.
    expect((await replayFromBeginning('t', 'replay-1')).map((m) => m.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    gate.resolve();
    await waitFor(() => slow.length === 10, { message: 'the slow group to catch up' });
    await bus.publish('t', [{ key: 'k', value: 10 }]);

    const replayed = await replayFromBeginning('t', 'replay-2');
    expect(replayed.map((m) => m.value)).toEqual([8, 9, 10]);
    expect(replayed.map((m) => m.offset)).toEqual(['8', '9', '10']);
  });

  it('gives each consumer its own copy of the value', async () => {
    bus = new MemoryBus();
    const received: DeliveredMessage[] = [];
    await bus.subscribe({ groupId: 'g', topics: ['t'], handler: async (m) => void received.push(m) });
    const value = { tags: ['a'] };
    await bus.publish('t', [{ key: 'k', value }]);
    value.tags.push('mutated after publish');

    await waitFor(() => received.length === 1);
    expect(received[0]?.value).toEqual({ tags: ['a'] });
  });

  it('hands the partitions of a member that leaves to the members that stay', async () => {
    bus = new MemoryBus({ partitions: 4 });
    const stays: DeliveredMessage[] = [];
    const leaves = await bus.subscribe({ groupId: 'g', topics: ['t'], handler: async () => {} });
    await bus.subscribe({ groupId: 'g', topics: ['t'], handler: async (m) => void stays.push(m) });
    await leaves.close();

    const messages = Array.from({ length: 20 }, (_, i) => ({ key: `key-${i}`, value: i }));
    await bus.publish('t', messages);

    await waitFor(() => stays.length === 20, { message: 'all messages for the remaining member' });
    expect(new Set(stays.map((m) => m.partition)).size).toBe(4);
  });

  it('stops handing out messages when closed while a handler is busy', async () => {
    bus = new MemoryBus({ partitions: 1 });
    const gate = deferred();
    const handled: unknown[] = [];
    await bus.subscribe({
      groupId: 'g',
      topics: ['t'],
      handler: async (m) => {
        await gate.promise;
        handled.push(m.value);
      },
    });
    await bus.publish('t', [
      { key: 'k', value: 1 },
      { key: 'k', value: 2 },
      { key: 'k', value: 3 },
    ]);
    await settle();
    await bus.close();
    gate.resolve();
    await settle();

    expect(handled).toEqual([1]);
    await expect(bus.ping()).rejects.toThrow('closed');
  });
});

describe(partitionFor.name, () => {
  it.each([1, 3, 4, 16])('maps keys onto %i partitions, the same key always to the same one', (partitions) => {
    const keys = Array.from({ length: 200 }, (_, i) => `display-${i}`);
    const assigned = keys.map((key) => partitionFor(key, partitions));
    expect(assigned.every((p) => Number.isInteger(p) && p >= 0 && p < partitions)).toBe(true);
    expect(keys.map((key) => partitionFor(key, partitions))).toEqual(assigned);
    expect(new Set(assigned).size).toBe(partitions);
  });
});
