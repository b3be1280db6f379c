import { defineJob, type JobDefinition } from '@phub/kit';
import type { AppointmentService } from './appointment.service.js';

export const QUEUE_NO_SHOW_SWEEP_JOB = 'queue.no-show-sweep';
export const QUEUE_APPOINTMENT_REMINDERS_JOB = 'queue.appointment-reminders';

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

/**
 * Queues the REMINDER SMS of appointments starting within `leadMinutes` (QUEUE_REMINDER_LEAD_MINUTES), every
 * minute on one worker; `sent` wakes the SMS job so they go at once rather than at its next
 * minute. Once per appointment and slot whoever runs it, however often (AppointmentService.sendReminders).
 */
export function queueAppointmentRemindersJob(
  appointments: () => Promise<AppointmentService>,
  leadMinutes: number,
  sent: () => void,
): JobDefinition {
  return defineJob({
    name: QUEUE_APPOINTMENT_REMINDERS_JOB,
    schedule: { cron: '* * * * *', timeZone: 'UTC' },
    singleton: true,
    retry: { limit: 3, delaySeconds: 5, backoff: true },
    timeoutSeconds: 300,
    run: async ({ logger }) => {
      const queued = await (await appointments()).sendReminders(leadMinutes * 60_000);
      if (!queued) return;
      logger.info({ queued }, 'appointment reminders queued');
      sent();
    },
  });
}
