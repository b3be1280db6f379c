import { withRequestId } from '../request-context.js';
import { randomUUID } from 'node:crypto';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { openDatabase, preparedQuery } from '../db.js';
import type { Logger } from '../logger.js';
import {
  partitionFor,
  type BusSubscription,
  type DeliveredMessage,
  type EventBus,
  type OutgoingMessage,
  type SubscribeOptions,
  type TopicMessages,
} from './bus.js';
import { deliverWithRetries, type DeadLetter, type RetryOptions } from './dead-letter.js';

/** The bus's own tables, in the `bus` schema, migrated at start-up like a subgraph's. */
export class CreateBus1765000000000 implements MigrationInterface {
  name = 'CreateBus1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    // Values and headers are JSON kept as text: jsonb refuses "\u0000", and a message must be
    // accepted whatever its strings hold (a poison message is the handler's problem, not the log's).
    await runner.query(`CREATE TABLE "bus"."partitions" (
      "topic" text NOT NULL,
      "partition" int NOT NULL,
      "next_offset" bigint NOT NULL DEFAULT 0,
      PRIMARY KEY ("topic", "partition")
    )`);
    await runner.query(`CREATE TABLE "bus"."messages" (
      "topic" text NOT NULL,
      "partition" int NOT NULL,
      "offset" bigint NOT NULL,
      "key" text NOT NULL,
      "value" text NOT NULL,
      "headers" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY ("topic", "partition", "offset")
    )`);
    await runner.query(`CREATE INDEX "messages_created_at" ON "bus"."messages" ("created_at")`);
    await runner.query(`CREATE TABLE "bus"."consumer_offsets" (
      "group_id" text NOT NULL,
      "topic" text NOT NULL,
      "partition" int NOT NULL,
      "next_offset" bigint NOT NULL,
      "owner" uuid,
      "lease_until" timestamptz,
      PRIMARY KEY ("group_id", "topic", "partition")
    )`);
    await runner.query(`CREATE TABLE "bus"."members" (
      "group_id" text NOT NULL,
      "member_id" uuid NOT NULL,
      "topics" text[] NOT NULL,
      "expires_at" timestamptz NOT NULL,
      PRIMARY KEY ("group_id", "member_id")
    )`);
    await runner.query(`CREATE TABLE "bus"."dead_letters" (
      "id" bigserial PRIMARY KEY,
      "group_id" text NOT NULL,
      "topic" text NOT NULL,
      "partition" int NOT NULL,
      "offset" bigint NOT NULL,
      "key" text NOT NULL,
      "value" text NOT NULL,
      "headers" text NOT NULL,
      "attempts" int NOT NULL,
      "error" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
    await runner.query(`CREATE INDEX "dead_letters_topic" ON "bus"."dead_letters" ("topic", "group_id")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['dead_letters', 'members', 'consumer_offsets', 'messages', 'partitions']) {
      await runner.query(`DROP TABLE "bus"."${table}"`);
    }
  }
}

export interface PostgresBusOptions extends RetryOptions {
  url: string;
  logger: Logger;
  /** Partitions of a new topic; a topic keeps the count it was created with (default 4). */
  partitions?: number;
  /** How often a member looks for messages published by other processes (default 250 ms). */
  pollIntervalMs?: number;
  /** How often a member renews its membership and leases and rebalances (default 2 s). */
  heartbeatMs?: number;
  /** How long a partition lease lasts without renewal: a dead process's partitions move after this (default 15 s). */
  leaseMs?: number;
  /** Messages read per query (default 100). */
  batchSize?: number;
  /** Messages every group has passed are deleted once they are this old (default 1 h). */
  keepConsumedMs?: number;
  /** Messages are deleted at this age whether consumed or not, as Kafka's retention.ms (default 7 days). */
  retentionMs?: number;
  /** How often retention runs (default 60 s). */
  cleanupIntervalMs?: number;
  /** Longest wait for in-flight handlers when a subscription closes (default 10 s). */
  closeTimeoutMs?: number;
  poolSize?: number;
}

/** A dead letter as the Postgres bus keeps it. */
export interface StoredDeadLetter {
  id: string;
  groupId: string;
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: unknown;
  headers: Record<string, string>;
  attempts: number;
  error: string;
  createdAt: Date;
}

/** Runs a statement; `prepared`: one the bus runs many times a second, prepared once per connection. */
type Sql = <T>(text: string, params?: unknown[], prepared?: boolean) => Promise<{ rows: T[]; count: number }>;

interface MessageRow {
  offset: string;
  key: string;
  value: string;
  headers: string;
  ts: number;
}

/** One partition of one topic that a member holds the lease of. */
interface Slot {
  topic: string;
  partition: number;
  /** Next offset to hand out; matches the committed offset whenever no handler runs. */
  next: number;
  busy: boolean;
  /** Another member holds the lease now: stop at once and commit nothing. */
  lost: boolean;
}

const slotKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * The bus kept in Postgres, for when there is no Kafka: a message is acknowledged only once its
 * transaction committed, so "accepted" survives kill -9. Keyed partitions with offsets assigned under
 * the partition row's lock (so offsets become visible in order), consumer groups with committed
 * offsets, partition leases so that one member of a group at a time works on a partition (across
 * processes), at-least-once delivery, dead letters, retention. Works on real Postgres and on PGlite
 * served by pglite-socket: it needs no LISTEN/NOTIFY (members poll, and a publish wakes the members
 * of its own process at once) and holds no transaction open while a handler runs.
 */
export class PostgresBus implements EventBus {
  readonly kind = 'postgres' as const;
  private readonly members = new Set<PgMember>();
  private readonly partitionCounts = new Map<string, number>();
  private readonly cleanupTimer: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly dataSource: DataSource,
    readonly options: PostgresBusOptions,
  ) {
    this.cleanupTimer = setInterval(
      () => void this.cleanup().catch((err: unknown) => this.options.logger.warn({ err }, 'bus retention failed')),
      options.cleanupIntervalMs ?? 60_000,
    );
    this.cleanupTimer.unref();
  }

  /** Opens the bus on the database at `url`, creating or migrating its `bus` schema first. */
  static async open(options: PostgresBusOptions): Promise<PostgresBus> {
    const dataSource = await openDatabase({
      url: options.url,
      schema: 'bus',
      entities: [],
      migrations: [CreateBus1765000000000],
      logger: options.logger,
      poolSize: options.poolSize ?? 4,
    });
    return new PostgresBus(dataSource, options);
  }

  /** Runs `work` on one connection, inside a transaction when asked. */
  async run<T>(work: (sql: Sql) => Promise<T>, transaction = false): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const sql: Sql = async <R>(text: string, params: unknown[] = [], prepared = false) => {
      if (prepared) {
        const rows = await preparedQuery<R>(runner.manager, text, params);
        return { rows, count: rows.length };
      }
      const result = await runner.query(text, params, true);
      const rows = (result.records ?? []) as R[];
      return { rows, count: result.affected ?? rows.length };
    };
    try {
      if (transaction) await runner.startTransaction();
      const result = await work(sql);
      if (transaction) await runner.commitTransaction();
      return result;
    } catch (err) {
      if (transaction && runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  }

  /** Creates the topic's partitions if it is new; returns how many it has. */
  async partitionsOf(topic: string): Promise<number> {
    const known = this.partitionCounts.get(topic);
    if (known) return known;
    const count = await this.run(async (sql) => {
      await sql(
        `INSERT INTO "bus"."partitions" ("topic", "partition")
         SELECT $1, p FROM generate_series(0, $2::int - 1) AS p
         ON CONFLICT DO NOTHING`,
        [topic, this.options.partitions ?? 4],
      );
      const { rows } = await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM "bus"."partitions" WHERE "topic" = $1`,
        [topic],
      );
      return rows[0]!.n;
    });
    this.partitionCounts.set(topic, count);
    return count;
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    await this.publishBatch([{ topic, messages }]);
  }

  async publishBatch(batches: TopicMessages[]): Promise<void> {
    if (this.closed) throw new Error('bus is closed');
    // Per (topic, partition), in the order given.
    const slots = new Map<string, { topic: string; partition: number; messages: OutgoingMessage[] }>();
    for (const { topic, messages } of batches) {
      if (!messages.length) continue;
      const partitions = await this.partitionsOf(topic);
      for (const m of withRequestId(messages)) {
        const partition = partitionFor(m.key, partitions);
        const key = slotKey(topic, partition);
        const slot = slots.get(key);
        if (slot) slot.messages.push(m);
        else slots.set(key, { topic, partition, messages: [m] });
      }
    }
    if (!slots.size) return;
    const reserve = { topic: [] as string[], partition: [] as number[], count: [] as number[] };
    const rows = {
      topic: [] as string[],
      partition: [] as number[],
      index: [] as number[],
      key: [] as string[],
      value: [] as string[],
      headers: [] as string[],
    };
    for (const { topic, partition, messages } of slots.values()) {
      reserve.topic.push(topic);
      reserve.partition.push(partition);
      reserve.count.push(messages.length);
      messages.forEach((m, i) => {
        rows.topic.push(topic);
        rows.partition.push(partition);
        rows.index.push(i);
        rows.key.push(m.key);
        rows.value.push(JSON.stringify(m.value ?? null));
        rows.headers.push(JSON.stringify(m.headers ?? {}));
      });
    }
    // One statement (atomic without a transaction around it): it locks the partition rows in (topic, partition)
    // order, so two publishers never wait on each other in a cycle, moves each one's next offset past its messages
    // and writes them at the offsets it reserved. The locks are held to commit, the statement's end: a later
    // offset of a partition cannot become visible before an earlier one. One round trip per batch of the outbox
    // relay, whatever its topics.
    await this.run((sql) =>
      sql(
        `WITH "wanted" AS (SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) AS w("topic", "partition", "count")),
           "locked" AS MATERIALIZED (
             SELECT p."topic", p."partition" FROM "bus"."partitions" p
             WHERE (p."topic", p."partition") IN (SELECT "topic", "partition" FROM "wanted")
             ORDER BY p."topic", p."partition" FOR UPDATE
           ), "reserved" AS (
             UPDATE "bus"."partitions" p SET "next_offset" = p."next_offset" + w."count"
             FROM "locked" l JOIN "wanted" w ON w."topic" = l."topic" AND w."partition" = l."partition"
             WHERE p."topic" = l."topic" AND p."partition" = l."partition"
             RETURNING p."topic", p."partition", p."next_offset" - w."count" AS "first"
           )
           INSERT INTO "bus"."messages" ("topic", "partition", "offset", "key", "value", "headers")
           SELECT m."topic", m."partition", r."first" + m."index", m."key", m."value", m."headers"
           FROM unnest($4::text[], $5::int[], $6::int[], $7::text[], $8::text[], $9::text[])
             AS m("topic", "partition", "index", "key", "value", "headers")
           JOIN "reserved" r ON r."topic" = m."topic" AND r."partition" = m."partition"`,
        [
          reserve.topic,
          reserve.partition,
          reserve.count,
          rows.topic,
          rows.partition,
          rows.index,
          rows.key,
          rows.value,
          rows.headers,
        ],
        true,
      ),
    );
    const topics = new Set(reserve.topic);
    for (const member of this.members) if ([...topics].some((t) => member.reads(t))) member.wake();
  }

  async subscribe(options: SubscribeOptions): Promise<BusSubscription> {
    if (this.closed) throw new Error('bus is closed');
    const member = new PgMember(this, options);
    this.members.add(member);
    try {
      await member.start();
    } catch (err) {
      this.members.delete(member);
      await member.close().catch(() => undefined);
      throw err;
    }
    return { close: () => member.close() };
  }

  /** Asks this process's members of a group to rebalance now rather than at their next heartbeat. */
  nudgeGroup(groupId: string, except?: PgMember): void {
    for (const member of this.members) if (member !== except && member.groupId === groupId) member.wake(true);
  }

  forget(member: PgMember): void {
    this.members.delete(member);
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('bus is closed');
    await this.run((sql) => sql('SELECT 1'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.cleanupTimer);
    await Promise.allSettled([...this.members].map((m) => m.close()));
    await this.dataSource.destroy();
  }

  /**
   * Retention: deletes messages every group of their topic has passed once they are `keepConsumedMs` old
   * (so a new group reading from the beginning still finds recent history), and any message older
   * than `retentionMs`.
   */
  async cleanup(): Promise<number> {
    return this.run(async (sql) => {
      const consumed = await sql(
        `DELETE FROM "bus"."messages" m
         USING (SELECT "topic", "partition", min("next_offset") AS passed
                FROM "bus"."consumer_offsets" GROUP BY "topic", "partition") g
         WHERE m."topic" = g."topic" AND m."partition" = g."partition" AND m."offset" < g.passed
           AND m."created_at" < now() - $1::int * interval '1 millisecond'`,
        [this.options.keepConsumedMs ?? 3_600_000],
      );
      const expired = await sql(
        `DELETE FROM "bus"."messages" WHERE "created_at" < now() - $1::bigint * interval '1 millisecond'`,
        [this.options.retentionMs ?? 7 * 24 * 3_600_000],
      );
      await sql(`DELETE FROM "bus"."members" WHERE "expires_at" < now() - interval '1 hour'`);
      return consumed.count + expired.count;
    });
  }

  /**
   * Consumer lag: messages published and not yet handled (or dead-lettered), summed over the partitions of
   * every group with a live member reading the topic (or of `groupId` only). 0 means every handler has
   * returned for everything accepted so far, which is what tests wait for instead of sleeping.
   */
  async lag(groupId?: string): Promise<number> {
    const { rows } = await this.run((sql) =>
      sql<{ lag: string }>(
        `SELECT coalesce(sum(p."next_offset" - o."next_offset"), 0)::text AS lag
         FROM "bus"."consumer_offsets" o
         JOIN "bus"."partitions" p ON p."topic" = o."topic" AND p."partition" = o."partition"
         WHERE p."next_offset" > o."next_offset" AND ($1::text IS NULL OR o."group_id" = $1)
           AND EXISTS (SELECT 1 FROM "bus"."members" m WHERE m."group_id" = o."group_id"
                       AND o."topic" = ANY (m."topics") AND m."expires_at" > now())`,
        [groupId ?? null],
      ),
    );
    return Number(rows[0]!.lag);
  }

  /** Dead letters, newest first, for operators and tests. */
  async deadLetters(filter: { topic?: string; groupId?: string; limit?: number } = {}): Promise<StoredDeadLetter[]> {
    const { rows } = await this.run((sql) =>
      sql<{
        id: string;
        group_id: string;
        topic: string;
        partition: number;
        offset: string;
        key: string;
        value: string;
        headers: string;
        attempts: number;
        error: string;
        created_at: Date;
      }>(
        `SELECT "id"::text, "group_id", "topic", "partition", "offset"::text, "key", "value", "headers",
                "attempts", "error", "created_at"
         FROM "bus"."dead_letters"
         WHERE ($1::text IS NULL OR "topic" = $1) AND ($2::text IS NULL OR "group_id" = $2)
         ORDER BY "id" DESC LIMIT $3`,
        [filter.topic ?? null, filter.groupId ?? null, filter.limit ?? 100],
      ),
    );
    return rows.map((r) => ({
      id: r.id,
      groupId: r.group_id,
      topic: r.topic,
      partition: r.partition,
      offset: r.offset,
      key: r.key,
      value: JSON.parse(r.value) as unknown,
      headers: JSON.parse(r.headers) as Record<string, string>,
      attempts: r.attempts,
      error: r.error,
      createdAt: r.created_at,
    }));
  }
}

/** One subscription: a member of its consumer group, holding leases on the partitions assigned to it. */
class PgMember {
  readonly id = randomUUID();
  private readonly slots = new Map<string, Slot>();
  /** Partitions the current assignment gives this member. */
  private wanted = new Set<string>();
  private readonly stopped = new AbortController();
  private readonly drains = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private lastSync = 0;
  private ticking?: Promise<void>;
  private again = false;
  private syncAgain = false;

  constructor(
    private readonly bus: PostgresBus,
    private readonly options: SubscribeOptions,
  ) {}

  get groupId(): string {
    return this.options.groupId;
  }

  reads(topic: string): boolean {
    return this.options.topics.includes(topic);
  }

  private get heartbeatMs(): number {
    return this.bus.options.heartbeatMs ?? 2_000;
  }

  private get leaseMs(): number {
    return this.bus.options.leaseMs ?? 15_000;
  }

  async start(): Promise<void> {
    for (const topic of this.options.topics) {
      await this.bus.partitionsOf(topic);
      // A group's first member fixes where it starts; later members and restarts resume from its offsets.
      await this.bus.run((sql) =>
        sql(
          `INSERT INTO "bus"."consumer_offsets" ("group_id", "topic", "partition", "next_offset")
           SELECT $1, "topic", "partition", CASE WHEN $3::boolean THEN 0 ELSE "next_offset" END
           FROM "bus"."partitions" WHERE "topic" = $2
           ON CONFLICT DO NOTHING`,
          [this.groupId, topic, this.options.fromBeginning ?? false],
        ),
      );
    }
    await this.sync();
    this.bus.nudgeGroup(this.groupId, this);
    // Like a Kafka group join: return once the partitions assigned to us are ours, so that two members
    // subscribed one after the other share the work from the first message on. Others release a
    // partition after the message in hand; a dead member's lease has to expire, so do not wait for that.
    const deadline = Date.now() + Math.min(this.leaseMs, 2 * this.heartbeatMs + 500);
    while (!this.settled() && Date.now() < deadline && !this.stopped.signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await this.sync();
    }
    this.timer = setInterval(() => this.wake(), this.bus.options.pollIntervalMs ?? 250);
    this.timer.unref();
    this.wake();
  }

  private settled(): boolean {
    return [...this.wanted].every((key) => this.slots.has(key));
  }

  /** Looks for work soon; with `sync`, rebalances first. Never runs two ticks at once. */
  wake(sync = false): void {
    if (this.stopped.signal.aborted) return;
    this.syncAgain ||= sync;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick()
      .catch((err: unknown) =>
        this.bus.options.logger.warn({ err, group: this.groupId }, 'bus consumer could not poll; retrying'),
      )
      .finally(() => {
        this.ticking = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async tick(): Promise<void> {
    if (this.syncAgain || Date.now() - this.lastSync >= this.heartbeatMs) {
      this.syncAgain = false;
      await this.sync();
    }
    const owned = [...this.slots.values()].filter((s) => !s.busy && !s.lost);
    if (!owned.length || this.stopped.signal.aborted) return;
    const { rows } = await this.bus.run((sql) =>
      sql<{ topic: string; partition: number; head: string }>(
        `SELECT o."topic", o."partition", p."next_offset"::text AS head
         FROM "bus"."consumer_offsets" o
         JOIN "bus"."partitions" p ON p."topic" = o."topic" AND p."partition" = o."partition"
         WHERE o."group_id" = $1 AND o."owner" = $2 AND p."next_offset" > o."next_offset"`,
        [this.groupId, this.id],
      ),
    );
    for (const row of rows) {
      const slot = this.slots.get(slotKey(row.topic, row.partition));
      if (slot && !slot.busy && !slot.lost) this.startDrain(slot, Number(row.head));
    }
  }

  /** Renews membership, works out the assignment, releases what is no longer ours and claims what is. */
  private async sync(): Promise<void> {
    if (this.stopped.signal.aborted) return;
    const { rows: members } = await this.bus.run(async (sql) => {
      await sql(
        `INSERT INTO "bus"."members" ("group_id", "member_id", "topics", "expires_at")
         VALUES ($1, $2, $3::text[], now() + $4::int * interval '1 millisecond')
         ON CONFLICT ("group_id", "member_id") DO UPDATE SET "expires_at" = EXCLUDED."expires_at"`,
        [this.groupId, this.id, this.options.topics, this.leaseMs],
      );
      return sql<{ member_id: string; topics: string[] }>(
        `SELECT "member_id"::text, "topics" FROM "bus"."members"
         WHERE "group_id" = $1 AND "expires_at" > now() ORDER BY "member_id"`,
        [this.groupId],
      );
    });
    // Partition p of a topic belongs to the member at p mod (live members reading that topic), by id:
    // every member computes the same assignment from the same rows.
    const wanted = new Set<string>();
    for (const topic of this.options.topics) {
      const readers = members.filter((m) => m.topics.includes(topic)).map((m) => m.member_id);
      const partitions = await this.bus.partitionsOf(topic);
      for (let p = 0; p < partitions && readers.length; p++) {
        if (readers[p % readers.length] === this.id) wanted.add(slotKey(topic, p));
      }
    }
    this.wanted = wanted;

    for (const [key, slot] of this.slots) {
      if (!wanted.has(key) && !slot.busy) await this.release(slot);
    }
    // Renew what we hold (a busy slot finishing its message included) and claim what is free or expired.
    const claim = new Set([...wanted, ...this.slots.keys()]);
    const pairs = [...claim].map((key) => key.split('\u0000') as [string, string]);
    const { rows: claimed } = await this.bus.run((sql) =>
      sql<{ topic: string; partition: number; next: string }>(
        `UPDATE "bus"."consumer_offsets"
         SET "owner" = $2, "lease_until" = now() + $5::int * interval '1 millisecond'
         WHERE "group_id" = $1
           AND ("topic", "partition") IN (SELECT * FROM unnest($3::text[], $4::int[]))
           AND ("owner" IS NULL OR "owner" = $2 OR "lease_until" < now())
         RETURNING "topic", "partition", "next_offset"::text AS next`,
        [this.groupId, this.id, pairs.map(([t]) => t), pairs.map(([, p]) => Number(p)), this.leaseMs],
      ),
    );
    const held = new Set<string>();
    for (const row of claimed) {
      const key = slotKey(row.topic, row.partition);
      held.add(key);
      const slot = this.slots.get(key);
      // A slot we kept holding knows its offset best: this row may have been read before a commit of ours.
      if (slot) continue;
      else if (wanted.has(key)) {
        this.slots.set(key, {
          topic: row.topic,
          partition: row.partition,
          next: Number(row.next),
          busy: false,
          lost: false,
        });
      } else {
        // Released by a drain that ended while this claim was on its way: give it back.
        await this.release({ topic: row.topic, partition: row.partition, next: 0, busy: false, lost: false });
      }
    }
    for (const [key, slot] of this.slots) {
      if (held.has(key)) continue;
      // Our lease expired and another member took the partition.
      slot.lost = true;
      if (!slot.busy) this.slots.delete(key);
    }
    this.lastSync = Date.now();
  }

  private async release(slot: Slot): Promise<void> {
    this.slots.delete(slotKey(slot.topic, slot.partition));
    await this.bus.run((sql) =>
      sql(
        `UPDATE "bus"."consumer_offsets" SET "owner" = NULL, "lease_until" = NULL
         WHERE "group_id" = $1 AND "topic" = $2 AND "partition" = $3 AND "owner" = $4`,
        [this.groupId, slot.topic, slot.partition, this.id],
      ),
    );
    this.bus.nudgeGroup(this.groupId, this);
  }

  private startDrain(slot: Slot, head: number): void {
    slot.busy = true;
    const drain = this.drain(slot, head)
      .catch((err: unknown) =>
        this.bus.options.logger.warn(
          { err, topic: slot.topic, partition: slot.partition, group: this.groupId },
          'bus consumer failed; retrying',
        ),
      )
      .finally(async () => {
        slot.busy = false;
        this.drains.delete(drain);
        const key = slotKey(slot.topic, slot.partition);
        if (slot.lost) this.slots.delete(key);
        else if (!this.stopped.signal.aborted && !this.wanted.has(key)) {
          await this.release(slot).catch(() => undefined);
        }
      });
    this.drains.add(drain);
  }

  private mayContinue(slot: Slot): boolean {
    return !this.stopped.signal.aborted && !slot.lost && this.wanted.has(slotKey(slot.topic, slot.partition));
  }

  /** Hands out a partition's messages in offset order, committing each one after its handler. */
  private async drain(slot: Slot, head: number): Promise<void> {
    const batchSize = this.bus.options.batchSize ?? 100;
    while (this.mayContinue(slot)) {
      const { rows } = await this.bus.run((sql) =>
        sql<MessageRow>(
          // Ordered by the bigint column, not the text alias of the same name ("10" sorts before "9").
          `SELECT m."offset"::text AS "offset", m."key", m."value", m."headers",
                  (extract(epoch FROM m."created_at") * 1000)::float8 AS ts
           FROM "bus"."messages" m WHERE m."topic" = $1 AND m."partition" = $2 AND m."offset" >= $3
           ORDER BY m."offset" LIMIT $4`,
          [slot.topic, slot.partition, slot.next, batchSize],
        ),
      );
      if (!rows.length) {
        // Retention deleted what this group had not read yet (it was away too long): move past the gap.
        if (head > slot.next && !(await this.commit(slot, head))) slot.lost = true;
        return;
      }
      for (const row of rows) {
        if (!this.mayContinue(slot)) return;
        const message: DeliveredMessage = {
          topic: slot.topic,
          partition: slot.partition,
          offset: row.offset,
          key: row.key,
          value: JSON.parse(row.value) as unknown,
          headers: JSON.parse(row.headers) as Record<string, string>,
          timestamp: Math.round(row.ts),
        };
        const next = Number(row.offset) + 1;
        const outcome = await deliverWithRetries(message, {
          groupId: this.groupId,
          handler: this.options.handler,
          retry: this.bus.options,
          logger: this.bus.options.logger,
          signal: this.stopped.signal,
          store: (letter) => this.storeDeadLetter(slot, letter, next),
        });
        if (outcome === 'stopped' || slot.lost) return;
        if (outcome === 'handled' && !(await this.commit(slot, next))) {
          slot.lost = true;
          return;
        }
        slot.next = next;
      }
      head = Math.max(head, slot.next);
    }
  }

  /** Commits the group's offset only while this member still holds the lease (a fence against a takeover). */
  private async commit(slot: Slot, next: number): Promise<boolean> {
    const { count } = await this.bus.run((sql) =>
      sql(
        `UPDATE "bus"."consumer_offsets" SET "next_offset" = $4
         WHERE "group_id" = $1 AND "topic" = $2 AND "partition" = $3 AND "owner" = $5`,
        [this.groupId, slot.topic, slot.partition, next, this.id],
      ),
    );
    return count > 0;
  }

  /** The dead letter and the offset past it are written together: neither can happen without the other. */
  private async storeDeadLetter(slot: Slot, letter: DeadLetter, next: number): Promise<void | false> {
    const stored = await this.bus.run(async (sql) => {
      const { count } = await sql(
        `UPDATE "bus"."consumer_offsets" SET "next_offset" = $4
         WHERE "group_id" = $1 AND "topic" = $2 AND "partition" = $3 AND "owner" = $5`,
        [this.groupId, slot.topic, slot.partition, next, this.id],
      );
      if (!count) return false;
      const m = letter.message;
      await sql(
        `INSERT INTO "bus"."dead_letters"
           ("group_id", "topic", "partition", "offset", "key", "value", "headers", "attempts", "error")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          this.groupId,
          m.topic,
          m.partition,
          m.offset,
          m.key,
          JSON.stringify(m.value ?? null),
          JSON.stringify(m.headers),
          letter.attempts,
          // Postgres text cannot hold NUL, and the error may quote the poison value.
          letter.error.replaceAll('\u0000', '\\u0000'),
        ],
      );
      return true;
    }, true);
    if (!stored) {
      slot.lost = true;
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.stopped.signal.aborted) return;
    this.stopped.abort();
    clearInterval(this.timer);
    // Let handlers in flight finish (graceful shutdown), but not forever.
    const timeout = new Promise((resolve) => setTimeout(resolve, this.bus.options.closeTimeoutMs ?? 10_000).unref());
    await Promise.race([Promise.allSettled([...this.drains, this.ticking]), timeout]);
    this.bus.forget(this);
    await this.bus
      .run(async (sql) => {
        await sql(
          `UPDATE "bus"."consumer_offsets" SET "owner" = NULL, "lease_until" = NULL
           WHERE "group_id" = $1 AND "owner" = $2`,
          [this.groupId, this.id],
        );
        await sql(`DELETE FROM "bus"."members" WHERE "group_id" = $1 AND "member_id" = $2`, [this.groupId, this.id]);
      })
      .catch((err: unknown) =>
        this.bus.options.logger.warn({ err, group: this.groupId }, 'could not leave the consumer group'),
      );
    this.bus.nudgeGroup(this.groupId);
  }
}
