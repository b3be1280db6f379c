import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'graphql';
import { it } from 'vitest';
import { buildCampaignSchema } from './index.js';

it('composes', async () => {
  const require = createRequire('/work/main/cmd/phub/package.json');
  const { composeServices } = require('@apollo/composition');
  const { printSubgraphSchema } = require('@apollo/subgraph');
  const sdl = printSubgraphSchema(await buildCampaignSchema());
  writeFileSync('/tmp/compose/campaign.graphql', sdl);
  const services = ['auth', 'location'].map((name) => ({ name, typeDefs: parse(readFileSync(`/work/main/schema/${name}.graphql`, 'utf8')), url: `http://x/${name}` }));
  services.push({ name: 'campaign', typeDefs: parse(sdl), url: 'http://x/campaign' });
  const result = composeServices(services);
  console.error(result.errors ? result.errors.map((e: Error) => e.message).join('\n') : 'COMPOSED OK');
  if (!result.errors) writeFileSync('/tmp/compose/supergraph.graphql', result.supergraphSdl);
});
