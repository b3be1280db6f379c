import { defineJob, type JobDefinition } from '@phub/kit';
import type { RollupRepair } from './report.repair.js';

export const PLAYBACK_ROLLUP_REPAIR_JOB = 'playback.rollup-repair';

/** Nightly, after retention: the recent days' report rollups rebuilt from raw plays. */
export function playbackRollupRepairJob(repair: RollupRepair): JobDefinition {
  return defineJob({
    name: PLAYBACK_ROLLUP_REPAIR_JOB,
    schedule: { cron: '47 3 * * *', timeZone: 'UTC' },
    singleton: true,
    retry: { limit: 3, delaySeconds: 300, backoff: true },
    timeoutSeconds: 3_600,
    run: async ({ signal, logger }) => {
      logger.info(await repair.repairRecent(signal), 'report rollups of recent days rebuilt');
    },
  });
}
