import { z } from 'zod';
import { optionalString, optionalUrl, parseEnv } from '@phub/kit';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Settings of the queue subgraph; shared ones (database, Redis, Kafka) come from the kit. */
export const queueEnvSchema = z.object({
  /** Tickets one phone number may hold waiting or called on one line at once (remote joins). */
  QUEUE_MAX_ACTIVE_PER_PHONE: positiveInt(1),
  /** Remote joins one phone number may make on one line per store-local day. */
  QUEUE_MAX_JOINS_PER_PHONE_PER_DAY: positiveInt(5),
  /** Waiting tickets a line takes from remote joins when the line sets no capacity of its own. */
  QUEUE_DEFAULT_LINE_CAPACITY: positiveInt(200),
  /** How long a remote visitor's ticket link works after the ticket was issued (hours). */
  QUEUE_TOKEN_TTL_HOURS: positiveInt(24),
  /** KMS key that seals the key encrypting visitors' personal data; without it, the master key file under DATA_DIR. */
  KMS_KEY_ID: optionalString,
  /** A checked-in appointment's place in its line: this many minutes before its slot starts. */
  QUEUE_APPOINTMENT_PRIORITY_MINUTES: z.coerce.number().int().min(0).max(240).default(10),
  /** Check-in for an appointment opens this many minutes before its slot. */
  QUEUE_CHECKIN_EARLY_MINUTES: positiveInt(30),
  /** Check-in stays open this many minutes after the slot started; then the appointment is a no-show. */
  QUEUE_APPOINTMENT_GRACE_MINUTES: positiveInt(15),
  /** Appointments can be booked this many days ahead. */
  QUEUE_BOOKING_DAYS_AHEAD: positiveInt(60),
  /** Upcoming appointments one phone number may book on one line by link. */
  QUEUE_MAX_APPOINTMENTS_PER_PHONE: positiveInt(2),
  /** Wrong check-in codes one kiosk or client address may try per window… */
  QUEUE_CHECKIN_MAX_WRONG_CODES: positiveInt(10),
  /** …of this many minutes. */
  QUEUE_CHECKIN_WINDOW_MINUTES: positiveInt(15),
  /** How often the no-show sweep marks missed appointments (seconds). */
  QUEUE_NO_SHOW_SWEEP_SECONDS: positiveInt(60),
  /** Service time assumed for a line before it has served anyone (minutes). */
  QUEUE_DEFAULT_SERVICE_MINUTES: positiveInt(5),
  /** AWS region of SNS for visitors' SMS; without it SMS are only kept in the outbox table (`smsMessages`). */
  QUEUE_SNS_REGION: optionalString,
  /** Another SNS endpoint than AWS's (an SNS-compatible local service). */
  QUEUE_SNS_ENDPOINT: optionalUrl,
  /** Alphanumeric sender id shown on the SMS where the country allows it (1–11 letters or digits). */
  QUEUE_SMS_SENDER_ID: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, '1 to 11 letters or digits, at least one letter')
      .optional(),
  ),
  /** Attempts at an SMS before it is FAILED. */
  QUEUE_SMS_MAX_ATTEMPTS: positiveInt(5),
  /** Attempts at a webhook delivery before it is FAILED. */
  QUEUE_WEBHOOK_MAX_ATTEMPTS: positiveInt(8),
  /** First retry after this many seconds, doubled after each further failure… */
  QUEUE_RETRY_BASE_SECONDS: positiveInt(30),
  /** …up to this many. */
  QUEUE_RETRY_MAX_SECONDS: positiveInt(3600),
  /** How long an endpoint has to answer a delivery (ms). */
  QUEUE_WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  /** Lets webhook URLs be http:// and on loopback or private networks: development and tests only. */
  QUEUE_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Appointment reminders go this long before the appointment (minutes): the worker's
   * `queue.appointment-reminders` job queues the SMS of appointments starting within it.
   */
  QUEUE_REMINDER_LEAD_MINUTES: positiveInt(60),
  /** Longest date range one queue report may cover (days); see modules/report/README.md for what it costs. */
  QUEUE_REPORT_MAX_DAYS: positiveInt(92),
});
export type QueueEnv = z.infer<typeof queueEnvSchema>;

/** Parses the queue settings from the process environment (every problem at once). */
export function loadQueueEnv(source: NodeJS.ProcessEnv = process.env): QueueEnv {
  return parseEnv(queueEnvSchema, source);
}
