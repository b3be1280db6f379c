import type { DataSource } from 'typeorm';

/** Schema-qualified name of one of this subgraph's tables, for raw SQL. */
export function tableName(dataSource: DataSource, table: string): string {
  return `"${dataSource.driver.schema ?? 'playback'}"."${table}"`;
}
