import { defineJob, type JobDefinition } from '@phub/kit';
import type { AemCreativeService } from './creative.service.js';

export const CONTENT_SYNC_JOB = 'content.sync';

/**
 * Follows AEM: every `everySeconds`, on one worker, the AEM creatives checked longest ago are read again with
 * If-None-Match (ETags); changed content becomes a new version, which campaign turns into playlistChanged.
 * Each run first moves a batch of copies still kept in Postgres into the object storage (none once moved).
 */
export function contentSyncJob(creatives: AemCreativeService, everySeconds: number, batch: number): JobDefinition {
  return defineJob({
    name: CONTENT_SYNC_JOB,
    schedule: { cron: '* * * * *', timeZone: 'UTC' },
    singleton: true,
    repeatSeconds: everySeconds,
    timeoutSeconds: 600,
    run: async ({ logger, signal }) => {
      await creatives.moveLegacyCopies(batch);
      const counts = { copied: 0, unchanged: 0, failed: 0 };
      for (const binding of await creatives.due(batch)) {
        if (signal.aborted) break;
        counts[await creatives.refresh(binding)] += 1;
      }
      if (counts.copied || counts.failed) logger.info(counts, 'AEM creatives synced');
    },
  });
}
