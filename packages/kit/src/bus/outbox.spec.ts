import { randomUUID } from 'node:crypto';
import {
  Column,
  Entity,
  PrimaryGeneratedColumn,
  type DataSource,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db.js';
import { createLogger } from '../logger.js';
import { runWithRequestId } from '../request-context.js';
import { createTestDatabase, deferred, waitFor } from '../testing/index.js';
import type {
  BusSubscription,
  DeliveredMessage,
  EventBus,
  OutgoingMessage,
  SubscribeOptions,
  TopicMessages,
} from './bus.js';
import { MemoryBus } from './memory-bus.js';
import { CreateOutbox1764000000000, OutboxMessage, OutboxRelay, enqueue, enqueueWith } from './outbox.js';

@Entity({ name: 'notes' })
class Note {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  text: string;
}

class CreateNotes1764000000001 implements MigrationInterface {
  name = 'CreateNotes1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    const schema = runner.connection.driver.schema;
    await runner.query(
      `CREATE TABLE "${schema}"."notes" ("id" uuid PRIMARY KEY DEFAULT gen_random_uuid(), "text" text NOT NULL)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${runner.connection.driver.schema}"."notes"`);
  }
}

/** Delegates to a real bus, but can be told to fail, or to hold publishes until released. */
class ControlledBus implements EventBus {
  readonly kind = 'memory' as const;
  failuresLeft = 0;
  publishAttempts = 0;
  hold?: Promise<void>;
  onPublish?: () => void;

  constructor(private readonly inner: EventBus) {}

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    await this.gate();
    await this.inner.publish(topic, messages);
  }

  async publishBatch(batches: TopicMessages[]): Promise<void> {
    await this.gate();
    await this.inner.publishBatch(batches);
  }

  /** Counts the attempt, then holds or fails it as told. */
  private async gate(): Promise<void> {
    this.publishAttempts++;
    this.onPublish?.();
    if (this.hold) await this.hold;
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error('bus unavailable');
    }
  }

  subscribe(options: SubscribeOptions): Promise<BusSubscription> {
    return this.inner.subscribe(options);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** A relay that tells the test after each poll and can be held there. */
class ObservedRelay extends OutboxRelay {
  polls = 0;
  afterPoll?: () => Promise<void>;

  override async relayOnce(): Promise<number> {
    const relayed = await super.relayOnce();
    this.polls++;
    await this.afterPoll?.();
    return relayed;
  }
}

const logger = createLogger('outbox-test', 'silent');

describe(OutboxRelay.name, () => {
  let db: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let bus: ControlledBus;
  let topic: string;
  let delivered: DeliveredMessage[];
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDatabase({
      url: db.url,
      schema: 'outbox_test',
      entities: [Note, OutboxMessage],
      migrations: [CreateOutbox1764000000000, CreateNotes1764000000001],
      logger,
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  beforeEach(async () => {
    await dataSource.getRepository(OutboxMessage).clear();
    bus = new ControlledBus(new MemoryBus());
    topic = `notes-${randomUUID().slice(0, 8)}`;
    delivered = [];
    await bus.subscribe({ groupId: 'test', topics: [topic], handler: async (m) => void delivered.push(m) });
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await bus.close();
  });

  const relay = (options: ConstructorParameters<typeof OutboxRelay>[3] = {}) => {
    const r = new ObservedRelay(dataSource, bus, logger, options);
    relays.push(r);
    return r;
  };
  const writeNote = (text: string) =>
    dataSource.transaction(async (manager) => {
      await manager.insert(Note, { text });
      await enqueue(manager, { topic, key: 'notes', payload: { text } });
    });
  const outboxCount = () => dataSource.getRepository(OutboxMessage).count();
  const deliveredTexts = () => delivered.map((m) => (m.value as { text: string }).text);
  const drain = async (r: OutboxRelay) => {
    let total = 0;
    for (let n = await r.relayOnce(); n > 0; n = await r.relayOnce()) total += n;
    return total;
  };

  it('never relays the events of a transaction that rolled back', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.insert(Note, { text: 'rolled back' });
        await enqueue(manager, { topic, key: 'k', payload: { text: 'rolled back' } });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await writeNote('committed');

    expect(await drain(relay())).toBe(1);
    await waitFor(() => delivered.length === 1);
    expect(deliveredTexts()).toEqual(['committed']);
    expect(await dataSource.getRepository(Note).countBy({ text: 'rolled back' })).toBe(0);
  });

  it('relays committed events in the order they were written, with their headers', async () => {
    const other = `${topic}-other`;
    const otherDelivered: DeliveredMessage[] = [];
    await bus.subscribe({ groupId: 'test', topics: [other], handler: async (m) => void otherDelivered.push(m) });
    for (let i = 0; i < 7; i++) {
      await dataSource.transaction(async (manager) => {
        await enqueue(
          manager,
          { topic, key: 'display-1', payload: { text: `${i}` }, headers: { 'x-request-id': `req-${i}` } },
          { topic: other, key: 'display-1', payload: { text: `other-${i}` } },
        );
      });
    }

    // Batches smaller than the backlog: order must hold across batches too.
    expect(await drain(relay({ batchSize: 3 }))).toBe(14);
    await waitFor(() => delivered.length === 7 && otherDelivered.length === 7);

    expect(deliveredTexts()).toEqual(['0', '1', '2', '3', '4', '5', '6']);
    expect(otherDelivered.map((m) => (m.value as { text: string }).text)).toEqual(
      ['0', '1', '2', '3', '4', '5', '6'].map((i) => `other-${i}`),
    );
    expect(delivered.map((m) => m.headers['x-request-id'])).toEqual(
      ['0', '1', '2', '3', '4', '5', '6'].map((i) => `req-${i}`),
    );
    const outboxIds = delivered.map((m) => Number(m.headers['outbox-id']));
    expect(outboxIds).toEqual([...outboxIds].sort((a, b) => a - b));
    expect(await outboxCount()).toBe(0);
  });

  it('writes events and the change’s other writes in one statement (enqueueWith), and rolls back both', async () => {
    const notes = `"outbox_test"."notes"`;
    // Each statement numbers its placeholders from $1; they are renumbered after each other and the events.
    const insertNotes = (a: string, b: string) => ({
      sql: `INSERT INTO ${notes} ("text") VALUES ($1), ($2) RETURNING "id"`,
      params: [a, b],
    });
    const none = { sql: `DELETE FROM ${notes} WHERE "text" = $1 RETURNING "id"`, params: ['nobody wrote this'] };
    const counts = await runWithRequestId('req-with', () =>
      dataSource.transaction((m) =>
        enqueueWith(
          m,
          [
            { topic, key: 'k', payload: { text: 'with 1' } },
            { topic, key: 'k', payload: { text: 'with 2' }, headers: { h: '1' } },
          ],
          [insertNotes('one', 'two'), none, insertNotes('three', 'four')],
        ),
      ),
    );
    expect(counts).toEqual([2, 0, 2]);
    const texts = (await dataSource.getRepository(Note).find()).map((n) => n.text);
    expect(texts.filter((t) => ['one', 'two', 'three', 'four'].includes(t)).sort()).toEqual([
      'four',
      'one',
      'three',
      'two',
    ]);
    expect(await drain(relay())).toBe(2);
    await waitFor(() => delivered.length === 2);
    expect(deliveredTexts()).toEqual(['with 1', 'with 2']);
    expect(delivered.map((d) => d.headers['x-request-id'])).toEqual(['req-with', 'req-with']);
    expect(delivered[1]!.headers.h).toBe('1');

    await expect(
      dataSource.transaction(async (m) => {
        await enqueueWith(m, [{ topic, key: 'k', payload: { text: 'gone' } }], [insertNotes('gone 1', 'gone 2')]);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await outboxCount()).toBe(0);
    expect(await dataSource.getRepository(Note).countBy({ text: 'gone 1' })).toBe(0);
  });

  it('stamps events with the id of the request that wrote them', async () => {
    await runWithRequestId('req-outer', () =>
      dataSource.transaction((manager) => enqueue(manager, { topic, key: 'display-1', payload: { text: 'x' } })),
    );
    expect(await drain(relay())).toBe(1);
    await waitFor(() => delivered.length === 1);
    expect(delivered[0]!.headers['x-request-id']).toBe('req-outer');
  });

  it('keeps the rows while the bus fails and delivers each exactly once after it recovers', async () => {
    for (const text of ['a', 'b', 'c', 'd', 'e']) await writeNote(text);
    const r = relay({ intervalMs: 5, maxBackoffMs: 20 });

    bus.failuresLeft = 1;
    await expect(r.relayOnce()).rejects.toThrow('bus unavailable');
    expect(await outboxCount()).toBe(5);

    bus.failuresLeft = 3;
    r.start();
    await waitFor(() => delivered.length === 5, { message: 'every event after recovery' });
    await r.stop();

    expect(bus.failuresLeft).toBe(0);
    expect(deliveredTexts()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await outboxCount()).toBe(0);
  });

  it('lets one relay at a time take the outbox, so no row goes twice and order holds', async () => {
    for (let i = 0; i < 4; i++) await writeNote(`${i}`);
    const first = relay({ batchSize: 2 });
    const second = relay({ batchSize: 2 });

    // Hold the first relay inside its transaction, with its rows locked.
    const release = deferred();
    const publishing = deferred();
    bus.hold = release.promise;
    bus.onPublish = () => publishing.resolve();
    const firstBatch = first.relayOnce();
    await publishing.promise;
    bus.hold = undefined;

    // The outbox lock is taken: the second relay backs off instead of publishing later rows first.
    expect(await second.relayOnce()).toBe(0);
    release.resolve();
    expect(await firstBatch).toBe(2);
    expect(await drain(second)).toBe(2);

    await waitFor(() => delivered.length === 4);
    expect(deliveredTexts()).toEqual(['0', '1', '2', '3']);
  });

  it('delivers a large backlog once, in commit order per key, with relays racing', async () => {
    await dataSource.transaction(async (manager) => {
      await enqueue(
        manager,
        ...Array.from({ length: 300 }, (_, i) => ({ topic, key: `display-${i % 13}`, payload: { text: `${i}` } })),
      );
    });
    const relayed = await Promise.all([0, 1, 2].map(() => drain(relay({ batchSize: 10 }))));

    expect(relayed.reduce((a, b) => a + b, 0)).toBe(300);
    await waitFor(() => delivered.length >= 300);
    expect(new Set(deliveredTexts()).size).toBe(300);
    expect(delivered).toHaveLength(300);
    for (let k = 0; k < 13; k++) {
      const ofKey = delivered
        .filter((m) => m.key === `display-${k}`)
        .map((m) => Number((m.value as { text: string }).text));
      expect(ofKey).toEqual([...ofKey].sort((a, b) => a - b));
    }
  });

  it('relays on its own once started and stays quiet once stopped', async () => {
    const r = relay({ intervalMs: 10 });
    r.start();
    await writeNote('while running');
    await waitFor(() => delivered.length === 1, { message: 'the polled event' });

    await r.stop();
    const pollsAtStop = r.polls;
    await writeNote('after stop');
    expect(await outboxCount()).toBe(1);
    expect(r.polls).toBe(pollsAtStop);
  });

  it('relays at once when nudged instead of waiting for the next poll', async () => {
    const r = relay({ intervalMs: 3_600_000 });
    r.start();
    await waitFor(() => r.polls === 1, { message: 'the first poll' });

    await writeNote('nudged');
    r.nudge();
    await waitFor(() => delivered.length === 1, { message: 'the nudged event' });
    expect(deliveredTexts()).toEqual(['nudged']);
  });

  it('relays the commits nudged within its linger in one batch, and stops during a linger at once', async () => {
    const r = relay({ intervalMs: 3_600_000, lingerMs: 300 });
    r.start();
    await waitFor(() => r.polls === 1, { message: 'the first poll' });

    for (const text of ['first', 'second', 'third']) {
      await writeNote(text);
      r.nudge();
    }
    // (A poll is counted once its batch is published.)
    await waitFor(() => delivered.length === 3 && r.polls === 2, { message: 'the three events' });
    // One read of the outbox took all three: a relay per nudge would have made three polls.
    expect(r.polls).toBe(2);
    expect(deliveredTexts()).toEqual(['first', 'second', 'third']);

    await writeNote('fourth');
    r.nudge();
    const started = Date.now();
    await r.stop();
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('does not lose a nudge that arrives while it is polling', async () => {
    const r = relay({ intervalMs: 3_600_000 });
    const polled = deferred();
    const release = deferred();
    r.afterPoll = async () => {
      r.afterPoll = undefined;
      polled.resolve();
      await release.promise;
    };
    r.start();
    await polled.promise;

    // The poll found nothing; this commit and nudge land before the relay goes to sleep.
    await writeNote('nudged mid-poll');
    r.nudge();
    release.resolve();

    await waitFor(() => delivered.length === 1, { message: 'the nudged event' });
  });

  it('stops while polling without waiting for the poll interval', async () => {
    const r = relay({ intervalMs: 3_600_000 });
    const polled = deferred();
    const release = deferred();
    r.afterPoll = async () => {
      r.afterPoll = undefined;
      polled.resolve();
      await release.promise;
    };
    r.start();
    await polled.promise;

    const stopped = r.stop();
    release.resolve();
    await stopped;
    expect(r.polls).toBe(1);
  });
});
