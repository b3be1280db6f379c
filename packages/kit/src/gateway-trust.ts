import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from './clock.js';
import { optionalString, parseEnv, sharedEnvSchema } from './env.js';
import { queryLimitsEnvSchema, queryLimitsFromEnv, type QueryLimits } from './limits.js';

/** The header the gateway puts on every subgraph request (HTTP and graphql-ws upgrades). */
export const GATEWAY_SECRET_HEADER = 'x-phub-gateway-secret';

/** Long enough that guessing is hopeless; `openssl rand -hex 32` makes one. */
export const MIN_GATEWAY_SECRET_LENGTH = 32;

/** A fresh secret for a process that holds the gateway and its subgraphs (`--target=all`). */
export function generateGatewaySecret(): string {
  return randomBytes(32).toString('hex');
}

/** Constant-time comparison: digests first, so neither the length nor a prefix leaks. */
export function gatewaySecretMatches(expected: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/** How a subgraph server guards its GraphQL endpoint: who may call it, and what it refuses. */
export interface SubgraphEdge {
  /** Required on `/graphql` (HTTP and WebSocket) when set; the binary always sets it. */
  gatewaySecret?: string;
  limits: QueryLimits;
  /** No introspection, no field suggestions. */
  production: boolean;
  /** How often a live subscription socket's token is verified again (revocation, expiry). */
  reverifyMs: number;
  clock?: Clock;
}

export const subgraphEdgeEnvSchema = queryLimitsEnvSchema.extend({
  NODE_ENV: sharedEnvSchema.shape.NODE_ENV,
  SUBGRAPH_SHARED_SECRET: optionalString.pipe(
    z.string().min(MIN_GATEWAY_SECRET_LENGTH, `must be at least ${MIN_GATEWAY_SECRET_LENGTH} characters`).optional(),
  ),
  SUBSCRIPTION_REVERIFY_MS: z.coerce.number().int().positive().default(30_000),
});

export function subgraphEdgeFromEnv(source: NodeJS.ProcessEnv = process.env): SubgraphEdge {
  const env = parseEnv(subgraphEdgeEnvSchema, source);
  return {
    gatewaySecret: env.SUBGRAPH_SHARED_SECRET,
    limits: queryLimitsFromEnv(env),
    production: env.NODE_ENV === 'production',
    reverifyMs: env.SUBSCRIPTION_REVERIFY_MS,
  };
}

// Subgraph services build their GraphQLServer themselves; the binary decides their edge once per process.
let processEdge: SubgraphEdge | undefined;

/**
 * Sets the edge every GraphQLServer built from now on in this process uses (the binary calls it
 * before starting subgraphs, with the secret it shares with its gateway). `undefined` goes back
 * to reading the environment.
 */
export function configureSubgraphEdge(edge: SubgraphEdge | undefined): void {
  processEdge = edge;
}

/** What a GraphQLServer built now, without an explicit edge, applies. */
export function currentSubgraphEdge(): SubgraphEdge {
  return processEdge ?? subgraphEdgeFromEnv(process.env);
}

/**
 * The client address as proxy-addr (express's `req.ip`) works it out: from the socket, then
 * leftwards through `X-Forwarded-For` while each hop is trusted. For WebSocket upgrades,
 * which express does not see.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trust: (address: string, hop: number) => boolean,
): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const forwarded = header
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
    .reverse();
  const chain = [socketAddress ?? '', ...forwarded];
  let hop = 0;
  while (hop < chain.length - 1 && trust(chain[hop]!, hop)) hop++;
  return chain[hop]!;
}

/** The address the gateway put last on `X-Forwarded-For` (it sends exactly one: the client it saw). */
export function gatewayForwardedAddress(forwardedFor: string | string[] | undefined): string | undefined {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const last = header
    ?.split(',')
    .map((a) => a.trim())
    .filter(Boolean)
    .pop();
  return last || undefined;
}
