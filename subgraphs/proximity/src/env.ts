import { z } from 'zod';
import { optionalString, parseEnv } from '@phub/kit';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Settings of the proximity subgraph; shared ones (database, Redis, Kafka) come from the kit. */
export const proximityEnvSchema = z.object({
  /** How long a zone enter keeps its presence moment alive (seconds); later enters extend it. */
  PROXIMITY_MOMENT_SECONDS: positiveInt(120),
  /**
   * An enter into a zone whose moment is live re-emits it only when that moves its expiry by at least this much
   * (seconds): a busy zone refreshes its store's displays every few seconds, not per event.
   */
  PROXIMITY_MOMENT_REFRESH_SECONDS: positiveInt(15),
  /** A device with no exit for this long no longer counts as present in its zone (Mist may miss exits). */
  PROXIMITY_PRESENCE_MAX_MINUTES: positiveInt(240),
  /** Most events one webhook message may carry; a larger message is refused whole (413). */
  PROXIMITY_MAX_EVENTS_PER_MESSAGE: positiveInt(1000),
  /** Raw Mist events are deleted this many days after they were received (hourly footfall and dwell are kept). */
  PROXIMITY_EVENT_RETENTION_DAYS: positiveInt(90),
  /** Longest date range one proximity report may cover (days). */
  PROXIMITY_REPORT_MAX_DAYS: positiveInt(92),
  /** KMS key that seals the webhook secrets and MAC-hash keys; without it, the master key file under DATA_DIR. */
  KMS_KEY_ID: optionalString,
});
export type ProximityEnv = z.infer<typeof proximityEnvSchema>;

/** Parses the proximity settings from the process environment (every problem at once). */
export function loadProximityEnv(source: NodeJS.ProcessEnv = process.env): ProximityEnv {
  return parseEnv(proximityEnvSchema, source);
}
