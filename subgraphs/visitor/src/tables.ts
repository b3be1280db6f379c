import { qualifiedTable } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';

export { isUniqueViolation } from '@phub/kit';

/** Schema-qualified name of one of this subgraph's tables, for raw SQL. */
export const tableName = (db: DataSource | EntityManager, table: string): string =>
  qualifiedTable(db, table, 'visitor');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);
