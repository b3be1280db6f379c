import { defineJob, type JobDefinition } from '@phub/kit';
import { SYSTEM_ACTOR } from '../../scope.js';
import type { ProfileService } from '../profile/profile.service.js';

export const VISITOR_RETENTION_JOB = 'visitor.retention';

/**
 * Daily on one worker: profiles not seen for `retentionDays` (VISITOR_RETENTION_DAYS) are crypto-shredded as an
 * erasure would (audited as EXPIRE by `visitor.retention`). Idempotent: an erased profile is never touched again.
 */
export function visitorRetentionJob(
  profiles: () => Promise<ProfileService>,
  retentionDays: number,
  now: () => Date,
): JobDefinition {
  return defineJob({
    name: VISITOR_RETENTION_JOB,
    schedule: { cron: '29 3 * * *', timeZone: 'UTC' },
    singleton: true,
    retry: { limit: 3, delaySeconds: 60, backoff: true },
    timeoutSeconds: 3600,
    run: async ({ logger }) => {
      const before = new Date(now().getTime() - retentionDays * 86_400_000);
      const expired = await (await profiles()).expireInactive(before, SYSTEM_ACTOR);
      if (expired) logger.info({ expired }, 'inactive visitor profiles erased');
    },
  });
}
