import { defineJob, type JobDefinition } from '@phub/kit';
import type { PlaybackRetention } from './retention.service.js';

export const PLAYBACK_RETENTION_JOB = 'playback.retention';

/**
 * Playback's retention job: nightly, one run at a time across replicas, retried with backoff when the
 * database is away. Stopping mid-way loses nothing: what is left is deleted by the next run.
 */
export function playbackRetentionJob(retention: PlaybackRetention): JobDefinition {
  return defineJob({
    name: PLAYBACK_RETENTION_JOB,
    // Off the hour, when most schedules fire; UTC, as a play's age does not depend on a store's day.
    schedule: { cron: '17 3 * * *', timeZone: 'UTC' },
    singleton: true,
    retry: { limit: 5, delaySeconds: 60, backoff: true },
    timeoutSeconds: 3_600,
    run: async ({ signal, logger }) => {
      const result = await retention.deleteOldPlays(signal);
      logger.info(result, 'raw plays past retention deleted');
    },
  });
}
