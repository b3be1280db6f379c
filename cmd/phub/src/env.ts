import { z } from 'zod';
import { port, sharedEnvSchema } from '@phub/kit/edge';
import { MODULES } from './targets.js';

/** What the binary itself reads; each service parses its own settings too. */
export const platformEnvSchema = sharedEnvSchema.extend({
  HOST: z.string().default('0.0.0.0'),
  /** Attempts of a failing bus handler before its message goes to the dead letters. */
  BUS_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  /** Wait after a handler's first failure; doubles per further failure, up to 5 s. */
  BUS_RETRY_DELAY_MS: z.coerce.number().int().min(0).default(200),
  /** Where subgraphs fetch the auth service's JWKS when auth runs in another process. */
  AUTH_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
});
export type PlatformEnv = z.infer<typeof platformEnvSchema>;

/** Each module's port (PORT for the gateway, AUTH_PORT, LOCATION_PORT, …), declared once in the registry. */
export const portsEnvSchema = z.object(
  Object.fromEntries(MODULES.map((m) => [m.port.variable, port(m.port.default)])) as Record<
    string,
    ReturnType<typeof port>
  >,
);
