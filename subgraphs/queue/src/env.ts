import { z } from 'zod';
import { optionalString, parseEnv } from '@phub/kit';

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
});
export type QueueEnv = z.infer<typeof queueEnvSchema>;

/** Parses the queue settings from the process environment (every problem at once). */
export function loadQueueEnv(source: NodeJS.ProcessEnv = process.env): QueueEnv {
  return parseEnv(queueEnvSchema, source);
}
