import { defineJob, type JobDefinition } from '@phub/kit';
import type { SmsService } from '../sms/sms.service.js';

export const QUEUE_SMS_JOB = 'queue.sms';
/** The kit's delivery job of the queue's webhooks (`webhooks:` in the queue's defineSubgraph). */
export const QUEUE_WEBHOOKS_JOB = 'queue.webhooks';

/**
 * Sends the due SMS: every minute, and at once when a ticket change nudges it. One run at a time across
 * replicas; each message's retries and backoff live on its row, so a run that stops half-way loses nothing.
 */
export function queueSmsJob(sms: () => Promise<SmsService>): JobDefinition {
  return defineJob({
    name: QUEUE_SMS_JOB,
    schedule: { cron: '* * * * *', timeZone: 'UTC' },
    singleton: true,
    // The run itself is retried only when the database is away; SNS failures are each message's own.
    retry: { limit: 3, delaySeconds: 5, backoff: true },
    timeoutSeconds: 300,
    run: async ({ signal, logger }) => {
      const result = await (await sms()).dispatchDue(signal);
      if (result.sent + result.failed + result.retrying + result.cancelled) logger.info(result, 'SMS dispatched');
    },
  });
}
