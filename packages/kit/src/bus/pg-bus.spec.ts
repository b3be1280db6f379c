import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgres } from '../embedded-postgres.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, deferred, waitFor } from '../testing/index.js';
import type { DeliveredMessage, EventBus } from './bus.js';
import { describeBusContract } from './bus.contract.js';
import { PostgresBus, type PostgresBusOptions } from './pg-bus.js';

const logger = createLogger('pg-bus-test', process.env.BUS_LOG ?? 'silent');

/** Short intervals so that hand-overs and retries happen within a test's patience. */
const FAST: Omit<PostgresBusOptions, 'url'> = {
  logger,
  pollIntervalMs: 20,
  heartbeatMs: 100,
  leaseMs: 2_000,
  retryDelayMs: 5,
  maxAttempts: 3,
  closeTimeoutMs: 2_000,
};

const deadLetters = async (bus: EventBus, topic: string) =>
  bus instanceof PostgresBus ? bus.deadLetters({ topic }) : [];

describe(`${PostgresBus.name} on Postgres`, () => {
  let db: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  describeBusContract(`${PostgresBus.name} (Postgres)`, () => PostgresBus.open({ ...FAST, url: db.url }), {
    maxAttempts: 3,
    sharedStore: true,
    deadLetters,
  });

  describe('beyond the contract', () => {
    const buses: PostgresBus[] = [];
    let admin: pg.Client;
    const open = async (options: Partial<PostgresBusOptions> = {}) => {
      const bus = await PostgresBus.open({ ...FAST, url: db.url, ...options });
      buses.push(bus);
      return bus;
    };
    beforeAll(async () => {
      admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
    });
    afterAll(async () => {
      await admin.end();
    });
    afterEach(async () => {
      await Promise.all(buses.splice(0).map((bus) => bus.close()));
    });

    it('migrates its schema once when several processes start together', async () => {
      const fresh = await createTestDatabase();
      try {
        const started = await Promise.all(
          Array.from({ length: 3 }, () => PostgresBus.open({ ...FAST, url: fresh.url })),
        );
        await Promise.all(started.map((bus) => bus.ping()));
        await Promise.all(started.map((bus) => bus.close()));
      } finally {
        await fresh.drop();
      }
    });

    it('stores a message before publish resolves, NUL bytes and all', async () => {
      const bus = await open();
      await bus.publish('durable-now', [{ key: 'display-1', value: { name: 'a\u0000b' }, headers: { h: '1' } }]);
      const { rows } = await admin.query<{ value: string; headers: string }>(
        `SELECT "value", "headers" FROM "bus"."messages" WHERE "topic" = 'durable-now'`,
      );
      expect(rows.map((r) => JSON.parse(r.value) as unknown)).toEqual([{ name: 'a\u0000b' }]);
      expect(rows.map((r) => JSON.parse(r.headers) as unknown)).toEqual([{ h: '1' }]);
    });

    it('gives publishers racing over every partition gapless offsets in one statement each, with no deadlock', async () => {
      // Three processes' buses, each publishing batches that span all partitions with keys in its own order: a
      // publish that locked partitions in the order of its keys would deadlock against another (Postgres aborts
      // one: "deadlock detected"); offsets must come out gapless and unique per partition.
      const publishers = await Promise.all([open({ poolSize: 4 }), open({ poolSize: 4 }), open({ poolSize: 4 })]);
      const topic = 'racing-offsets';
      const keys = Array.from({ length: 16 }, (_, i) => `display-${i}`);
      await Promise.all(
        publishers.flatMap((bus, b) =>
          Array.from({ length: 6 }, async (_, w) => {
            for (let i = 0; i < 10; i++) {
              const order = (b + w + i) % 2 ? [...keys].reverse() : keys;
              await bus.publish(
                topic,
                order.map((key) => ({ key, value: { b, w, i, key } })),
              );
            }
          }),
        ),
      );
      const { rows } = await admin.query<{ partition: number; offsets: string[]; next: string }>(
        `SELECT m."partition", array_agg(m."offset"::text ORDER BY m."offset") AS "offsets", p."next_offset"::text AS "next"
         FROM "bus"."messages" m JOIN "bus"."partitions" p ON p."topic" = m."topic" AND p."partition" = m."partition"
         WHERE m."topic" = $1 GROUP BY m."partition", p."next_offset" ORDER BY m."partition"`,
        [topic],
      );
      expect(rows.length).toBe(4);
      expect(rows.reduce((n, r) => n + r.offsets.length, 0)).toBe(3 * 6 * 10 * keys.length);
      for (const r of rows) {
        expect(r.offsets).toEqual(r.offsets.map((_, i) => String(i)));
        expect(r.next).toBe(String(r.offsets.length));
      }
    });

    it('has stored every message it acknowledged when its connections die mid-stream', async () => {
      const bus = await open();
      const topic = 'crash';
      const acked: number[] = [];
      // Publishers keep going while the server drops every connection of the bus, as a kill -9 of the process
      // (or of its database link) would; what publish() had resolved must be in the table regardless.
      const publishers = Array.from({ length: 4 }, async (_, p) => {
        for (let i = 0; ; i++) {
          const value = p * 1_000_000 + i;
          try {
            await bus.publish(topic, [{ key: `display-${value % 13}`, value }]);
          } catch {
            return;
          }
          acked.push(value);
        }
      });
      await waitFor(() => acked.length >= 200, { message: 'some acknowledged messages' });
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'phub-bus' AND pid <> pg_backend_pid()`,
      );
      await bus.close().catch(() => undefined);
      await Promise.all(publishers);

      const { rows } = await admin.query<{ value: string }>(`SELECT "value" FROM "bus"."messages" WHERE "topic" = $1`, [
        topic,
      ]);
      const stored = new Set(rows.map((r) => JSON.parse(r.value) as number));
      expect(acked.filter((v) => !stored.has(v))).toEqual([]);
    });

    it('waits for the lease of a member that vanished to expire before taking its partitions', async () => {
      const bus = await open({ partitions: 1 });
      const topic = 'lease-expiry';
      const groupId = 'lease-expiry-group';
      await bus.publish(topic, [{ key: 'k', value: 1 }]);
      // A process that died holding the partition: its lease runs another 600 ms, nobody renews it.
      await admin.query(
        `INSERT INTO "bus"."consumer_offsets" ("group_id", "topic", "partition", "next_offset", "owner", "lease_until")
         VALUES ($1, $2, 0, 0, gen_random_uuid(), now() + interval '600 milliseconds')`,
        [groupId, topic],
      );
      const { rows } = await admin.query<{ until: number }>(
        `SELECT extract(epoch FROM "lease_until") * 1000 AS until FROM "bus"."consumer_offsets" WHERE "group_id" = $1`,
        [groupId],
      );
      const leaseUntil = Number(rows[0]!.until);
      const deliveredAt: number[] = [];
      await bus.subscribe({
        groupId,
        topics: [topic],
        fromBeginning: true,
        handler: async () => void deliveredAt.push(Date.now()),
      });

      await waitFor(() => deliveredAt.length === 1, { message: 'the message after the lease expired' });
      expect(deliveredAt[0]).toBeGreaterThanOrEqual(leaseUntil);
    });

    it('deletes what every group has passed, keeps what one still needs, and drops anything past retention', async () => {
      const bus = await open({ partitions: 1, keepConsumedMs: 0 });
      const count = async (topic: string) =>
        Number(
          (await admin.query(`SELECT count(*) AS n FROM "bus"."messages" WHERE "topic" = $1`, [topic])).rows[0]!.n,
        );
      const done: unknown[] = [];
      await bus.subscribe({ groupId: 'fast', topics: ['kept'], handler: async (m) => void done.push(m.value) });
      await bus.subscribe({ groupId: 'fast', topics: ['passed'], handler: async (m) => void done.push(m.value) });
      // A second group on "kept" that stops after the first message, as a consumer that is behind.
      const slow = await bus.subscribe({ groupId: 'slow', topics: ['kept'], handler: async () => {} });
      await slow.close();
      await bus.publish(
        'passed',
        [1, 2, 3].map((value) => ({ key: 'k', value })),
      );
      await bus.publish(
        'kept',
        [4, 5].map((value) => ({ key: 'k', value })),
      );
      await waitFor(() => done.length === 5, { message: 'the fast group' });

      await bus.cleanup();
      expect(await count('passed')).toBe(0);
      expect(await count('kept')).toBe(2);

      const expiring = await open({ partitions: 1, retentionMs: 0 });
      await expiring.cleanup();
      expect(await count('kept')).toBe(0);

      // The slow group comes back after its messages expired: it moves past the gap to new ones.
      const late: unknown[] = [];
      await bus.subscribe({ groupId: 'slow', topics: ['kept'], handler: async (m) => void late.push(m.value) });
      await bus.publish('kept', [{ key: 'k', value: 6 }]);
      await waitFor(() => late.length === 1, { message: 'the message after the gap' });
      expect(late).toEqual([6]);
    });

    it('reports as lag what a group has not handled yet, until its handler returns', async () => {
      const bus = await open({ partitions: 2 });
      const gate = deferred();
      const handled: unknown[] = [];
      await bus.subscribe({
        groupId: 'lagging',
        topics: ['lag'],
        handler: async (m) => {
          await gate.promise;
          handled.push(m.value);
        },
      });
      // A group with no live member is not waited for (it may never come back).
      const gone = await bus.subscribe({ groupId: 'gone', topics: ['lag'], handler: async () => {} });
      await gone.close();
      await bus.publish(
        'lag',
        [1, 2, 3].map((value) => ({ key: `k${value}`, value })),
      );
      expect(await bus.lag()).toBe(3);
      expect(await bus.lag('lagging')).toBe(3);
      expect(await bus.lag('gone')).toBe(0);
      gate.resolve();
      await waitFor(async () => (await bus.lag()) === 0, { message: 'no lag' });
      expect(handled.sort()).toEqual([1, 2, 3]);
    });

    it('hands the partitions of a closed bus to the members that remain in another one', async () => {
      const a = await open();
      const b = await open();
      const topic = 'handover';
      const groupId = 'handover-group';
      const onA: DeliveredMessage[] = [];
      const onB: DeliveredMessage[] = [];
      await a.subscribe({ groupId, topics: [topic], handler: async (m) => void onA.push(m) });
      await b.subscribe({ groupId, topics: [topic], handler: async (m) => void onB.push(m) });
      await a.close();

      await b.publish(
        topic,
        Array.from({ length: 20 }, (_, i) => ({ key: `key-${i}`, value: i })),
      );
      await waitFor(() => onB.length === 20, { message: 'every message on the remaining bus' });
      expect(onA).toEqual([]);
      expect(new Set(onB.map((m) => m.partition)).size).toBe(4);
    });
  });
});

// The embedded mode: PGlite served by pglite-socket, every connection sharing its one session.
describe(`${PostgresBus.name} on PGlite`, () => {
  let embedded: EmbeddedPostgres;
  beforeAll(async () => {
    embedded = await EmbeddedPostgres.start(null);
  });
  afterAll(async () => {
    await embedded.stop();
  });

  describeBusContract(`${PostgresBus.name} (PGlite)`, () => PostgresBus.open({ ...FAST, url: embedded.url }), {
    maxAttempts: 3,
    sharedStore: true,
    deadLetters,
  });
});
