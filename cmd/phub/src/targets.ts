import { buildAuthSchema } from '@phub/auth';
import { buildCampaignSchema } from '@phub/campaign';
import { buildLocationSchema } from '@phub/location';
import { buildPlaybackSchema } from '@phub/playback';
import { buildQueueSchema } from '@phub/queue';
import type { GraphQLSchema } from 'graphql';

/**
 * Every subgraph of the platform. Adding one means an entry here (for
 * `pnpm compose`) and its wiring in platform.ts.
 */
export interface SubgraphEntry {
  name: string;
  /** Default port in the all-in-one process and the URL written to the supergraph. */
  defaultPort: number;
  buildSchema: () => Promise<GraphQLSchema>;
}

export const SUBGRAPHS: SubgraphEntry[] = [
  { name: 'auth', defaultPort: 4001, buildSchema: () => buildAuthSchema() },
  { name: 'location', defaultPort: 4002, buildSchema: () => buildLocationSchema() },
  { name: 'campaign', defaultPort: 4003, buildSchema: () => buildCampaignSchema() },
  { name: 'playback', defaultPort: 4004, buildSchema: () => buildPlaybackSchema() },
  { name: 'queue', defaultPort: 4005, buildSchema: () => buildQueueSchema() },
];

export const TARGETS = ['gateway', ...SUBGRAPHS.map((s) => s.name)] as const;
