// Plain @apollo/gateway as apollo.process.ts runs it (ApolloServer, ApolloGateway on the supergraph, standalone HTTP
// server, nothing else), in plain JavaScript: lean.ts measures its memory, and a TypeScript loader in the process
// (SWC) would be counted as the gateway's. Listens on PORT; no IPC.
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';
import process from 'node:process';

const supergraphSdl = readFileSync(process.env.BENCH_SUPERGRAPH_PATH, 'utf8');
const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
await startStandaloneServer(server, { listen: { port: Number(process.env.PORT), host: '127.0.0.1' } });
