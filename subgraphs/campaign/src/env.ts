import { z } from 'zod';
import { parseEnv } from '@phub/kit';
import { storageEnvSchema } from './storage/index.js';

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
});
export type CampaignEnv = z.infer<typeof campaignEnvSchema>;

/** Parses the campaign settings from the process environment (every problem at once). */
export function loadCampaignEnv(source: NodeJS.ProcessEnv = process.env): CampaignEnv {
  return parseEnv(campaignEnvSchema, source);
}
