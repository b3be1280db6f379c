import type { DataSource, EntityManager } from 'typeorm';

/** Schema-qualified name of one of this subgraph's tables, for raw SQL. */
export function tableName(db: DataSource | EntityManager, table: string): string {
  const schema = ('driver' in db ? db.driver : db.connection.driver).schema ?? 'queue';
  return `"${schema}"."${table}"`;
}

/** Postgres unique_violation. */
export function isUniqueViolation(err: unknown): boolean {
  return (
    (err as { code?: string; driverError?: { code?: string } })?.driverError?.code === '23505' ||
    (err as { code?: string })?.code === '23505'
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

const selectLists = new WeakMap<object, Map<string, string>>();

/**
 * An entity's columns as a raw SELECT list under their property names (prefixed by `as`), read as TypeORM reads
 * them (`date` and `bigint` as text): for hot statements that lock and read rows in one round trip.
 */
export function columnsOf(db: DataSource | EntityManager, entity: new () => object, alias: string, as = ''): string {
  const metadata = ('driver' in db ? db : db.connection).getMetadata(entity);
  let lists = selectLists.get(metadata);
  if (!lists) selectLists.set(metadata, (lists = new Map()));
  const key = `${alias}\u0000${as}`;
  let list = lists.get(key);
  if (list === undefined) {
    list = metadata.columns
      .map((c) => {
        const text = c.type === 'date' || c.type === 'bigint' ? '::text' : '';
        return `"${alias}"."${c.databaseName}"${text} AS "${as}${c.propertyName}"`;
      })
      .join(', ');
    lists.set(key, list);
  }
  return list;
}

/** A row read with `columnsOf` as the entity (its properties prefixed by `as` in the row). */
export function asEntity<T>(entity: new () => T, row: Record<string, unknown>, as = ''): T {
  const value = new entity() as Record<string, unknown>;
  if (!as) return Object.assign(value, row) as T;
  for (const k in row) if (k.startsWith(as)) value[k.slice(as.length)] = row[k];
  return value as T;
}

/**
 * A one-row INSERT of the entity's insertable columns with its values as $1… (TypeORM's insert builder costs more
 * than the statement on a hot path). `wrap` turns a column's placeholder into an expression, e.g. `$5::text || …`.
 * For entities whose values `pg` writes as they are (no transformers, JSON or arrays).
 */
export function insertOf<T extends object>(
  db: DataSource | EntityManager,
  entity: new () => T,
  row: T,
  wrap: Partial<Record<keyof T & string, (placeholder: string) => string>> = {},
): { sql: string; params: unknown[] } {
  const metadata = ('driver' in db ? db : db.connection).getMetadata(entity);
  const columns = metadata.columns.filter((c) => c.isInsert);
  const params = columns.map((c) => (row as Record<string, unknown>)[c.propertyName] ?? null);
  const values = columns.map((c, i) => wrap[c.propertyName as keyof T & string]?.(`$${i + 1}`) ?? `$${i + 1}`);
  const names = columns.map((c) => `"${c.databaseName}"`).join(', ');
  return { sql: `INSERT INTO ${tableName(db, metadata.tableName)} (${names}) VALUES (${values.join(', ')})`, params };
}
