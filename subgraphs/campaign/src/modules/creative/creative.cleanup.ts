import { type Storage } from '@phub/kit';
import type { Clock, Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { CreativeKind, CreativeStatus } from './creative.entity.js';
import { schemaPrefix } from './creative.usage.js';

export interface CreativeCleanupOptions {
  /** An unfinished upload older than this is abandoned (longer than any upload URL lives). */
  olderThanHours: number;
  /** Rows per run; the next run takes the rest. */
  batch?: number;
}

export interface CreativeCleanupResult {
  /** Creatives deleted: uploads never completed, or failed verification. */
  creatives: number;
  /** Variant uploads never completed, dropped from their creatives. */
  variants: number;
  /** Stored objects removed. */
  objects: number;
}

const UPLOADED_KINDS = [CreativeKind.IMAGE, CreativeKind.VIDEO, CreativeKind.HTML];
const UNFINISHED = [CreativeStatus.PENDING_UPLOAD, CreativeStatus.FAILED];

/**
 * Uploads orphaned by a failed create: a creative whose bytes never came (the browser closed, the PUT was refused,
 * completion never called) or failed verification, and variant uploads never completed. Once older than any upload
 * URL lives they cannot complete any more; if nothing names them (a campaign, a revision, an override, a takeover)
 * the row goes, then its stored objects. AEM references and built-ins are never touched (AEM ones wait for the
 * content integration, however long).
 */
export class CreativeCleanup {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: CreativeCleanupOptions,
  ) {}

  async run(signal?: AbortSignal): Promise<CreativeCleanupResult> {
    const result: CreativeCleanupResult = { creatives: 0, variants: 0, objects: 0 };
    const cutoff = new Date(this.clock.now() - this.options.olderThanHours * 3_600_000);
    const s = schemaPrefix(this.dataSource);
    const batch = this.options.batch ?? 200;

    // The row first, guarded by its state, so a completion racing the cleanup keeps its creative; objects after.
    // DELETE … RETURNING answers [rows, count].
    const [rows] = (await this.dataSource.query(
      `DELETE FROM ${s}"creative" c
         WHERE c.id IN (
           SELECT o.id FROM ${s}"creative" o
           WHERE o.status = ANY($1) AND o.kind = ANY($2) AND o.created_at < $3
             AND NOT EXISTS (SELECT 1 FROM ${s}"campaign_creative" cc WHERE cc.creative_id = o.id)
             AND NOT EXISTS (SELECT 1 FROM ${s}"campaign_revision" r WHERE o.id = ANY(r.creative_ids))
             AND NOT EXISTS (SELECT 1 FROM ${s}"display_override" d WHERE d.creative_id = o.id)
             AND NOT EXISTS (SELECT 1 FROM ${s}"store_takeover" t WHERE t.creative_id = o.id)
           ORDER BY o.created_at
           LIMIT $4
           FOR UPDATE SKIP LOCKED
         ) AND c.status = ANY($1)
         RETURNING c.storage_key, c.pending_variants`,
      [UNFINISHED, UPLOADED_KINDS, cutoff, batch],
    )) as [{ storage_key: string | null; pending_variants: Record<string, { key: string }> | null }[], number];
    for (const row of rows) {
      result.creatives += 1;
      const keys = [row.storage_key, ...Object.values(row.pending_variants ?? {}).map((p) => p.key)];
      result.objects += await this.removeAll(keys, signal);
    }

    // Variant uploads left pending on creatives nobody changed since the cutoff.
    const stale: { id: string; pending_variants: Record<string, { key: string }> }[] = await this.dataSource.query(
      `SELECT id, pending_variants FROM ${s}"creative"
       WHERE pending_variants <> '{}'::jsonb AND updated_at < $1 ORDER BY updated_at LIMIT $2`,
      [cutoff, batch],
    );
    for (const row of stale) {
      if (signal?.aborted) break;
      const locales = Object.keys(row.pending_variants);
      // Only the entries seen; a variant upload started meanwhile stays.
      const [, affected] = (await this.dataSource.query(
        `UPDATE ${s}"creative" SET pending_variants = pending_variants - $2::text[]
         WHERE id = $1 AND updated_at < $3`,
        [row.id, locales, cutoff],
      )) as [unknown, number];
      if (!affected) continue;
      result.variants += locales.length;
      result.objects += await this.removeAll(
        Object.values(row.pending_variants).map((p) => p.key),
        signal,
      );
    }
    return result;
  }

  private async removeAll(keys: (string | null | undefined)[], signal?: AbortSignal): Promise<number> {
    let removed = 0;
    for (const key of keys) {
      if (!key || signal?.aborted) continue;
      try {
        await this.storage.remove(key);
        removed += 1;
      } catch (err) {
        // The row is gone: a key left behind is only bytes, and nothing names it any more.
        this.logger.warn({ err, key }, 'could not remove an abandoned upload’s object');
      }
    }
    return removed;
  }
}
