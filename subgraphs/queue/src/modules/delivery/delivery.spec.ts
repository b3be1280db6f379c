import { createLogger, JobRunner, verifyWebhook } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queue } from '../../index.js';
import { STORE_1, startQueue, type QueueHarness } from '../../testing/harness.js';
import { WebhookReceiver } from '../../testing/webhook-receiver.js';
import { QUEUE_SMS_JOB, QUEUE_WEBHOOKS_JOB } from './delivery.job.js';
import { QUEUE_APPOINTMENT_REMINDERS_JOB, QUEUE_NO_SHOW_SWEEP_JOB } from '../appointment/appointment.job.js';

const SETTINGS = { QUEUE_WEBHOOK_ALLOW_PRIVATE: 'true' };
let h: QueueHarness;
let receiver: WebhookReceiver;
let runner: JobRunner;
let close: () => Promise<void>;

beforeAll(async () => {
  h = await startQueue(SETTINGS);
  receiver = await WebhookReceiver.start();
  const logger = createLogger('queue-worker-test', 'silent');
  // The queue's jobs as the worker target declares and runs them, with pg-boss on the same Postgres.
  const opened = await queue.jobSource({ clock: h.clock, envelope: h.envelope }).open({
    infra: h.infra,
    logger,
    source: SETTINGS,
    // The queue's jobs enqueue nothing themselves (the subgraph nudges them through pg-boss's own tables).
    send: () => Promise.reject(new Error('the queue jobs do not send jobs')),
  });
  close = opened.close;
  runner = new JobRunner({ url: h.database.url, logger, jobs: opened.jobs, pollIntervalSeconds: 0.5, drainSeconds: 1 });
  await runner.start();
});
afterAll(async () => {
  await runner?.stop();
  await close?.();
  await receiver?.stop();
  await h?.stop();
});

describe('the worker’s queue jobs', () => {
  it('are declared as minutely singletons, and a ticket change wakes them at once instead of at the next minute', async () => {
    expect(runner.jobs.map((j) => [j.name, j.schedule?.cron, j.singleton])).toEqual([
      [QUEUE_SMS_JOB, '* * * * *', true],
      [QUEUE_NO_SHOW_SWEEP_JOB, '* * * * *', true],
      [QUEUE_APPOINTMENT_REMINDERS_JOB, '* * * * *', true],
      // The kit's, from `webhooks:` in the queue's declaration.
      [QUEUE_WEBHOOKS_JOB, '* * * * *', true],
    ]);
    const hook = (
      await h.as<{ createQueueWebhookEndpoint: { secret: string } }>(
        'hqAdmin',
        `mutation($i: CreateQueueWebhookEndpointInput!) { createQueueWebhookEndpoint(input: $i) { secret } }`,
        { i: { url: receiver.url('/worker'), events: ['CALLED'] } },
      )
    ).createQueueWebhookEndpoint;
    const line = await h.createLine(STORE_1);
    await h.addTicket(line, { visitorPhone: '+447700900444', smsConsent: true });
    const started = Date.now();
    await h.as('staff', `mutation($l: ID!) { callNext(lineId: $l) { id } }`, { l: line });
    await waitFor(
      async () => (await h.count('sms_message', `status = 'SENT'`)) === 1 && receiver.at('/worker').length === 1,
      {
        timeoutMs: 20_000,
        message: 'the SMS and the webhook to go',
      },
    );
    // The nudge made a run: more runs of the job than the schedule asked for since the call (its cron goes
    // through pg-boss's send-it queue first), whether or not a minute turned meanwhile.
    const since = new Date(started - 1_000);
    const [{ runs }] = (
      await h.db.query(`SELECT count(*)::int AS runs FROM jobs.job WHERE name = $1 AND created_on >= $2`, [
        QUEUE_SMS_JOB,
        since,
      ])
    ).rows as [{ runs: number }];
    const [{ crons }] = (
      await h.db.query(
        `SELECT count(*)::int AS crons FROM jobs.job WHERE name = '__pgboss__send-it' AND singleton_key = $1 AND created_on >= $2`,
        [QUEUE_SMS_JOB, since],
      )
    ).rows as [{ crons: number }];
    expect(runs).toBeGreaterThan(crons);
    const [delivered] = receiver.at('/worker');
    expect(
      verifyWebhook(
        hook.secret,
        delivered!.body,
        delivered!.headers['phub-signature'] as string,
        Math.floor(h.clock.now() / 1000),
      ),
    ).toBe(true);
    expect(await h.count('sms_message', `status = 'SENT' AND transport = 'OUTBOX' AND kind = 'CALLED'`)).toBe(1);
  });
});
