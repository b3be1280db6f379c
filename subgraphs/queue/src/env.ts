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
  /** Service time assumed for a line before it has served anyone (minutes). */
  QUEUE_DEFAULT_SERVICE_MINUTES: positiveInt(5),
  /** Longest date range one queue report may cover (days); see modules/report/README.md for what it costs. */
  QUEUE_REPORT_MAX_DAYS: positiveInt(92),
});
export type QueueEnv = z.infer<typeof queueEnvSchema>;

/** Parses the queue settings from the process environment (every problem at once). */
export function loadQueueEnv(source: NodeJS.ProcessEnv = process.env): QueueEnv {
  return parseEnv(queueEnvSchema, source);
}
