import type { DataSource, EntityManager } from 'typeorm';

/** Schema-qualified name of one of this subgraph's tables, for raw SQL. */
export function tableName(db: DataSource | EntityManager, table: string): string {
  const schema = ('driver' in db ? db.driver : db.connection.driver).schema ?? 'visitor';
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
