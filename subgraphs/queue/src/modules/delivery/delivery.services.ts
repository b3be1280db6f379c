import type { Clock, Logger, WebhookHub } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { QueueEnv } from '../../env.js';
import type { PersonalData } from '../../personal-data.js';
import { SmsService } from '../sms/sms.service.js';
import { OutboxSmsTransport, type SmsTransport, SnsSmsTransport } from '../sms/sms.transport.js';
import { WebhookService } from '../webhook/webhook.service.js';

/** SNS when QUEUE_SNS_REGION is set, else the outbox table only. */
export function smsTransportFrom(env: QueueEnv): SmsTransport {
  if (!env.QUEUE_SNS_REGION) return new OutboxSmsTransport();
  return new SnsSmsTransport({
    region: env.QUEUE_SNS_REGION,
    ...(env.QUEUE_SNS_ENDPOINT ? { endpoint: env.QUEUE_SNS_ENDPOINT } : {}),
    ...(env.QUEUE_SMS_SENDER_ID ? { senderId: env.QUEUE_SMS_SENDER_ID } : {}),
  });
}

/** The SMS and webhook services on the queue's data source, as the subgraph and the worker both build them. */
export function createDeliveryServices(
  dataSource: DataSource,
  clock: Clock,
  personal: PersonalData,
  env: QueueEnv,
  logger: Logger,
  hub: WebhookHub,
  transport: SmsTransport = smsTransportFrom(env),
) {
  const retry = { retryBaseMs: env.QUEUE_RETRY_BASE_SECONDS * 1000, retryCapMs: env.QUEUE_RETRY_MAX_SECONDS * 1000 };
  return {
    sms: new SmsService(
      dataSource,
      clock,
      personal,
      transport,
      {
        ...retry,
        maxAttempts: env.QUEUE_SMS_MAX_ATTEMPTS,
        leaseMs: 5 * 60_000,
        reminderLeadMs: env.QUEUE_REMINDER_LEAD_MINUTES * 60_000,
      },
      logger,
    ),
    webhooks: new WebhookService(hub),
  };
}
