import { z } from 'zod';
import { parseEnv, port } from '@phub/kit';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Settings of the campaign subgraph; shared ones (database, Redis, Kafka) come from the kit. */
export const campaignEnvSchema = z.object({
  CAMPAIGN_PORT: port(4003),
  /** Longest a resolved playlist stays cached when it has no known boundary (seconds). */
  CAMPAIGN_PLAYLIST_CACHE_SECONDS: positiveInt(3600),
  /** Longest range `playlistPreview` accepts (days). */
  CAMPAIGN_PREVIEW_MAX_DAYS: positiveInt(31),
  /** Longest an emergency override may run (hours). */
  CAMPAIGN_OVERRIDE_MAX_HOURS: positiveInt(168),
});
export type CampaignEnv = z.infer<typeof campaignEnvSchema>;

/** Parses the campaign settings from the process environment (every problem at once). */
export function loadCampaignEnv(source: NodeJS.ProcessEnv = process.env): CampaignEnv {
  return parseEnv(campaignEnvSchema, source);
}
