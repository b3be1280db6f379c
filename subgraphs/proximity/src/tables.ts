import type { DataSource, EntityManager } from 'typeorm';

/** A table of this subgraph's schema, quoted for raw SQL. */
export function tableName(db: DataSource | EntityManager, table: string): string {
  const schema = ('driver' in db ? db.driver : db.connection.driver).schema ?? 'proximity';
  return `"${schema}"."${table}"`;
}
