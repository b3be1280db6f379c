import { defineJob, type JobDefinition } from '@phub/kit';
import type { CreativeCleanup } from './creative.cleanup.js';

export const CREATIVE_CLEANUP_JOB = 'campaign.creative-cleanup';

/** Hourly, on one worker: uploads orphaned by a failed create are deleted with their stored bytes. */
export function creativeCleanupJob(cleanup: CreativeCleanup): JobDefinition {
  return defineJob({
    name: CREATIVE_CLEANUP_JOB,
    schedule: { cron: '41 * * * *', timeZone: 'UTC' },
    singleton: true,
    retry: { limit: 3, delaySeconds: 60, backoff: true },
    timeoutSeconds: 600,
    run: async ({ signal, logger }) => {
      const result = await cleanup.run(signal);
      if (result.creatives || result.variants) logger.info(result, 'abandoned creative uploads removed');
    },
  });
}
