// Plain @apollo/gateway: an ApolloServer with an ApolloGateway on the supergraph and nothing else (no auth, limits,
// dedup or metrics), served by Apollo Server's standalone HTTP server, as the public benchmark runs it.
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';
import { serve, statsHandlers } from '../subscriptions/ipc.js';

const supergraphSdl = readFileSync(process.env.BENCH_SUPERGRAPH_PATH!, 'utf8');
const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });

serve({ info: () => ({ url }), ...statsHandlers });
