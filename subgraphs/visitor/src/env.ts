import { z } from 'zod';
import { optionalString, parseEnv } from '@phub/kit';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Settings of the visitor subgraph; shared ones (database, Redis, Kafka) come from the kit. */
export const visitorEnvSchema = z.object({
  /** KMS key that wraps the visitor data keys (per tenant and per profile); without it, DATA_DIR's master key file. */
  KMS_KEY_ID: optionalString,
  /** How long a check-in's `presence.moment.v1` lasts (seconds): campaigns play the visitor's segments this long. */
  VISITOR_MOMENT_SECONDS: positiveInt(120),
  /** Profiles not seen (check-in, import, consent) for this many days are crypto-shredded by `visitor.retention`. */
  VISITOR_RETENTION_DAYS: positiveInt(730),
  /** What store staff see at check-in: the check-ins of the last this many minutes. */
  VISITOR_CHECKIN_WINDOW_MINUTES: positiveInt(240),
  /** Attempts at a visitor webhook delivery before it is FAILED. */
  VISITOR_WEBHOOK_MAX_ATTEMPTS: positiveInt(8),
  /** First retry after this many seconds, doubled after each further failure… */
  VISITOR_WEBHOOK_RETRY_BASE_SECONDS: positiveInt(30),
  /** …up to this many. */
  VISITOR_WEBHOOK_RETRY_MAX_SECONDS: positiveInt(3600),
  /** How long an endpoint has to answer a delivery (ms). */
  VISITOR_WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  /** Lets webhook URLs be http:// and on loopback or private networks: development and tests only. */
  VISITOR_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export type VisitorEnv = z.infer<typeof visitorEnvSchema>;

/** Parses the visitor settings from the process environment (every problem at once). */
export function loadVisitorEnv(source: NodeJS.ProcessEnv = process.env): VisitorEnv {
  return parseEnv(visitorEnvSchema, source);
}
