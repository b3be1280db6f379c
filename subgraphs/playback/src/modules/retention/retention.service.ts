import type { Clock, DataSource, Logger } from '@phub/kit';

const DAY_MS = 86_400_000;

export interface RetentionOptions {
  /** Raw plays that started longer ago than this are deleted; rollups stay (reports read only rollups). */
  rawRetentionDays: number;
  /** Rows per DELETE: short transactions that never hold the writer's way for long. */
  batchSize?: number;
}

export interface RetentionResult {
  cutoff: string;
  deleted: number;
  /** False when stopped (the worker draining) before every old play was deleted; the next run goes on. */
  complete: boolean;
}

/** Deletes raw proof-of-play past the retention age, per tenant and in batches. */
export class PlaybackRetention {
  private readonly schema: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: RetentionOptions,
  ) {
    this.schema = `"${dataSource.driver.schema ?? 'playback'}"`;
  }

  async deleteOldPlays(signal?: AbortSignal): Promise<RetentionResult> {
    const cutoff = new Date(this.clock.now() - this.options.rawRetentionDays * DAY_MS);
    const batchSize = this.options.batchSize ?? 5_000;
    const s = this.schema;
    // Tenants by a skip scan of play_tenant_started, so each batch below is an index range, not a table scan.
    const tenants: { tenant_id: string }[] = await this.dataSource.query(
      `WITH RECURSIVE t AS (
         (SELECT "tenant_id" FROM ${s}."play" ORDER BY "tenant_id" LIMIT 1)
         UNION ALL
         SELECT (SELECT p."tenant_id" FROM ${s}."play" p WHERE p."tenant_id" > t."tenant_id" ORDER BY p."tenant_id" LIMIT 1)
         FROM t WHERE t."tenant_id" IS NOT NULL
       )
       SELECT "tenant_id" FROM t WHERE "tenant_id" IS NOT NULL`,
    );
    let deleted = 0;
    for (const { tenant_id: tenantId } of tenants) {
      for (;;) {
        if (signal?.aborted) {
          this.logger.info({ cutoff, deleted }, 'retention stopped early; the next run goes on');
          return { cutoff: cutoff.toISOString(), deleted, complete: false };
        }
        const [{ n }]: [{ n: number }] = await this.dataSource.query(
          `WITH batch AS (
             SELECT "id" FROM ${s}."play" WHERE "tenant_id" = $1 AND "started_at" < $2 LIMIT $3
           ), gone AS (
             DELETE FROM ${s}."play" p USING batch WHERE p."id" = batch."id" RETURNING 1
           )
           SELECT count(*)::int AS n FROM gone`,
          [tenantId, cutoff, batchSize],
        );
        deleted += n;
        if (n < batchSize) break;
      }
    }
    return { cutoff: cutoff.toISOString(), deleted, complete: true };
  }
}
