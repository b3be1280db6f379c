import { ApolloGateway } from '@apollo/gateway';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { planningEngineOf } from './gateway-service.js';
import { GraphPlanner, type PlanningEngine } from './subscriptions/graph-planner.js';

const SUPERGRAPH = join(fileURLToPath(new URL('.', import.meta.url)), '../../schema/supergraph.graphql');

describe(planningEngineOf.name, () => {
  it("gives subscriptions @apollo/gateway's own planner and schemas of the supergraph it loaded, which plan them", async () => {
    process.env.APOLLO_TELEMETRY_DISABLED ??= 'true'; // as GatewayService sets it: no call to Apollo
    const coreSupergraphSdl = readFileSync(SUPERGRAPH, 'utf8');
    const gateway = new ApolloGateway({ supergraphSdl: coreSupergraphSdl });
    let engine: PlanningEngine | undefined;
    let apiSchema: GraphQLSchema | undefined;
    gateway.onSchemaLoadOrUpdate((update) => {
      engine = planningEngineOf(gateway);
      apiSchema = update.apiSchema;
    });
    await gateway.load();
    try {
      // Not a second copy: the very objects the gateway plans queries with (a private field of @apollo/gateway 2.14;
      // an upgrade that renames it fails here, not silently with twice the memory).
      expect(engine?.planner).toBe((gateway as unknown as { queryPlanner: unknown }).queryPlanner);
      const graph = new GraphPlanner({
        coreSupergraphSdl,
        engine,
        apiSchema: apiSchema!,
        subgraphUrl: (_name, url) => url,
        validationRules: [],
        parseOptions: {},
        cost: { maxCost: 1_000_000, defaultListSize: 10 },
        version: 1,
      });
      const prepared = graph.prepare({
        query: 'subscription ($id: ID!) { playlistChanged(displayId: $id) { version } }',
        variables: { id: 'd1' },
      });
      expect(prepared.ok && prepared.operation.plan?.subgraph).toBe('campaign');
    } finally {
      await gateway.stop();
    }
  });
});
