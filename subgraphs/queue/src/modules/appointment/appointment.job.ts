import { defineJob, type JobDefinition } from '@phub/kit';
import type { AppointmentService } from './appointment.service.js';

export const QUEUE_NO_SHOW_SWEEP_JOB = 'queue.no-show-sweep';

/**
 * Appointments not checked in by the end of their grace time become NO_SHOW: a chain every `everySeconds` on one
 * worker, restarted by the minute's cron if a worker died between two runs (as playback's health sweep).
 */
export function queueNoShowSweepJob(
  appointments: () => Promise<AppointmentService>,
  everySeconds: number,
): JobDefinition {
  return defineJob({
    name: QUEUE_NO_SHOW_SWEEP_JOB,
    schedule: { cron: '* * * * *', timeZone: 'UTC' },
    singleton: true,
    repeatSeconds: everySeconds,
    timeoutSeconds: 300,
    run: async ({ logger }) => {
      const missed = await (await appointments()).markMissed();
      if (missed) logger.info({ missed }, 'appointments marked NO_SHOW');
    },
  });
}
