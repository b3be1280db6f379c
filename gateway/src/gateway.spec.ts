import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayErrorCode, GatewayService } from './index.js';
import {
  buildProductsSchema,
  buildReviewsSchema,
  codes,
  composeSupergraph,
  metricLines,
  POLL,
  postGraphQL,
  startGateway,
  SupergraphFixture,
  TestSubgraph,
} from './testing/index.js';

const SPANNING = 'query Catalogue { products { id name reviews { body stars } } }';
const FETCH_COUNT = 'phub_gateway_subgraph_fetch_duration_seconds_count';
const CATALOGUE = {
  products: [
    { id: 'p1', name: 'Poster', reviews: [{ body: 'Bright', stars: 5 }] },
    { id: 'p2', name: 'Screen', reviews: [{ body: 'Too small', stars: 2 }] },
  ],
};

describe(GatewayService.name, () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;
  let gateway: GatewayService;
  const base = () => gateway.url.replace(/\/graphql$/, '');

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    file = await SupergraphFixture.create(await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]));
    gateway = await startGateway(file.path, { SUBGRAPH_TIMEOUT_MS: '1000', DEFAULT_LIST_SIZE: '2' });
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([products?.stop(), reviews?.stop()]);
    await file?.remove();
  });

  it('answers a query that spans both subgraphs', async () => {
    const res = await postGraphQL(gateway.url, SPANNING);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: CATALOGUE });
  });

  it('forwards authorization and x-request-id to the subgraphs', async () => {
    const res = await postGraphQL(gateway.url, '{ requestHeaders { authorization requestId } }', {
      headers: { authorization: 'Bearer token-1', 'x-request-id': 'req-42' },
    });
    expect(res.body.data).toEqual({ requestHeaders: { authorization: 'Bearer token-1', requestId: 'req-42' } });
    expect(res.headers.get('x-request-id')).toBe('req-42');
  });

  it('sends its own request id when the client sends none', async () => {
    const res = await postGraphQL(gateway.url, '{ requestHeaders { authorization requestId } }');
    const echoed = res.body.data?.requestHeaders as { authorization: string | null; requestId: string };
    expect(echoed.authorization).toBeNull();
    expect(echoed.requestId).toBe(res.headers.get('x-request-id'));
  });

  describe('limits', () => {
    const nested = (depth: number) => `{ products { ${'related { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: reviewCount`).join(' ')} }`;
    // 9 tokens per fragment; distinct fragments keep graphql-js's overlap check cheap, unlike 2000 × `id`.
    const fragments = (n: number) => {
      const names = Array.from({ length: n }, (_, i) => `F${i}`);
      return `{ products { ${names.map((f) => `...${f}`).join(' ')} } } ${names.map((f) => `fragment ${f} on Product { id }`).join(' ')}`;
    };

    it.each([
      { case: 'depth 12 passes', query: nested(12), ok: true },
      { case: 'depth 13 is QUERY_TOO_DEEP', query: nested(13), code: GatewayErrorCode.QUERY_TOO_DEEP },
      { case: '30 aliases pass', query: aliases(30), ok: true },
      { case: '31 aliases are TOO_MANY_ALIASES', query: aliases(31), code: GatewayErrorCode.TOO_MANY_ALIASES },
      { case: '1985 tokens pass', query: fragments(220), ok: true },
      { case: '2012 tokens are TOO_MANY_TOKENS', query: fragments(223), code: GatewayErrorCode.TOO_MANY_TOKENS },
    ])('$case', async ({ query, ok, code }) => {
      const res = await postGraphQL(gateway.url, query);
      if (ok) {
        expect(res.body.errors).toBeUndefined();
        expect(res.status).toBe(200);
      } else {
        expect(res.status).toBe(400);
        expect(codes(res)).toEqual([code]);
        expect(res.body.data).toBeUndefined();
      }
    });

    it('refuses an oversized body with PAYLOAD_TOO_LARGE before parsing it', async () => {
      const query = `{ products { id } } # ${'x'.repeat(300 * 1024)}`;
      const res = await postGraphQL(gateway.url, query);
      expect(res.status).toBe(413);
      expect(codes(res)).toEqual(['PAYLOAD_TOO_LARGE']);
    });

    it('refuses malformed JSON with BAD_REQUEST', async () => {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": "{ products { id } }"',
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }],
      });
    });

    it('does not suggest field names', async () => {
      const res = await postGraphQL(gateway.url, '{ product { id } }');
      expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(res.body.errors?.[0]?.message).toBe('Cannot query field "product" on type "Query".');
    });
  });

  describe('when a subgraph fails', () => {
    it('returns the other subgraph data with SUBGRAPH_TIMEOUT, without waiting for the slow one', async () => {
      const started = performance.now();
      const res = await postGraphQL(gateway.url, '{ products { id name slowReviews(ms: 5000) { body } } }');
      // The timeout is 1 s; far below the subgraph's 5 s shows the gateway gave up on its own.
      expect(performance.now() - started).toBeLessThan(4_000);
      expect(res.body.data).toEqual({
        products: [
          { id: 'p1', name: 'Poster', slowReviews: null },
          { id: 'p2', name: 'Screen', slowReviews: null },
        ],
      });
      expect(res.body.errors).toEqual([
        {
          message: 'Subgraph "reviews" did not answer in time',
          extensions: { code: GatewayErrorCode.SUBGRAPH_TIMEOUT, serviceName: 'reviews' },
        },
      ]);
      expect(await metricLines(gateway.url, FETCH_COUNT, { subgraph: 'reviews', outcome: 'timeout' })).toHaveLength(1);
    });

    it('serves partial data while a subgraph is down, and heals when it is back on the same port', async () => {
      await reviews.stop();
      try {
        const res = await postGraphQL(gateway.url, SPANNING);
        expect(res.status).toBe(200);
        expect(res.body.data).toEqual({
          products: CATALOGUE.products.map((p) => ({ ...p, reviews: null })),
        });
        expect(res.body.errors).toEqual([
          {
            message: 'Subgraph "reviews" is unavailable',
            extensions: { code: GatewayErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: 'reviews' },
          },
        ]);
        expect(
          await metricLines(gateway.url, FETCH_COUNT, { subgraph: 'reviews', outcome: 'unavailable' }),
        ).toHaveLength(1);
        // Queries that avoid the subgraph are untouched, and the gateway stays ready.
        expect((await postGraphQL(gateway.url, '{ products { id } }')).body.errors).toBeUndefined();
        expect((await fetch(`${base()}/readyz`)).status).toBe(200);
        const info = await (await fetch(`${base()}/readyz/subgraphs`)).json();
        expect(info).toMatchObject({
          status: 'degraded',
          subgraphs: [
            { name: 'products', reachable: true },
            { name: 'reviews', reachable: false },
          ],
        });
      } finally {
        await reviews.start();
      }
      await vi.waitFor(
        async () => expect((await postGraphQL(gateway.url, SPANNING)).body).toEqual({ data: CATALOGUE }),
        POLL,
      );
      const info = await (await fetch(`${base()}/readyz/subgraphs`)).json();
      expect(info).toMatchObject({ status: 'ok' });
    });
  });

  it('reports health and readiness', async () => {
    expect(await (await fetch(`${base()}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: [{ name: 'supergraph', ok: true }] });
  });

  it('exposes operation and per-subgraph fetch metrics', async () => {
    await postGraphQL(gateway.url, SPANNING);
    const operation = { operation_name: 'Catalogue', operation_type: 'query', outcome: 'success' };
    expect(
      await metricLines(gateway.url, 'phub_gateway_graphql_operation_duration_seconds_count', operation),
    ).toHaveLength(1);
    for (const subgraph of ['products', 'reviews']) {
      expect(await metricLines(gateway.url, FETCH_COUNT, { subgraph, outcome: 'success' })).toHaveLength(1);
    }
  });
});

describe('subgraph URLs', () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    // The supergraph names a reviews URL where nothing listens.
    const sdl = await composeSupergraph([
      { subgraph: products },
      { subgraph: reviews, url: 'http://127.0.0.1:9/graphql' },
    ]);
    file = await SupergraphFixture.create(sdl);
  });

  afterAll(async () => {
    await Promise.all([products?.stop(), reviews?.stop()]);
    await file?.remove();
  });

  it.each([{ given: 'the subgraphUrls option' }, { given: 'SUBGRAPH_REVIEWS_URL' }])(
    'routes to the URL from $given over the supergraph one',
    async ({ given }) => {
      const gateway =
        given === 'SUBGRAPH_REVIEWS_URL'
          ? await startGateway(file.path, { SUBGRAPH_REVIEWS_URL: reviews.url })
          : await startGateway(file.path, {}, { subgraphUrls: { reviews: reviews.url } });
      try {
        expect((await postGraphQL(gateway.url, SPANNING)).body).toEqual({ data: CATALOGUE });
      } finally {
        await gateway.stop();
      }
    },
  );

  it('uses the supergraph URL when nothing overrides it', async () => {
    const gateway = await startGateway(file.path);
    try {
      expect(codes(await postGraphQL(gateway.url, SPANNING))).toEqual([GatewayErrorCode.SUBGRAPH_UNAVAILABLE]);
    } finally {
      await gateway.stop();
    }
  });
});

describe('subgraph answers that are not GraphQL', () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;
  let gateway: GatewayService;
  // Stands in for the reviews subgraph, or for a proxy in front of it.
  let answer = { status: 200, type: 'application/json', body: '{}' };
  const impostor = createServer((_req, res) =>
    res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body),
  );

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    file = await SupergraphFixture.create(await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]));
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const { port } = impostor.address() as AddressInfo;
    gateway = await startGateway(file.path, {}, { subgraphUrls: { reviews: `http://127.0.0.1:${port}/graphql` } });
  });

  afterAll(async () => {
    await gateway?.stop();
    impostor.closeAllConnections();
    await new Promise((resolve) => impostor.close(resolve));
    await Promise.all([products?.stop(), reviews?.stop()]);
    await file?.remove();
  });

  it.each([
    { status: 503, type: 'text/plain', body: 'upstream down', code: GatewayErrorCode.SUBGRAPH_UNAVAILABLE },
    { status: 502, type: 'text/html', body: '<h1>Bad gateway</h1>', code: GatewayErrorCode.SUBGRAPH_UNAVAILABLE },
    { status: 500, type: 'text/plain', body: 'oops', code: GatewayErrorCode.SUBGRAPH_BAD_RESPONSE },
    { status: 401, type: 'application/json', body: '{}', code: 'UNAUTHENTICATED' },
    { status: 403, type: 'application/json', body: '{}', code: 'FORBIDDEN' },
    { status: 200, type: 'text/html', body: '<html></html>', code: GatewayErrorCode.SUBGRAPH_BAD_RESPONSE },
    { status: 200, type: 'application/json', body: '{"data": ', code: GatewayErrorCode.SUBGRAPH_BAD_RESPONSE },
  ])('HTTP $status $type → $code, other data kept', async ({ code, ...rest }) => {
    answer = rest;
    const res = await postGraphQL(gateway.url, SPANNING);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ products: CATALOGUE.products.map((p) => ({ ...p, reviews: null })) });
    expect(res.body.errors).toEqual([
      { message: expect.stringContaining('"reviews"'), extensions: { code, serviceName: 'reviews' } },
    ]);
    // Nothing from inside the platform leaks to the client.
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|oops|upstream down/);
  });
});
