import { ManualClock } from '@phub/kit/testing';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayService } from '../index.js';
import {
  buildProductsSchema,
  codes,
  composePublicSupergraph,
  composeSupergraph,
  metricValue,
  postGraphQL,
  startGateway,
  SupergraphFixture,
  TestSubgraph,
  TestTokens,
} from '../testing/index.js';
import { RedisRateLimitStore, type RateLimitPolicy } from './rate-limiter.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PRODUCTS = '{ products { id name } }';
const LIMITS = {
  PARTNER_RATE_LIMIT_REQUESTS: '3',
  PARTNER_RATE_LIMIT_WINDOW_SECONDS: '60',
  PARTNER_COST_LIMIT: '1000',
  PARTNER_COST_WINDOW_SECONDS: '3600',
};
const POLICY: RateLimitPolicy = {
  requests: { limit: 3, windowSeconds: 60 },
  cost: { limit: 1000, windowSeconds: 3600 },
};

describe(`${GatewayService.name} partner rate limits`, () => {
  let products: TestSubgraph;
  let file: SupergraphFixture;
  let tokens: TestTokens;
  let gateway: GatewayService;
  let redis: Redis;
  const clock = new ManualClock(1_700_000_000_000);
  const started: GatewayService[] = [];

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    file = await SupergraphFixture.create(
      await composeSupergraph([{ subgraph: products }]),
      await composePublicSupergraph([{ subgraph: products }]),
    );
    tokens = await TestTokens.create();
    redis = new Redis(REDIS_URL);
    gateway = await startGateway(file.path, LIMITS, {
      verifier: tokens.verifier,
      clock,
      rateLimitStore: new RedisRateLimitStore(redis, POLICY, `test:${randomUUID()}:`),
    });
    started.push(gateway);
  });
  afterAll(async () => {
    await Promise.all(started.map((g) => g.stop()));
    await products?.stop();
    await file?.remove();
    await redis?.quit();
  });

  const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  it('answers RateLimit-* headers, then 429 with Retry-After and RATE_LIMITED once the bucket is empty', async () => {
    const token = await tokens.signPartner(`client-${randomUUID()}`);
    for (let i = 0; i < 3; i++) {
      const res = await postGraphQL(gateway.url, PRODUCTS, as(token));
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.headers.get('ratelimit-limit')).toBe('3');
      expect(res.headers.get('ratelimit-remaining')).toBe(String(2 - i));
      expect(res.headers.get('ratelimit-policy')).toBe('3;w=60;comment="requests", 1000;w=3600;comment="cost"');
    }
    const limitedBefore = await metricValue(gateway.url, 'phub_gateway_partner_requests_total', { outcome: 'limited' });
    const refused = await postGraphQL(gateway.url, PRODUCTS, as(token));
    expect(refused.status).toBe(429);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.body.data).toBeUndefined();
    // 3 per 60 s: a token every 20 s.
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(refused.body.errors![0]!.extensions!.retryAfterSeconds).toBe(20);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(await metricValue(gateway.url, 'phub_gateway_partner_requests_total', { outcome: 'limited' })).toBe(
      limitedBefore + 1,
    );

    clock.advance(20_000);
    const again = await postGraphQL(gateway.url, PRODUCTS, as(token));
    expect(again.status, JSON.stringify([again.body, [...again.headers]])).toBe(200);
  });

  it('keeps clients apart, and never limits first-party tokens', async () => {
    const a = await tokens.signPartner(`client-${randomUUID()}`);
    const b = await tokens.signPartner(`client-${randomUUID()}`);
    for (let i = 0; i < 3; i++) await postGraphQL(gateway.url, PRODUCTS, as(a));
    expect((await postGraphQL(gateway.url, PRODUCTS, as(a))).status).toBe(429);
    expect((await postGraphQL(gateway.url, PRODUCTS, as(b))).status).toBe(200);
    const user = await tokens.sign();
    for (let i = 0; i < 5; i++) {
      const res = await postGraphQL(gateway.url, PRODUCTS, as(user));
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
  });

  it('counts a document that does not validate as a request, and its error in the usage metric', async () => {
    const token = await tokens.signPartner(`client-${randomUUID()}`);
    const errorsBefore = await metricValue(gateway.url, 'phub_gateway_partner_requests_total', { outcome: 'error' });
    for (let i = 0; i < 3; i++) {
      const res = await postGraphQL(gateway.url, '{ products { sku } }', as(token));
      expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
    expect(await metricValue(gateway.url, 'phub_gateway_partner_requests_total', { outcome: 'error' })).toBe(
      errorsBefore + 3,
    );
    expect((await postGraphQL(gateway.url, PRODUCTS, as(token))).status).toBe(429);
  });

  it('spends the estimated cost of each operation from the client quota', async () => {
    const costBefore = await metricValue(gateway.url, 'phub_gateway_partner_query_cost_total');
    const token = await tokens.signPartner(`client-${randomUUID()}`);
    const res = await postGraphQL(gateway.url, '{ products { id related { id } } }', as(token));
    expect(res.status).toBe(200);
    // A list of 10 (DEFAULT_LIST_SIZE) products, each with a list of 10 related ones: 10 × (1 + 10).
    expect(await metricValue(gateway.url, 'phub_gateway_partner_query_cost_total')).toBe(costBefore + 110);
  });

  it('fails open while Redis is unreachable: requests pass, and the failure is counted', async () => {
    const down = await startGateway(
      file.path,
      { ...LIMITS, REDIS_URL: 'redis://127.0.0.1:1', RATE_LIMIT_TIMEOUT_MS: '200' },
      { verifier: tokens.verifier, clock },
    );
    started.push(down);
    const token = await tokens.signPartner(`client-${randomUUID()}`);
    for (let i = 0; i < 5; i++) {
      const res = await postGraphQL(down.url, PRODUCTS, as(token));
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-limit')).toBeNull();
    }
    expect(await metricValue(down.url, 'phub_gateway_rate_limit_store_failures_total')).toBe(5);
  });
});
