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

/** A pg client as far as `preparedQuery` uses it. */
interface NamedQueryClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
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
): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner || !preparing.has(manager.connection)) return (await manager.query(text, params)) as T[];
  let name = statementNames.get(text);
  if (!name) {
    name = `phub_${createHash('sha1').update(text).digest('base64url')}`;
    statementNames.set(text, name);
  }
  const client = (await runner.connect()) as NamedQueryClient;
  return (await client.query({ name, text, values: params })).rows as T[];
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
    extra: { max: options.poolSize ?? 10 },
  });
  await dataSource.initialize();
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
