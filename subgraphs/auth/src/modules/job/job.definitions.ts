import { defineJob, type JobDefinition } from '@phub/kit';

export const AUTH_MAINTENANCE_JOB = 'auth.maintenance';

/**
 * Auth's upkeep, hourly: signing-key rotation when due (the rotation interval is days, so an hour's lag is
 * nothing), re-wrapping data keys after a master-key rotation, and purging ended sessions, pairing codes and
 * expired revocations. Every step is idempotent and takes its own locks, so a retried run is harmless.
 */
export function authMaintenanceJob(run: () => Promise<object>): JobDefinition {
  return defineJob({
    name: AUTH_MAINTENANCE_JOB,
    schedule: { cron: '13 * * * *', timeZone: 'UTC' },
    singleton: true,
    retry: { limit: 3, delaySeconds: 60, backoff: true },
    timeoutSeconds: 600,
    run: async ({ logger }) => {
      logger.info(await run(), 'auth maintenance done');
    },
  });
}
