import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InflightQueries } from './dedup.js';
import type { GatewayService } from './index.js';
import {
  buildProductsSchema,
  buildReviewsSchema,
  composeSupergraph,
  metricValue,
  postGraphQL,
  startGateway,
  SupergraphFixture,
  TestSubgraph,
} from './testing/index.js';

const FETCHES = 'phub_gateway_subgraph_fetch_duration_seconds_count';
const DEDUPLICATED = 'phub_gateway_inflight_deduplicated_requests_total';
const SHARED_FETCHES = 'phub_gateway_subgraph_fetches_shared_total';
/** One fetch to products that takes a while and says which authorization it ran with. */
const SLOW_ECHO = 'query Echo($ms: Int!) { slowProducts(ms: $ms) requestHeaders { authorization } }';

describe('inbound in-flight deduplication', () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;
  let gateway: GatewayService;
  let plain: GatewayService;

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    file = await SupergraphFixture.create(await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]));
    [gateway, plain] = await Promise.all([
      startGateway(file.path),
      startGateway(file.path, { DEDUPLICATE_INFLIGHT_QUERIES: 'false' }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), plain?.stop()]);
    await Promise.all([products?.stop(), reviews?.stop()]);
    await file?.remove();
  });

  const echo = (url: string, token: string, ms = 400) =>
    postGraphQL(url, SLOW_ECHO, { headers: { authorization: `Bearer ${token}` }, variables: { ms } });

  it('runs identical queries in flight once per authorization, and never gives one viewer another’s answer', async () => {
    const fetchesBefore = await metricValue(gateway.url, FETCHES, { subgraph: 'products' });
    const sharedBefore = await metricValue(gateway.url, DEDUPLICATED);
    const answers = await Promise.all(
      ['alice', 'bob'].flatMap((token) =>
        Array.from({ length: 5 }, () => echo(gateway.url, token).then((r) => [token, r] as const)),
      ),
    );
    for (const [token, res] of answers) {
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: { slowProducts: 'done', requestHeaders: { authorization: `Bearer ${token}` } },
      });
    }
    expect(await metricValue(gateway.url, FETCHES, { subgraph: 'products' }), 'one fetch per token').toBe(
      fetchesBefore + 2,
    );
    expect(await metricValue(gateway.url, DEDUPLICATED)).toBe(sharedBefore + 8);
  });

  it('sends every sharer the answer exactly as an unshared request gets it: bytes, type, length and ETag', async () => {
    const send = (url: string) =>
      fetch(`${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer gina' },
        body: JSON.stringify({ query: SLOW_ECHO, variables: { ms: 300 } }),
      }).then(async (r) => ({
        body: await r.text(),
        type: r.headers.get('content-type'),
        length: r.headers.get('content-length'),
        etag: r.headers.get('etag'),
      }));
    const sharedBefore = await metricValue(gateway.url, DEDUPLICATED);
    const [alone, ...shared] = await Promise.all([
      send(plain.url),
      send(gateway.url),
      send(gateway.url),
      send(gateway.url),
    ]);
    expect(await metricValue(gateway.url, DEDUPLICATED)).toBe(sharedBefore + 2);
    expect(alone!.etag).toMatch(/^W\/"/);
    expect(alone!.type).toMatch(/^application\/json/);
    for (const answer of shared) expect(answer).toEqual(alone);
  });

  it('shares identical subgraph fetches of different requests in flight, per token', async () => {
    const fetchesBefore = await metricValue(gateway.url, FETCHES, { subgraph: 'products' });
    const sharedBefore = await metricValue(gateway.url, SHARED_FETCHES, { subgraph: 'products' });
    // `n` differs, so the requests are not the same; the subgraph fetch (which needs only `ms`) is.
    const answers = await Promise.all(
      ['erin', 'frank'].flatMap((token) =>
        [0, 1, 2].map(async (n) => {
          const res = await postGraphQL(gateway.url, SLOW_ECHO, {
            headers: { authorization: `Bearer ${token}` },
            variables: { ms: 400, n },
          });
          return [token, res] as const;
        }),
      ),
    );
    for (const [token, res] of answers) {
      expect(res.body.data).toEqual({ slowProducts: 'done', requestHeaders: { authorization: `Bearer ${token}` } });
    }
    expect(await metricValue(gateway.url, FETCHES, { subgraph: 'products' })).toBe(fetchesBefore + 2);
    expect(await metricValue(gateway.url, SHARED_FETCHES, { subgraph: 'products' })).toBe(sharedBefore + 4);
  });

  it('shares nothing once the answer is sent (no cache), nor between different variables', async () => {
    const before = await metricValue(gateway.url, FETCHES, { subgraph: 'products' });
    await echo(gateway.url, 'carol', 10);
    await echo(gateway.url, 'carol', 10);
    await Promise.all([echo(gateway.url, 'carol', 200), echo(gateway.url, 'carol', 201)]);
    expect(await metricValue(gateway.url, FETCHES, { subgraph: 'products' })).toBe(before + 4);
  });

  it('can be turned off: every request runs on its own', async () => {
    const before = await metricValue(plain.url, FETCHES, { subgraph: 'products' });
    await Promise.all(Array.from({ length: 3 }, () => echo(plain.url, 'dave', 200)));
    expect(await metricValue(plain.url, FETCHES, { subgraph: 'products' })).toBe(before + 3);
  });
});

describe(InflightQueries.name, () => {
  const request = (over: { method?: string; body?: unknown; headers?: Record<string, string>; ip?: string }): Request =>
    ({
      method: over.method ?? 'POST',
      body: over.body ?? { query: '{ a }' },
      ip: over.ip ?? '10.0.0.1',
      header: (name: string) => over.headers?.[name.toLowerCase()],
    }) as unknown as Request;
  const queries = new InflightQueries();

  it('keys only queries sent by POST with their text', () => {
    expect(queries.keyOf(request({}))).toEqual(expect.any(String));
    expect(queries.keyOf(request({ method: 'GET' }))).toBeNull();
    expect(queries.keyOf(request({ body: { query: 'mutation { a }' } }))).toBeNull();
    expect(queries.keyOf(request({ body: { query: 'subscription { a }' } }))).toBeNull();
    expect(queries.keyOf(request({ body: { extensions: { persistedQuery: { sha256Hash: 'x' } } } }))).toBeNull();
    expect(queries.keyOf(request({ body: { query: '{ a' } }))).toBeNull(); // Apollo answers the syntax error
    expect(queries.keyOf(request({ headers: { accept: 'multipart/mixed; deferSpec=20220824' } }))).toBeNull();
    // Several operations: the named one decides; without a name the request is Apollo's to refuse.
    const both = 'query Q { a } mutation M { b }';
    expect(queries.keyOf(request({ body: { query: both, operationName: 'Q' } }))).toEqual(expect.any(String));
    expect(queries.keyOf(request({ body: { query: both, operationName: 'M' } }))).toBeNull();
    expect(queries.keyOf(request({ body: { query: both } }))).toBeNull();
  });

  it('keys by everything the answer depends on: token, client address, variables, operation and media type', () => {
    const base = queries.keyOf(request({ headers: { authorization: 'Bearer a' } }));
    expect(queries.keyOf(request({ headers: { authorization: 'Bearer a' } }))).toBe(base);
    for (const other of [
      request({ headers: { authorization: 'Bearer b' } }),
      request({ headers: { authorization: 'Bearer a' }, ip: '10.0.0.2' }),
      request({ headers: { authorization: 'Bearer a', accept: 'application/graphql-response+json' } }),
      request({ headers: { authorization: 'Bearer a' }, body: { query: '{ a }', variables: { x: 1 } } }),
      request({ headers: { authorization: 'Bearer a' }, body: { query: '{ a }', extensions: { x: 1 } } }),
      request({ headers: { authorization: 'Bearer a' }, body: { query: 'query Q { a }' } }),
    ]) {
      expect(queries.keyOf(other)).not.toBe(base);
    }
  });
});
