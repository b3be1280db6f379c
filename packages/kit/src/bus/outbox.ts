import {
  Column,
  Entity,
  PrimaryGeneratedColumn,
  type EntityManager,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger.js';
import { preparedQuery } from '../db.js';
import { withRequestId } from '../request-context.js';
import type { EventBus, OutgoingMessage } from './bus.js';

/** An event written in the same transaction as the rows it describes. */
@Entity({ name: 'outbox' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  topic: string;

  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'jsonb' })
  payload: unknown;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  headers: Record<string, string>;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}

/** Each subgraph lists this migration with its own, so its schema gets its outbox table. */
export class CreateOutbox1764000000000 implements MigrationInterface {
  name = 'CreateOutbox1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = runner.connection.driver.schema ?? 'public';
    await runner.query(`CREATE TABLE "${schema}"."outbox" (
      "id" bigserial PRIMARY KEY,
      "topic" text NOT NULL,
      "key" text NOT NULL,
      "payload" jsonb NOT NULL,
      "headers" jsonb NOT NULL DEFAULT '{}'::jsonb,
      "created_at" timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = runner.connection.driver.schema ?? 'public';
    await runner.query(`DROP TABLE "${schema}"."outbox"`);
  }
}

export interface OutboxEvent {
  topic: string;
  key: string;
  payload: unknown;
  headers?: Record<string, string>;
}

/** Adds events to the outbox inside the caller's transaction. */
export async function enqueue(manager: EntityManager, ...events: OutboxEvent[]): Promise<void> {
  if (!events.length) return;
  await manager.insert(
    OutboxMessage,
    withRequestId(events).map((e) => ({
      topic: e.topic,
      key: e.key,
      payload: e.payload as object,
      headers: e.headers ?? {},
    })),
  );
}

/**
 * A data-modifying statement (INSERT/UPDATE/DELETE … RETURNING) with its parameters numbered from $1, to run in
 * one statement with the outbox rows. Its text must hold no other `$` than its placeholders.
 */
export interface AlongsideStatement {
  sql: string;
  params: unknown[];
}

/**
 * `enqueue` and other writes of the same change in one statement (each a WITH part): one round trip instead of
 * one each, for changes written many times a second. Returns how many rows each of `alongside` returned.
 */
export async function enqueueWith(
  manager: EntityManager,
  events: readonly OutboxEvent[],
  alongside: readonly AlongsideStatement[],
): Promise<number[]> {
  if (!alongside.length) {
    await enqueue(manager, ...events);
    return [];
  }
  const params: unknown[] = [];
  const parts = alongside.map((a, i) => {
    const offset = params.length;
    params.push(...a.params);
    return `"a${i}" AS (${a.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
  });
  if (events.length) {
    const rows = withRequestId([...events]).map((e) => {
      params.push(e.topic, e.key, JSON.stringify(e.payload), JSON.stringify(e.headers ?? {}));
      const n = params.length;
      return `($${n - 3}, $${n - 2}, $${n - 1}::jsonb, $${n}::jsonb)`;
    });
    const schema = manager.connection.driver.schema ?? 'public';
    parts.push(`"o" AS (INSERT INTO "${schema}"."outbox" ("topic", "key", "payload", "headers")
      VALUES ${rows.join(', ')} RETURNING 1)`);
  }
  const counts = alongside.map((_, i) => `(SELECT count(*) FROM "a${i}")::int AS "a${i}"`);
  const [row] = (await preparedQuery(
    manager,
    `WITH ${parts.join(', ')} SELECT ${counts.join(', ')}`,
    params,
  )) as Record<string, number>[];
  return alongside.map((_, i) => row![`a${i}`]!);
}

/** Outboxes a relay of this process is working on (see relayOnce). */
const relaying = new Set<string>();

/**
 * Moves committed outbox rows to the bus in id order, deleting each batch only
 * after the bus accepted it. If the bus is down the rows stay and are retried,
 * so an event written with its row is never lost (delivery is at least once).
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  // Set by nudge() and stop() so that a call landing while a batch is in flight is not lost.
  private woken = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly options: {
      intervalMs?: number;
      batchSize?: number;
      maxBackoffMs?: number;
      /** How long after a nudge the relay waits for more commits before it reads the outbox (default 5 ms). */
      lingerMs?: number;
    } = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Call after a commit that enqueued events, to relay them without waiting for the next poll. */
  nudge(): void {
    this.woken = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
  }

  /** Relays one batch; returns how many messages went to the bus. */
  async relayOnce(): Promise<number> {
    const batchSize = this.options.batchSize ?? 100;
    const meta = this.dataSource.getMetadata(OutboxMessage);
    const table = meta.tablePath;
    const quoted = meta.schema ? `"${meta.schema}"."${meta.tableName}"` : `"${meta.tableName}"`;
    const lock = `phub:outbox:${table}`;
    const url = 'url' in this.dataSource.options ? String(this.dataSource.options.url) : '';
    const turn = `${url}#${lock}`;
    // PGlite serves every connection from one session, where advisory locks exclude nothing: relays of
    // this process take turns here first.
    if (relaying.has(turn)) return 0;
    relaying.add(turn);
    // One relay per outbox at a time (a session lock on one connection), so events of one key reach the
    // bus in commit order; other replicas find the lock taken and try again later. No transaction stays
    // open while publishing: the bus may write to this same database (the Postgres bus), and on PGlite
    // an open transaction would keep it waiting for ever.
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      // The lock and the batch in one round trip (an empty row when the lock is taken or the outbox empty), the
      // delete and the unlock in another: the relay runs for every few commits.
      const rows = await preparedQuery<{ locked: boolean } & Partial<Omit<OutboxMessage, 'createdAt'>>>(
        runner.manager,
        `SELECT l."locked", o."id", o."topic", o."key", o."payload", o."headers"
         FROM (SELECT pg_try_advisory_lock(hashtext($1)) AS "locked") l
         LEFT JOIN LATERAL (SELECT * FROM ${quoted} WHERE l."locked" ORDER BY "id" LIMIT $2) o ON true`,
        [lock, batchSize],
      );
      if (!rows[0]?.locked) return 0;
      let unlocked = false;
      try {
        const batch = rows.filter((r) => r.id != null) as (OutboxMessage & { locked: boolean })[];
        if (!batch.length) return 0;
        // A failed publish throws, leaving every row for the next attempt; rows go only once published.
        const byTopic = new Map<string, OutgoingMessage[]>();
        for (const r of batch) {
          const message = { key: r.key, value: r.payload, headers: { ...r.headers, 'outbox-id': String(r.id) } };
          const messages = byTopic.get(r.topic);
          if (messages) messages.push(message);
          else byTopic.set(r.topic, [message]);
        }
        await this.bus.publishBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })));
        await preparedQuery(
          runner.manager,
          `WITH "sent" AS (DELETE FROM ${quoted} WHERE "id" = ANY($2::bigint[])) SELECT pg_advisory_unlock(hashtext($1))`,
          [lock, batch.map((r) => r.id)],
        );
        unlocked = true;
        return batch.length;
      } finally {
        if (!unlocked) await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      }
    } finally {
      await runner.release();
      relaying.delete(turn);
    }
  }

  private async run(): Promise<void> {
    const interval = this.options.intervalMs ?? 500;
    const linger = this.options.lingerMs ?? 5;
    const batchSize = this.options.batchSize ?? 100;
    let backoff = interval;
    while (this.running) {
      this.woken = false;
      let relayed = 0;
      let failed = false;
      try {
        relayed = await this.relayOnce();
        backoff = interval;
      } catch (err) {
        failed = true;
        this.logger.warn({ err }, 'outbox relay failed; will retry');
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 30_000);
      }
      // A full batch: more are waiting.
      if (!failed && relayed === batchSize) continue;
      // Nothing came in while this batch went: sleep until a commit nudges (or the poll, for other processes').
      if (failed || !this.woken) {
        if (!(await this.pause(backoff, true))) continue;
      }
      // The commits that land within `linger` of a nudge go to the bus in one batch, as a Kafka producer's
      // linger.ms: a relay per commit would cost its round trips for every change.
      if (linger > 0 && this.running) await this.pause(linger, false);
    }
  }

  /** Waits `ms`; a nudge ends the wait if `nudgeable` (stop always does). Resolves true if nudged. */
  private pause(ms: number, nudgeable: boolean): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const done = (nudged: boolean) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(nudged);
      };
      // Cleared on wake, so a stopped relay leaves no timer holding the process open.
      const timer = setTimeout(() => done(false), ms);
      this.wake = () => {
        if (nudgeable || !this.running) done(true);
      };
    });
  }
}
