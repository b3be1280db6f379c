import { defineJob, type JobDefinition } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { tableName } from './tables.js';

export const PROXIMITY_RETENTION_JOB = 'proximity.retention';

// Rows deleted per statement: short transactions beside the webhook's inserts.
const BATCH = 10_000;

/**
 * Daily on one worker: raw Mist events received more than `retentionDays` ago (PROXIMITY_EVENT_RETENTION_DAYS) are
 * deleted, and so are presence rows of devices that entered that long ago without an exit. The hourly footfall and
 * dwell (`zone_hour`) are kept: reports do not change. Mist does not replay, so an event that old is not expected
 * again; if it came, it would be stored and counted as new. Returns how many events went.
 */
export async function purgeProximityEvents(dataSource: DataSource, before: Date): Promise<number> {
  const events = tableName(dataSource, 'proximity_event');
  let total = 0;
  for (;;) {
    const [{ n }] = (await dataSource.query(
      // As a CTE: TypeORM answers a bare DELETE with [rows, count], a SELECT with the rows.
      `WITH gone AS (
         DELETE FROM ${events} WHERE "id" IN (SELECT "id" FROM ${events} WHERE "received_at" < $1 LIMIT ${BATCH})
         RETURNING 1
       )
       SELECT count(*)::int AS "n" FROM gone`,
      [before],
    )) as [{ n: number }];
    total += n;
    if (n < BATCH) break;
  }
  await dataSource.query(`DELETE FROM ${tableName(dataSource, 'zone_presence')} WHERE "entered_at" < $1`, [before]);
  return total;
}

export function proximityRetentionJob(dataSource: DataSource, retentionDays: number, now: () => Date): JobDefinition {
  return defineJob({
    name: PROXIMITY_RETENTION_JOB,
    schedule: { cron: '41 3 * * *', timeZone: 'UTC' },
    singleton: true,
    retry: { limit: 3, delaySeconds: 60, backoff: true },
    timeoutSeconds: 3600,
    run: async ({ logger }) => {
      const purged = await purgeProximityEvents(dataSource, new Date(now().getTime() - retentionDays * 86_400_000));
      if (purged) logger.info({ purged }, 'raw proximity events past their retention deleted');
    },
  });
}
