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
import type { EventBus } from './bus.js';

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
    private readonly options: { intervalMs?: number; batchSize?: number; maxBackoffMs?: number } = {},
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
    const table = this.dataSource.getMetadata(OutboxMessage).tablePath;
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
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lock])) as [
        { locked: boolean },
      ];
      if (!locked) return 0;
      try {
        const rows = await runner.manager
          .createQueryBuilder(OutboxMessage, 'o')
          .orderBy('o.id', 'ASC')
          .limit(batchSize)
          .getMany();
        if (!rows.length) return 0;
        // A failed publish throws, leaving every row for the next attempt; rows go only once published.
        const byTopic = new Map<string, OutboxMessage[]>();
        for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
        for (const [topic, batch] of byTopic) {
          await this.bus.publish(
            topic,
            batch.map((r) => ({ key: r.key, value: r.payload, headers: { ...r.headers, 'outbox-id': String(r.id) } })),
          );
        }
        await runner.manager.delete(
          OutboxMessage,
          rows.map((r) => r.id),
        );
        return rows.length;
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]);
      }
    } finally {
      await runner.release();
      relaying.delete(turn);
    }
  }

  private async run(): Promise<void> {
    const interval = this.options.intervalMs ?? 500;
    let backoff = interval;
    while (this.running) {
      this.woken = false;
      let relayed = 0;
      try {
        relayed = await this.relayOnce();
        backoff = interval;
      } catch (err) {
        this.logger.warn({ err }, 'outbox relay failed; will retry');
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 30_000);
      }
      if (relayed > 0 && backoff === interval) continue;
      if (this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoff);
        // Cleared on wake, so a stopped relay leaves no timer holding the process open.
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
