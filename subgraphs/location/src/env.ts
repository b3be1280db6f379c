import { z } from 'zod';
import { port } from '@phub/kit';

/** Settings of the location subgraph; shared ones (database, Redis, Kafka) come from the kit. */
export const locationEnvSchema = z.object({
  LOCATION_PORT: port(4002),
});
export type LocationEnv = z.infer<typeof locationEnvSchema>;
