import { z } from 'zod';
import { port, sharedEnvSchema } from '@phub/kit';

/** What the binary itself reads; each service parses its own settings too. */
export const platformEnvSchema = sharedEnvSchema.extend({
  HOST: z.string().default('0.0.0.0'),
  /** The gateway's port; also the port of a single subgraph when it runs alone. */
  PORT: port(4000),
  AUTH_PORT: port(4001),
  LOCATION_PORT: port(4002),
  CAMPAIGN_PORT: port(4003),
  PLAYBACK_PORT: port(4004),
  QUEUE_PORT: port(4005),
  /** Attempts of a failing bus handler before its message goes to the dead letters. */
  BUS_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  /** Wait after a handler's first failure; doubles per further failure, up to 5 s. */
  BUS_RETRY_DELAY_MS: z.coerce.number().int().min(0).default(200),
  /** Where subgraphs fetch the auth service's JWKS when auth runs in another process. */
  AUTH_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
});
export type PlatformEnv = z.infer<typeof platformEnvSchema>;
