import { z } from 'zod';
import { optionalString, parseEnv, storageEnvSchema } from '@phub/kit';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Settings of the campaign subgraph (with its creative storage); shared ones come from the kit. */
export const campaignEnvSchema = storageEnvSchema.extend({
  /** Longest a resolved playlist stays cached when it has no known boundary (seconds). */
  CAMPAIGN_PLAYLIST_CACHE_SECONDS: positiveInt(3600),
  /** Longest range `playlistPreview` accepts (days). */
  CAMPAIGN_PREVIEW_MAX_DAYS: positiveInt(31),
  /** Longest an emergency override may run (hours). */
  CAMPAIGN_OVERRIDE_MAX_HOURS: positiveInt(168),
  /** Duration of an image or HTML creative uploaded without one (ms). */
  CAMPAIGN_DEFAULT_IMAGE_DURATION_MS: positiveInt(10_000),
  /**
   * A creative upload not completed after this many hours (and used nowhere) is deleted with its bytes by the
   * worker's `campaign.creative-cleanup` job; never less than the upload URL's life.
   */
  CAMPAIGN_ORPHAN_UPLOAD_HOURS: positiveInt(24),
  /** KMS key that seals the key encrypting webhook secrets; without it, the master key file under DATA_DIR. */
  KMS_KEY_ID: optionalString,
  /** Attempts at a campaign webhook delivery before it is FAILED. */
  CAMPAIGN_WEBHOOK_MAX_ATTEMPTS: positiveInt(8),
  /** First retry after this many seconds, doubled after each further failure… */
  CAMPAIGN_WEBHOOK_RETRY_BASE_SECONDS: positiveInt(30),
  /** …up to this many. */
  CAMPAIGN_WEBHOOK_RETRY_MAX_SECONDS: positiveInt(3600),
  /** How long an endpoint has to answer a delivery (ms). */
  CAMPAIGN_WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  /** Lets webhook URLs be http:// and on loopback or private networks: development and tests only. */
  CAMPAIGN_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export type CampaignEnv = z.infer<typeof campaignEnvSchema>;

/** Parses the campaign settings from the process environment (every problem at once). */
export function loadCampaignEnv(source: NodeJS.ProcessEnv = process.env): CampaignEnv {
  return parseEnv(campaignEnvSchema, source);
}
