import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Arg, Ctx, Field, Int, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from './auth/authenticate.js';
import { revokedTokenKey } from './auth/claims.js';
import { Role } from './auth/viewer.js';
import { RedisCache } from './cache.js';
import { ErrorCode } from './errors.js';
import { DEFAULT_QUERY_LIMITS } from './limits.js';
import { GATEWAY_SECRET_HEADER, type SubgraphEdge } from './gateway-trust.js';
import { GraphQLServer, type ContextInput } from './graphql-server.js';
import { ServiceMetrics } from './metrics.js';
import { createMemoryPubSub } from './pubsub.js';
import { buildFederatedSchema } from './schema.js';
import { ManualClock, TEST_REDIS_URL, TestIssuer, waitFor } from './testing/index.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const pubSub = createMemoryPubSub();
/** Objects the resolvers built, so a test can tell a refused query never ran. */
const built = { nodes: 0 };

@ObjectType()
class TreeNode {
  @Field()
  id: string;

  @Field(() => [TreeNode])
  children(@Arg('first', () => Int, { nullable: true }) first?: number): TreeNode[] {
    return makeNodes(first ?? 3);
  }
}

function makeNodes(n: number): TreeNode[] {
  built.nodes += n;
  return Array.from({ length: n }, (_, i) => Object.assign(new TreeNode(), { id: String(i) }));
}

@Resolver()
class TreeResolver {
  @Query(() => [TreeNode])
  nodes(@Arg('first', () => Int, { nullable: true }) first?: number): TreeNode[] {
    return makeNodes(first ?? 3);
  }

  @Query(() => String, { nullable: true })
  viewerId(@Ctx() context: { viewerId: string | null }): string | null {
    return context.viewerId;
  }

  @Subscription(() => String, { topics: 'ticks' })
  ticked(@Root() tick: string): string {
    return tick;
  }
}

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions: Record<string, unknown> & { code: string } }[];
}

async function post(url: string, query: string, headers: Record<string, string> = {}, variables = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

const fromGateway = { [GATEWAY_SECRET_HEADER]: SECRET };
const codes = (body: Body) => (body.errors ?? []).map((e) => e.extensions.code);

describe('GraphQLServer behind the gateway (SubgraphEdge)', () => {
  const clock = new ManualClock();
  const redis = new Redis(TEST_REDIS_URL);
  const cache = new RedisCache(redis, `phub-test-${randomUUID()}:`);
  let issuer: TestIssuer;
  let server: GraphQLServer<{ viewerId: string | null }>;
  let prodServer: GraphQLServer<object>;
  let url: string;
  let base: string;

  const edge = (overrides: Partial<SubgraphEdge> = {}): SubgraphEdge => ({
    gatewaySecret: SECRET,
    limits: DEFAULT_QUERY_LIMITS,
    production: false,
    reverifyMs: 1_000,
    clock,
    ...overrides,
  });

  beforeAll(async () => {
    issuer = await TestIssuer.create({ cache });
    const schema = await buildFederatedSchema({ resolvers: [TreeResolver], pubSub, orphanedTypes: [TreeNode] });
    server = new GraphQLServer({
      name: 'edge-test',
      schema,
      logger: pino({ level: 'silent' }),
      metrics: new ServiceMetrics('kit_edge_test'),
      context: async (input: ContextInput) => ({
        viewerId: (await authenticate(input, issuer.verifier))?.subject ?? null,
      }),
      edge: edge(),
    });
    // As the auth service reads the client address for its per-address limits.
    server.http.app.get('/whoami', (req, res) => void res.json({ ip: req.ip }));
    await server.start(0, '127.0.0.1');
    url = server.url;
    base = url.replace(/\/graphql$/, '');
    prodServer = new GraphQLServer({
      name: 'edge-prod-test',
      schema,
      logger: pino({ level: 'silent' }),
      metrics: new ServiceMetrics('kit_edge_prod_test'),
      context: () => ({}),
      edge: edge({ production: true }),
    });
    await prodServer.start(0, '127.0.0.1');
  });

  afterAll(async () => {
    await server?.stop();
    await prodServer?.stop();
    redis.disconnect();
  });

  describe('the gateway secret', () => {
    it.each<{ case: string; headers: Record<string, string> }>([
      { case: 'no secret', headers: {} },
      { case: 'a wrong secret', headers: { [GATEWAY_SECRET_HEADER]: `${SECRET}x` } },
    ])('refuses a GraphQL request with $case (403 FORBIDDEN)', async ({ headers }) => {
      const res = await post(url, '{ nodes { id } }', headers);
      expect(res.status).toBe(403);
      expect(codes(res.body)).toEqual([ErrorCode.FORBIDDEN]);
    });

    it('answers a request that carries it', async () => {
      const res = await post(url, '{ nodes(first: 2) { id } }', fromGateway);
      expect(res.body).toEqual({ data: { nodes: [{ id: '0' }, { id: '1' }] } });
    });

    it('keeps /healthz and /readyz open without it', async () => {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
    });

    it('refuses a WebSocket upgrade without it', async () => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      socket.on('error', () => undefined); // the refusal itself, asserted below
      const status = await new Promise<number | undefined>((resolve) => {
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode));
        socket.on('open', () => resolve(undefined));
      });
      socket.terminate();
      expect(status).toBe(403);
    });
  });

  describe('X-Forwarded-For', () => {
    it('is believed only with the gateway secret', async () => {
      const spoofed = { 'x-forwarded-for': '198.51.100.7' };
      const direct = (await (await fetch(`${base}/whoami`, { headers: spoofed })).json()) as { ip: string };
      expect(direct.ip).toBe('127.0.0.1');
      // The gateway sends one address: the client it saw; whatever came before it is not ours.
      const viaGateway = (await (
        await fetch(`${base}/whoami`, { headers: { ...fromGateway, 'x-forwarded-for': '1.2.3.4, 203.0.113.9' } })
      ).json()) as { ip: string };
      expect(viaGateway.ip).toBe('203.0.113.9');
    });
  });

  describe('query limits, the same as the gateway', () => {
    const nested = (depth: number) =>
      `{ nodes(first: 1) { ${'children(first: 1) { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: nodes(first: 1) { id }`).join(' ')} }`;
    const tokens = (n: number) => `{ nodes(first: 1) { ${'id '.repeat(n)}} }`;

    it.each([
      { case: 'depth 12 passes', query: nested(12) },
      { case: 'depth 13 is QUERY_TOO_DEEP', query: nested(13), code: ErrorCode.QUERY_TOO_DEEP },
      { case: '30 aliases pass', query: aliases(30) },
      { case: '31 aliases are TOO_MANY_ALIASES', query: aliases(31), code: ErrorCode.TOO_MANY_ALIASES },
      { case: '2001 tokens are TOO_MANY_TOKENS', query: tokens(1995), code: ErrorCode.TOO_MANY_TOKENS },
      {
        case: 'nested pages of 100 are QUERY_TOO_COSTLY',
        query: '{ nodes(first: 100) { children(first: 100) { children(first: 100) { id } } } }',
        code: ErrorCode.QUERY_TOO_COSTLY,
      },
    ])('$case, straight to the subgraph port', async ({ query, code }) => {
      const res = await post(url, query, fromGateway);
      if (!code) {
        expect(res.body.errors).toBeUndefined();
        return;
      }
      expect(res.status).toBe(400);
      expect(codes(res.body)).toEqual([code]);
    });

    it('sizes lists from variables and refuses before any resolver runs', async () => {
      const before = built.nodes;
      const query = 'query Q($n: Int) { nodes(first: $n) { children(first: $n) { children(first: $n) { id } } } }';
      const res = await post(url, query, fromGateway, { n: 50 });
      expect(codes(res.body)).toEqual([ErrorCode.QUERY_TOO_COSTLY]);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ cost: 50 * (1 + 50 * (1 + 50)), maxCost: 20_000 });
      expect(built.nodes).toBe(before);
      const small = await post(url, query, fromGateway, { n: 5 });
      expect(small.body.errors).toBeUndefined();
    });

    it('applies them to graphql-ws operations too', async () => {
      const client = createClient({
        url,
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers: fromGateway });
          }
        },
        retryAttempts: 0,
      });
      try {
        const error = await new Promise<unknown>((resolve) => {
          client.subscribe(
            { query: '{ nodes(first: 100) { children(first: 100) { children(first: 100) { id } } } }' },
            { next: () => undefined, error: resolve, complete: () => resolve(undefined) },
          );
        });
        expect((error as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe(ErrorCode.QUERY_TOO_COSTLY);
      } finally {
        await client.dispose();
      }
    });
  });

  describe('in production', () => {
    it('answers no introspection and suggests no field names', async () => {
      const prodUrl = prodServer.url;
      const introspection = await post(prodUrl, '{ __schema { types { name } } }', fromGateway);
      expect(introspection.body.data ?? undefined).toBeUndefined();
      expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
      const typo = await post(prodUrl, '{ node { id } }', fromGateway);
      expect(typo.body.errors?.[0]?.message).toBe('Cannot query field "node" on type "Query".');
    });
  });

  describe('a subscription socket', () => {
    it('is closed with 4401 once its token is revoked, at the next re-verification', async () => {
      const tokenId = randomUUID();
      const token = await issuer.token({ tid: 't1', roles: [Role.HQ_ADMIN], jti: tokenId });
      const closed: { code?: number; reason?: string }[] = [];
      const events: string[] = [];
      const client = createClient({
        url,
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers: fromGateway });
          }
        },
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        on: { closed: (event) => void closed.push(event as { code: number; reason: string }) },
      });
      client.subscribe(
        { query: 'subscription { ticked }' },
        { next: (r) => void events.push(String(r.data?.ticked)), error: () => undefined, complete: () => undefined },
      );
      try {
        await waitFor(async () => {
          await pubSub.publish('ticks', 'before');
          return events.includes('before');
        });
        clock.advance(1_000); // still valid: re-verified, kept open
        await pubSub.publish('ticks', 'still');
        await waitFor(() => events.includes('still'));
        await cache.set(revokedTokenKey(tokenId), true, 600);
        clock.advance(1_000);
        const event = await waitFor(() => closed[0], { timeoutMs: 3_000, message: 'the socket to close' });
        expect(event).toMatchObject({ code: 4401, reason: 'Access token has been revoked' });
      } finally {
        await client.dispose();
      }
    });
  });
});
