import { createHash } from 'node:crypto';
import { DataSource, type EntityManager, type MixedList, type EntitySchema } from 'typeorm';
import { isEmbeddedUrl } from './embedded-urls.js';
import type { Logger } from './logger.js';

export interface DatabaseOptions {
  url: string;
  /** The subgraph's own Postgres schema; nobody else reads it. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  logger: Logger;
  poolSize?: number;
  /** Let `preparedQuery` name statements (default true; never on embedded PGlite). */
  preparedStatements?: boolean;
}

/** Data sources on a real Postgres, where each connection is a session of its own (see `preparedQuery`). */
const preparing = new WeakSet<DataSource>();
/** Statement names by text: the same text has the same name on every connection. */
const statementNames = new Map<string, string>();

/** A pg client as far as `preparedQuery` and `transaction` use it. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
  query(text: string): Promise<{ command: string }>;
  connection: { stream: { cork(): void; uncork(): void } };
}

/** Data sources whose connections are in pipeline mode (see `transaction`). */
const pipelining = new WeakSet<DataSource>();

/** Per client in pipeline mode: whether a statement waits in its socket for the one that follows it. */
const held = new WeakMap<PgClient, { held: boolean; holdNext: boolean }>();

function heldState(client: PgClient): { held: boolean; holdNext: boolean } {
  let state = held.get(client);
  if (!state) held.set(client, (state = { held: false, holdNext: false }));
  return state;
}

/**
 * Sends a statement on a client in pipeline mode. `hold`: another statement follows at once (BEGIN and the first
 * one, a write and the read behind it, the last one and COMMIT), so this one waits in the socket until that one is
 * sent, and both leave in one write: Postgres answers them in one round trip. A statement sent while another is
 * held goes out with it at once; a held one goes anyway at the end of this turn of the event loop, should nothing
 * follow it.
 */
function send<R>(client: PgClient, issue: () => Promise<R>, hold = false): Promise<R> {
  const state = heldState(client);
  const stream = client.connection.stream;
  const release = () => {
    if (!state.held) return;
    state.held = false;
    stream.uncork();
  };
  if (hold || state.holdNext) {
    state.holdNext = false;
    if (!state.held) {
      state.held = true;
      stream.cork();
      setImmediate(release);
    }
    return issue();
  }
  const sent = issue();
  release();
  return sent;
}

/** Whether statements on `manager` may be sent before the answer to the one ahead (pipeline mode, in a transaction). */
export function isPipelined(manager: EntityManager): boolean {
  return !!manager.queryRunner && pipelining.has(manager.connection);
}

/**
 * `manager.query` for a statement run many times a second inside a transaction: each connection prepares it
 * once under a name, so Postgres parses and plans it once per connection (then reuses a generic plan) instead
 * of on every call; planning was most of the time of the queue's hot statements. Elsewhere (outside a
 * transaction, or on embedded PGlite, whose connections share one session and so one namespace of statement
 * names) it is `manager.query`. For statements of a bounded set of texts: each stays prepared while its
 * connection lives.
 */
export async function preparedQuery<T = Record<string, unknown>>(
  manager: EntityManager,
  text: string,
  params: unknown[],
  /** In pipeline mode, another statement follows this one at once: both leave in one write (see `send`). */
  options: { followed?: boolean } = {},
): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner || !preparing.has(manager.connection)) return (await manager.query(text, params)) as T[];
  let name = statementNames.get(text);
  if (!name) {
    name = `phub_${createHash('sha1').update(text).digest('base64url')}`;
    statementNames.set(text, name);
  }
  const client = (await runner.connect()) as PgClient;
  const issue = () => client.query({ name, text, values: params });
  const result = pipelining.has(manager.connection) ? send(client, issue, options.followed) : issue();
  return (await result).rows as T[];
}

/** Per transaction of `transaction`: statements COMMIT follows without waiting for (see `settledByCommit`). */
const commitTails = new WeakMap<object, Promise<unknown>[]>();

/**
 * For the statement (sent by `statement`) whose answer the transaction does not need before it commits (the last
 * write of a change, such as its outbox rows): inside `transaction` on a real Postgres, COMMIT goes right behind
 * it, in the same write, and the transaction fails with its error if it failed (Postgres then ends the
 * transaction with ROLLBACK instead of committing). Elsewhere it is awaited here. `statement` must send one
 * `preparedQuery` first.
 */
export async function settledByCommit(manager: EntityManager, statement: () => Promise<unknown>): Promise<void> {
  const runner = manager.queryRunner;
  const tails = runner && commitTails.get(runner);
  if (!tails) {
    await statement();
    return;
  }
  // Held in the socket until COMMIT is sent (see `send`).
  heldState((runner as unknown as { databaseConnection: PgClient }).databaseConnection).holdNext = true;
  const sent = statement();
  sent.catch(() => undefined);
  tails.push(sent);
}

/**
 * `dataSource.transaction(work)` for transactions run many times a second. On a real Postgres, in pipeline mode:
 * START TRANSACTION is not a round trip of its own but leaves in one write with the transaction's first statement,
 * and COMMIT with its last when `work` hands that to `settledByCommit`. Same semantics otherwise: COMMIT when
 * `work` resolves, ROLLBACK when it throws, and the statements of `work` run in the transaction (they are queued
 * behind BEGIN on its connection).
 */
export async function transaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (!pipelining.has(dataSource)) return dataSource.transaction(work);
  const runner = dataSource.createQueryRunner();
  const tails: Promise<unknown>[] = [];
  commitTails.set(runner, tails);
  // What TypeORM's startTransaction and commitTransaction record, so that the runner's manager sees a transaction.
  const state = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  try {
    const client = (await runner.connect()) as PgClient;
    // Held until the first statement of `work` is sent.
    const begun = send(client, () => client.query('START TRANSACTION'), true);
    // Its failure fails the statements behind it too; it is awaited (and reported) below.
    begun.catch(() => undefined);
    state.isTransactionActive = true;
    state.transactionDepth = 1;
    try {
      const result = await work(runner.manager);
      await begun;
      const committed = send(client, () => client.query('COMMIT'));
      committed.catch(() => undefined);
      for (const tail of tails) {
        try {
          await tail;
        } catch (err) {
          // It aborted the transaction: Postgres answered the COMMIT behind it with ROLLBACK.
          await committed.catch(() => undefined);
          state.isTransactionActive = false;
          throw err;
        }
      }
      const { command } = await committed;
      state.isTransactionActive = false;
      state.transactionDepth = 0;
      if (command !== 'COMMIT') throw new Error(`The transaction ended with ${command} instead of COMMIT`);
      return result;
    } catch (err) {
      // As TypeORM's own: the error that failed the transaction is the one thrown, whatever the rollback does.
      if (state.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  } finally {
    commitTails.delete(runner);
    state.isTransactionActive = false;
    state.transactionDepth = 0;
    await runner.release();
  }
}

/** Stable 32-bit key for the advisory lock that serialises one schema's migrations. */
function lockKey(schema: string): number {
  let h = 0;
  for (const ch of `phub:migrations:${schema}`) h = (Math.imul(31, h) + ch.charCodeAt(0)) | 0;
  return h;
}

// PGlite serves every connection from one session, where advisory locks are re-entrant and so exclude
// nothing: data sources of this process take turns here before taking the lock.
const migrationTurns = new Map<string, Promise<unknown>>();

async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const turn = (migrationTurns.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
  migrationTurns.set(key, turn);
  try {
    return await turn;
  } finally {
    if (migrationTurns.get(key) === turn) migrationTurns.delete(key);
  }
}

/** Opens the subgraph's data source and runs its committed migrations under an advisory lock. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: `phub-${options.schema}`,
    // Pipeline mode (node-postgres): a statement may be sent before the one ahead of it answered (`transaction`
    // sends BEGIN with the first statement). Only on a real Postgres, as named statements: on embedded PGlite
    // `transaction` is TypeORM's own.
    extra: { max: options.poolSize ?? 10, pipeline: !isEmbeddedUrl(options.url) },
  });
  await dataSource.initialize();
  if (!isEmbeddedUrl(options.url)) pipelining.add(dataSource);
  if (options.preparedStatements !== false && !isEmbeddedUrl(options.url)) preparing.add(dataSource);
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await inTurn(`${options.url}#${options.schema}`, async () => {
      // Several replicas may start at once: only one migrates, the others wait and find nothing to do.
      await runner.query('SELECT pg_advisory_lock($1)', [lockKey(options.schema)]);
      try {
        // Under the lock too: concurrent CREATE SCHEMA IF NOT EXISTS can fail on pg_namespace's unique index.
        await runner.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
        const applied = await dataSource.runMigrations({ transaction: 'each' });
        if (applied.length > 0) {
          options.logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
        }
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [lockKey(options.schema)]);
      }
    });
  } catch (err) {
    await runner.release();
    await dataSource.destroy();
    throw err;
  }
  await runner.release();
  return dataSource;
}

export type { DataSource, EntityManager };

/** Schema-qualified name of one of a subgraph's tables, for raw SQL (`fallback` when the driver names no schema). */
export function qualifiedTable(db: DataSource | EntityManager, table: string, fallback: string): string {
  // By shape: a DataSource has its driver, an EntityManager reaches it through its connection.
  const schema = ('driver' in db ? db.driver : db.connection.driver).schema ?? fallback;
  return `"${schema}"."${table}"`;
}

/** Postgres unique_violation (23505), as pg raises it or as TypeORM wraps it. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | null;
  return e?.code === '23505' || e?.driverError?.code === '23505';
}
