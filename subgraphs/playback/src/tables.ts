import type { DataSource } from 'typeorm';

/** Schema-qualified name of one of this subgraph's tables, for raw SQL. */
export function tableName(dataSource: DataSource, table: string): string {
  return `"${dataSource.driver.schema ?? 'playback'}"."${table}"`;
}

/** Stands for "no campaign" (display overrides) in rollup keys, which cannot be NULL; reports show null. */
export const NO_CAMPAIGN = '00000000-0000-0000-0000-000000000000';
