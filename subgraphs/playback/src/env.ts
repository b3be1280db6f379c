import { z } from 'zod';
import { optionalString, parseEnv } from '@phub/kit';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Settings of the playback subgraph; shared ones (database, Redis, Kafka) come from the kit. */
export const playbackEnvSchema = z.object({
  /** A display without a heartbeat for this long is OFFLINE (seconds). */
  PLAYBACK_OFFLINE_AFTER_SECONDS: positiveInt(90),
  /** A remote command (reload, identify, screenshot…) not answered within this long is EXPIRED: the display will not act on it (seconds). */
  PLAYBACK_COMMAND_TTL_SECONDS: positiveInt(300),
  /** How long a display may report another playlist version than the resolved one (seconds). */
  PLAYBACK_VERSION_GRACE_SECONDS: positiveInt(120),
  /** An online display that owes plays (store open, playlist not empty) and reported none for this long shows STALE_CONTENT (minutes). */
  PLAYBACK_STALE_AFTER_MINUTES: positiveInt(30),
  /** How often the worker's health sweep (`playback.health-sweep`) runs (seconds). */
  PLAYBACK_EVALUATE_EVERY_SECONDS: positiveInt(15),
  /** Most events one recordPlayback call or POST /ingest may carry. */
  PLAYBACK_MAX_BATCH: positiveInt(1000),
  /** Plays and heartbeats older than this are refused at ingest (days); backfills must fit in it. */
  PLAYBACK_MAX_EVENT_AGE_DAYS: positiveInt(400),
  /** Raw plays older than this are deleted by the nightly retention job (days); rollups stay, so reports keep them. */
  PLAYBACK_RAW_RETENTION_DAYS: positiveInt(400),
  /** The nightly `playback.rollup-repair` rebuilds report rollups of this many past days (and today) from raw plays. */
  PLAYBACK_ROLLUP_REPAIR_DAYS: positiveInt(3),
  /** Longest range a report may cover (days). */
  PLAYBACK_REPORT_MAX_DAYS: positiveInt(400),
  /** Alert notifications go to this SNS topic when set; otherwise they land in the sent_message table. */
  SNS_TOPIC_ARN: optionalString,
  SNS_REGION: optionalString,
  SNS_ENDPOINT: optionalString,
  /** KMS key that seals the key encrypting webhook secrets; without it, the master key file under DATA_DIR. */
  KMS_KEY_ID: optionalString,
  /** Attempts at a playback (alert) webhook delivery before it is FAILED. */
  PLAYBACK_WEBHOOK_MAX_ATTEMPTS: positiveInt(8),
  /** First retry after this many seconds, doubled after each further failure… */
  PLAYBACK_WEBHOOK_RETRY_BASE_SECONDS: positiveInt(30),
  /** …up to this many. */
  PLAYBACK_WEBHOOK_RETRY_MAX_SECONDS: positiveInt(3600),
  /** How long an endpoint has to answer a delivery (ms). */
  PLAYBACK_WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  /** Lets webhook URLs be http:// and on loopback or private networks: development and tests only. */
  PLAYBACK_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export type PlaybackEnv = z.infer<typeof playbackEnvSchema>;

/** Parses the playback settings from the process environment (every problem at once). */
export function loadPlaybackEnv(source: NodeJS.ProcessEnv = process.env): PlaybackEnv {
  return parseEnv(playbackEnvSchema, source);
}
