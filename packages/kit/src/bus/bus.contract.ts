import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/index.js';
import type { DeliveredMessage, EventBus, OutgoingMessage, SubscribeOptions } from './bus.js';
import { busMetrics } from './dead-letter.js';

/** Records what a subscription receives. */
function collector() {
  const received: DeliveredMessage[] = [];
  const handler: SubscribeOptions['handler'] = async (message) => {
    received.push(message);
  };
  return { received, handler };
}

const valuesOf = (messages: DeliveredMessage[]) => messages.map((m) => m.value);

/** Lets other callbacks run, so that a handler holds its message across a few turns of the event loop. */
async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

async function deadLettersCounted(topic: string, group: string): Promise<number> {
  const metric = await busMetrics.deadLetters.get();
  return metric.values.find((v) => v.labels.topic === topic && v.labels.group === group)?.value ?? 0;
}

export interface BusContractOptions {
  /** The `maxAttempts` the buses from makeBus were given (keep their retry delays short). */
  maxAttempts: number;
  /**
   * Buses from makeBus share one store (a database, a broker), as processes of the platform do: then
   * durability across a new instance and work split between instances are checked too.
   */
  sharedStore: boolean;
  /** Reads the dead letters of a topic where the adapter keeps them. */
  deadLetters: (bus: EventBus, topic: string) => Promise<{ offset: string; value: unknown }[]>;
}

/**
 * What every EventBus must do, whatever carries the messages. Topic and group
 * names are unique per test, so the suite can run against a shared broker.
 */
export function describeBusContract(
  name: string,
  makeBus: () => EventBus | Promise<EventBus>,
  options: BusContractOptions,
): void {
  describe(`${name} (EventBus contract)`, () => {
    const buses: EventBus[] = [];
    const openBus = async () => {
      const bus = await makeBus();
      buses.push(bus);
      return bus;
    };
    const unique = (what: string) => `contract-${what}-${randomUUID().slice(0, 8)}`;

    afterEach(async () => {
      await Promise.all(buses.splice(0).map((bus) => bus.close()));
    });

    it('keeps the order of each key', async () => {
      const bus = await openBus();
      const topic = unique('order');
      const sub = collector();
      await bus.subscribe({ groupId: unique('g'), topics: [topic], fromBeginning: true, handler: sub.handler });

      const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5'];
      for (let seq = 0; seq < 10; seq++) {
        await bus.publish(
          topic,
          keys.map((key) => ({ key, value: { key, seq } })),
        );
      }

      await waitFor(() => sub.received.length === keys.length * 10, { message: 'all messages' });
      for (const key of keys) {
        const ofKey = sub.received.filter((m) => m.key === key);
        expect(ofKey.map((m) => (m.value as { seq: number }).seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
      }
    });

    it('publishes a batch of several topics, each key in the order given and after what came before', async () => {
      const bus = await openBus();
      const [a, b] = [unique('batch-a'), unique('batch-b')];
      const sub = collector();
      await bus.subscribe({ groupId: unique('g'), topics: [a, b], fromBeginning: true, handler: sub.handler });

      const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
      await bus.publish(
        a,
        keys.map((key) => ({ key, value: { key, seq: 0 } })),
      );
      for (let seq = 1; seq < 6; seq++) {
        await bus.publishBatch([
          { topic: a, messages: keys.map((key) => ({ key, value: { key, seq } })) },
          { topic: b, messages: keys.flatMap((key) => [0, 1].map((n) => ({ key, value: { key, seq: seq * 2 + n } }))) },
          { topic: b, messages: [] },
        ]);
      }

      await waitFor(() => sub.received.length === keys.length * 6 + keys.length * 10, { message: 'all messages' });
      for (const key of keys) {
        const seqs = (topic: string) =>
          sub.received.filter((m) => m.topic === topic && m.key === key).map((m) => (m.value as { seq: number }).seq);
        expect(seqs(a)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(seqs(b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      }
    });

    it('lets every consumer group see every message', async () => {
      const bus = await openBus();
      const topic = unique('groups');
      const first = collector();
      const second = collector();
      await bus.subscribe({ groupId: unique('a'), topics: [topic], fromBeginning: true, handler: first.handler });
      await bus.subscribe({ groupId: unique('b'), topics: [topic], fromBeginning: true, handler: second.handler });

      const messages = Array.from({ length: 20 }, (_, i) => ({ key: `key-${i % 7}`, value: i }));
      await bus.publish(topic, messages);

      await waitFor(() => first.received.length === 20 && second.received.length === 20, { message: 'both groups' });
      const all = messages.map((m) => m.value);
      expect([...valuesOf(first.received)].sort((a, b) => Number(a) - Number(b))).toEqual(all);
      expect([...valuesOf(second.received)].sort((a, b) => Number(a) - Number(b))).toEqual(all);
    });

    it('splits the messages between the members of one group, none twice and none lost', async () => {
      const bus = await openBus();
      const topic = unique('split');
      const groupId = unique('g');
      const memberA = collector();
      const memberB = collector();
      await bus.subscribe({ groupId, topics: [topic], fromBeginning: true, handler: memberA.handler });
      await bus.subscribe({ groupId, topics: [topic], fromBeginning: true, handler: memberB.handler });

      const messages = Array.from({ length: 40 }, (_, i) => ({ key: `store-${i}`, value: i }));
      await bus.publish(topic, messages);

      const delivered = () => [...valuesOf(memberA.received), ...valuesOf(memberB.received)];
      await waitFor(() => new Set(delivered()).size === 40, { message: 'every message once' });
      expect(delivered()).toHaveLength(40);
      expect(memberA.received.length).toBeGreaterThan(0);
      expect(memberB.received.length).toBeGreaterThan(0);
      const partitionsA = new Set(memberA.received.map((m) => m.partition));
      expect(memberB.received.some((m) => partitionsA.has(m.partition))).toBe(false);
    });

    it('delivers a message again when its handler throws, holding back the rest of its partition', async () => {
      const bus = await openBus();
      const topic = unique('retry');
      const attempts: number[] = [];
      let failuresLeft = 2;
      await bus.subscribe({
        groupId: unique('g'),
        topics: [topic],
        fromBeginning: true,
        handler: async (message) => {
          const n = (message.value as { n: number }).n;
          attempts.push(n);
          if (n === 1 && failuresLeft > 0) {
            failuresLeft--;
            throw new Error('handler failed');
          }
        },
      });

      await bus.publish(topic, [
        { key: 'display-1', value: { n: 1 } },
        { key: 'display-1', value: { n: 2 } },
        { key: 'display-1', value: { n: 3 } },
      ]);

      await waitFor(() => attempts.includes(3), { message: 'the last message' });
      expect(attempts).toEqual([1, 1, 1, 2, 3]);
    });

    it('starts a new group at the oldest message with fromBeginning and at the newest without', async () => {
      const bus = await openBus();
      const topic = unique('start');
      await bus.publish(topic, [{ key: 'k', value: 'early' }]);

      const oldest = collector();
      const newest = collector();
      await bus.subscribe({ groupId: unique('old'), topics: [topic], fromBeginning: true, handler: oldest.handler });
      await bus.subscribe({ groupId: unique('new'), topics: [topic], handler: newest.handler });

      // A broker may settle "newest" only at the consumer's first fetch, so publish until one arrives.
      let sent = 0;
      await waitFor(
        async () => {
          await bus.publish(topic, [{ key: 'k', value: `late-${sent++}` }]);
          return newest.received.length > 0;
        },
        { intervalMs: 250, message: 'a late message for the new group' },
      );
      await waitFor(() => oldest.received.length === sent + 1, { message: 'everything for the old group' });

      expect(oldest.received[0]?.value).toBe('early');
      expect(valuesOf(newest.received)).not.toContain('early');
    });

    it('resumes a group after the last message it handled when a member comes back', async () => {
      const bus = await openBus();
      const topic = unique('resume');
      const groupId = unique('g');
      const before = collector();
      const subscription = await bus.subscribe({
        groupId,
        topics: [topic],
        fromBeginning: true,
        handler: before.handler,
      });
      await bus.publish(topic, [{ key: 'k', value: 'one' }]);
      await waitFor(() => before.received.length === 1, { message: 'the first message' });
      await subscription.close();

      await bus.publish(topic, [{ key: 'k', value: 'two' }]);
      const after = collector();
      await bus.subscribe({ groupId, topics: [topic], fromBeginning: true, handler: after.handler });

      await waitFor(() => after.received.length > 0, { message: 'the second message' });
      expect(valuesOf(after.received)).toEqual(['two']);
    });

    it('round-trips JSON values and headers', async () => {
      const bus = await openBus();
      const topic = unique('shape');
      const sub = collector();
      await bus.subscribe({ groupId: unique('g'), topics: [topic], fromBeginning: true, handler: sub.handler });

      const messages: OutgoingMessage[] = [
        {
          key: 'display-42',
          value: {
            text: 'Grüße aus 東京 🎉',
            n: 42.5,
            negative: -1,
            flag: true,
            nothing: null,
            list: [1, 'two', { three: 3 }],
            nested: { deep: { empty: [] } },
          },
          headers: { 'content-type': 'application/json', 'x-request-id': 'req-123' },
        },
        { key: 'display-42', value: 'a plain string' },
        { key: 'display-42', value: null },
      ];
      await bus.publish(topic, messages);

      await waitFor(() => sub.received.length === 3, { message: 'three messages' });
      expect(sub.received.map((m) => ({ key: m.key, value: m.value, headers: m.headers }))).toEqual(
        messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers ?? {} })),
      );
      for (const m of sub.received) {
        expect(m.topic).toBe(topic);
        expect(m.offset).toMatch(/^\d+$/);
        expect(m.timestamp).toBeGreaterThan(0);
      }
      const offsets = sub.received.map((m) => Number(m.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    });

    it('stops delivering to a subscription once it is closed', async () => {
      const bus = await openBus();
      const topic = unique('close');
      const closing = collector();
      const control = collector();
      const subscription = await bus.subscribe({
        groupId: unique('closing'),
        topics: [topic],
        fromBeginning: true,
        handler: closing.handler,
      });
      await bus.subscribe({
        groupId: unique('control'),
        topics: [topic],
        fromBeginning: true,
        handler: control.handler,
      });

      await bus.publish(topic, [{ key: 'k', value: 'before' }]);
      await waitFor(() => closing.received.length === 1 && control.received.length === 1, { message: 'first message' });
      await subscription.close();

      await bus.publish(topic, [
        { key: 'k', value: 'after-1' },
        { key: 'k', value: 'after-2' },
      ]);
      // The control group proves the messages went out; the closed subscription must not see them.
      await waitFor(() => control.received.length === 3, { message: 'control group' });
      expect(valuesOf(closing.received)).toEqual(['before']);
    });

    it('sets a poison message aside after maxAttempts and delivers the rest of its partition', async () => {
      const bus = await openBus();
      const topic = unique('poison');
      const groupId = unique('g');
      const attempts = new Map<number, number>();
      const handled: number[] = [];
      await bus.subscribe({
        groupId,
        topics: [topic],
        fromBeginning: true,
        handler: async (message) => {
          const { n, poison } = message.value as { n: number; poison?: boolean };
          attempts.set(n, (attempts.get(n) ?? 0) + 1);
          // As Postgres refuses a NUL byte in text: this message fails however often it is tried.
          if (poison) throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
          handled.push(n);
        },
      });

      await bus.publish(topic, [
        { key: 'display-1', value: { n: 1 } },
        { key: 'display-1', value: { n: 2, poison: true, name: 'bad\u0000name' } },
        { key: 'display-1', value: { n: 3 } },
      ]);

      await waitFor(() => handled.includes(3), { message: 'the message after the poison one' });
      expect(handled).toEqual([1, 3]);
      expect(attempts.get(2)).toBe(options.maxAttempts);
      await waitFor(async () => (await deadLettersCounted(topic, groupId)) === 1, { message: 'the counter' });
      const letters = await waitFor(async () => {
        const found = await options.deadLetters(bus, topic);
        return found.length ? found : null;
      });
      expect(letters.map((l) => l.value)).toEqual([{ n: 2, poison: true, name: 'bad\u0000name' }]);
    });

    it('never lets two members of a group work on one partition at once, across hand-overs', async () => {
      // With a shared store the members live in different bus instances, as in different processes.
      const busA = await openBus();
      const busB = options.sharedStore ? await openBus() : busA;
      const topic = unique('exclusive');
      const groupId = unique('g');
      const inFlight = new Map<number, number>();
      const seen = new Set<number>();
      let overlaps = 0;
      const handler: SubscribeOptions['handler'] = async (message) => {
        const busy = (inFlight.get(message.partition) ?? 0) + 1;
        inFlight.set(message.partition, busy);
        if (busy > 1) overlaps++;
        await yieldTurns(3);
        inFlight.set(message.partition, (inFlight.get(message.partition) ?? 1) - 1);
        seen.add(message.value as number);
      };
      const batch = (from: number) => Array.from({ length: 30 }, (_, i) => ({ key: `key-${i % 12}`, value: from + i }));

      const first = await busA.subscribe({ groupId, topics: [topic], fromBeginning: true, handler });
      await busB.subscribe({ groupId, topics: [topic], fromBeginning: true, handler });
      await busA.publish(topic, batch(0));
      await waitFor(() => seen.size >= 10, { message: 'some of the first batch' });
      await first.close();
      await busB.publish(topic, batch(30));
      await busA.subscribe({ groupId, topics: [topic], fromBeginning: true, handler });
      await busA.publish(topic, batch(60));

      await waitFor(() => seen.size === 90, { message: 'every message', timeoutMs: 20_000 });
      expect(overlaps).toBe(0);
    });

    it.runIf(options.sharedStore)(
      'keeps what it accepted for a new bus instance, without redelivering what a group committed',
      async () => {
        const topic = unique('durable');
        const groupId = unique('g');
        const first = await openBus();
        const before = collector();
        const subscription = await first.subscribe({
          groupId,
          topics: [topic],
          fromBeginning: true,
          handler: before.handler,
        });
        await first.publish(topic, [{ key: 'k', value: 'one' }]);
        await waitFor(() => before.received.length === 1, { message: 'the first message' });
        await subscription.close();
        await first.publish(topic, [
          { key: 'k', value: 'two' },
          { key: 'other', value: 'three' },
        ]);
        await first.close();

        const second = await openBus();
        const after = collector();
        await second.subscribe({ groupId, topics: [topic], fromBeginning: true, handler: after.handler });
        await waitFor(() => after.received.length >= 2, { message: 'the messages published before the restart' });
        expect(valuesOf(after.received).sort()).toEqual(['three', 'two']);
      },
    );

    it('refuses to publish once the bus is closed', async () => {
      const bus = await openBus();
      const topic = unique('closed');
      await bus.publish(topic, [{ key: 'k', value: 1 }]);
      await bus.close();
      await expect(bus.publish(topic, [{ key: 'k', value: 2 }])).rejects.toThrow();
    });
  });
}
