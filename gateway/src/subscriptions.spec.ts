import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayErrorCode, GatewayService } from './index.js';
import { CloseCode, SubscriptionErrorCode } from './subscriptions/index.js';
import {
  buildProductsSchema,
  buildReviewsSchema,
  composeSupergraph,
  metricValue,
  POLL,
  postGraphQL,
  productFeed,
  startGateway,
  subscribeSse,
  subscribeWs,
  SupergraphFixture,
  TestSubgraph,
  TestTokens,
  wsClient,
  type WsSubscription,
} from './testing/index.js';

// `productChanged` is owned by products; `reviews` and `reviewsAuthorization` come from reviews,
// and `reviews.product.sku` hops back to products.
const CHANGED = `subscription Changed($id: ID!) {
  productChanged(id: $id) {
    version
    authorization
    product { name reviews { stars product { sku } } reviewsAuthorization }
  }
}`;
const changed = (version: number, authorization: string | null) => ({
  data: {
    productChanged: {
      version,
      authorization,
      product: {
        name: 'Poster',
        reviews: [{ stars: 5, product: { sku: 'SKU-1' } }],
        reviewsAuthorization: authorization,
      },
    },
  },
});

const UPSTREAMS = 'phub_gateway_subscription_upstream_subscriptions';
const ACTIVE = 'phub_gateway_subscriptions_active';

describe(`${GatewayService.name} subscriptions`, () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;
  let gateway: GatewayService;
  let tokens: TestTokens;
  let token: string;
  const open: WsSubscription[] = [];

  /** A graphql-ws subscription through the gateway, closed after the test. */
  const subscribe = (query: string, options: Parameters<typeof subscribeWs>[2] = {}) => {
    const subscription = subscribeWs(gateway.url, query, options);
    open.push(subscription);
    return subscription;
  };
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const active = () => metricValue(gateway.url, ACTIVE);
  /** Subscriptions of one product the products subgraph serves right now: the gateway's upstream ones. */
  const upstream = (id = 'p1') => productFeed.subscribers(id);

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    file = await SupergraphFixture.create(await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]));
    tokens = await TestTokens.create();
    token = await tokens.sign();
    gateway = await startGateway(file.path, { SUBSCRIPTION_MAX_PER_CONNECTION: '2' }, { verifier: tokens.verifier });
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.dispose()));
    // Every test starts with nothing open upstream.
    await vi.waitFor(() => expect(upstream('p1') + upstream('p2')).toBe(0), POLL);
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([products?.stop(), reviews?.stop()]);
    await file?.remove();
  });

  it('delivers an event with the fields of both subgraphs filled in, forwarding the token to each', async () => {
    const sub = subscribe(CHANGED, { connectionParams: bearer(token), variables: { id: 'p1' } });
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    productFeed.publish({ productId: 'p2', version: 9 }); // another product: filtered by the subgraph
    productFeed.publish({ productId: 'p1', version: 1 });
    await vi.waitFor(() => expect(sub.events).toHaveLength(1), POLL);
    expect(sub.events[0]).toEqual(changed(1, `Bearer ${token}`));
    expect(
      await metricValue(gateway.url, 'phub_gateway_subscription_events_received_total', { subgraph: 'products' }),
    ).toBe(1);
    expect(
      await metricValue(gateway.url, 'phub_gateway_subscription_events_sent_total', { subgraph: 'products' }),
    ).toBe(1);
    expect(
      await metricValue(gateway.url, 'phub_gateway_subscription_delivery_seconds_count', { transport: 'ws' }),
    ).toBe(1);
    expect(
      await metricValue(gateway.url, 'phub_gateway_subscription_upstream_connections', { subgraph: 'products' }),
    ).toBe(1);
  });

  it('accepts the token as `accessToken` and keeps aliases and variables of the client operation', async () => {
    const sub = subscribe(
      `subscription($id: ID!, $withReviews: Boolean!) {
        change: productChanged(id: $id) { v: version product { title: name reviews @include(if: $withReviews) { stars } } }
      }`,
      { connectionParams: { accessToken: token }, variables: { id: 'p1', withReviews: true } },
    );
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    productFeed.publish({ productId: 'p1', version: 2 });
    await vi.waitFor(() => expect(sub.events).toHaveLength(1), POLL);
    expect(sub.events[0]).toEqual({
      data: { change: { v: 2, product: { title: 'Poster', reviews: [{ stars: 5 }] } } },
    });
  });

  it('forwards the event of a one-subgraph selection as the subgraph answered it, aliases and variables kept', async () => {
    // No fetch after the subgraph's: the event skips the plan (SubscriptionPlan.asIs) and must read the same.
    const sub = subscribe(
      `subscription Local($id: ID!) { change: productChanged(id: $id) { v: version product { title: name sku } } }`,
      { connectionParams: bearer(token), variables: { id: 'p1' } },
    );
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    productFeed.publish({ productId: 'p1', version: 3 });
    await vi.waitFor(() => expect(sub.events).toHaveLength(1), POLL);
    expect(sub.events[0]).toEqual({ data: { change: { v: 3, product: { title: 'Poster', sku: 'SKU-1' } } } });
  });

  describe('refuses a connection whose token does not verify, with 4401 and the reason', () => {
    it.each([
      {
        case: 'a token signed by someone else',
        params: () => bearer(`${token.slice(0, -4)}AAAA`),
        reason: 'Access token signature is invalid',
      },
      {
        case: 'an expired token',
        params: async () => bearer(await tokens.sign({ expiresIn: -60 })),
        reason: 'Access token has expired',
      },
      {
        case: 'a revoked token',
        params: async () => {
          const revoked = await tokens.sign();
          await tokens.revoke(revoked);
          return bearer(revoked);
        },
        reason: 'Access token has been revoked',
      },
      {
        case: 'a header that is not Bearer',
        params: () => ({ authorization: `Basic ${token}` }),
        reason: 'connectionParams.authorization must be "Bearer <access token>"',
      },
    ])('$case', async ({ params, reason }) => {
      const sub = subscribe(CHANGED, { connectionParams: await params(), variables: { id: 'p1' } });
      await vi.waitFor(() => expect(sub.closed).toEqual({ code: CloseCode.UNAUTHORIZED, reason }), POLL);
      expect(sub.events).toEqual([]);
      expect(upstream()).toBe(0);
    });
  });

  it('lets a connection without a token through, as HTTP does: subgraphs decide', async () => {
    const sub = subscribe(CHANGED, { variables: { id: 'p1' } });
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    productFeed.publish({ productId: 'p1', version: 3 });
    await vi.waitFor(() => expect(sub.events).toEqual([changed(3, null)]), POLL);
  });

  it('shares one upstream subscription between identical subscribers; one leaving does not disturb the other', async () => {
    const first = subscribe(CHANGED, { connectionParams: bearer(token), variables: { id: 'p1' } });
    const second = subscribe(CHANGED, { connectionParams: bearer(token), variables: { id: 'p1' } });
    await vi.waitFor(async () => expect(await active()).toBe(2), POLL);
    expect(await metricValue(gateway.url, UPSTREAMS)).toBe(1);
    // The gateway's one upstream subscription may still be on its way to the subgraph.
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);

    productFeed.publish({ productId: 'p1', version: 1 });
    await vi.waitFor(
      () =>
        expect([first.events, second.events]).toEqual([
          [changed(1, `Bearer ${token}`)],
          [changed(1, `Bearer ${token}`)],
        ]),
      POLL,
    );

    await first.dispose();
    await vi.waitFor(async () => expect(await active()).toBe(1), POLL);
    expect(upstream()).toBe(1);
    productFeed.publish({ productId: 'p1', version: 2 });
    await vi.waitFor(
      () =>
        expect(second.events.map((e) => e.data)).toEqual([
          changed(1, `Bearer ${token}`).data,
          changed(2, `Bearer ${token}`).data,
        ]),
      POLL,
    );
    expect(first.events).toHaveLength(1);
    expect(second.completed).toBe(false);

    // The last one out closes the upstream subscription and its connection.
    await second.dispose();
    await vi.waitFor(() => expect(upstream()).toBe(0), POLL);
    await vi.waitFor(
      async () => expect(await metricValue(gateway.url, 'phub_gateway_subscription_upstream_connections')).toBe(0),
      POLL,
    );
    expect(await metricValue(gateway.url, UPSTREAMS)).toBe(0);
  });

  it.each([
    {
      case: 'another token (another authorization scope)',
      other: async () => ({ params: bearer(await tokens.sign({ subject: 'user-2' })), id: 'p1' }),
    },
    { case: 'other variables', other: async () => ({ params: bearer(token), id: 'p2' }) },
  ])('does not share between subscribers with $case', async ({ other }) => {
    const { params, id } = await other();
    subscribe(CHANGED, { connectionParams: bearer(token), variables: { id: 'p1' } });
    subscribe(CHANGED, { connectionParams: params, variables: { id } });
    await vi.waitFor(async () => expect(await metricValue(gateway.url, UPSTREAMS)).toBe(2), POLL);
    await vi.waitFor(() => expect(upstream('p1') + upstream('p2')).toBe(2), POLL);
  });

  it('carries every client’s subscriptions on SUBSCRIPTION_UPSTREAM_SOCKETS sockets, each with its own token', async () => {
    const others = await Promise.all([1, 2, 3, 4, 5].map((n) => tokens.sign({ subject: `player-${n}` })));
    const subs = others.map((t) => subscribe(CHANGED, { connectionParams: bearer(t), variables: { id: 'p1' } }));
    // Five authorizations: five upstream subscriptions (never shared across viewers), on two sockets (the default).
    await vi.waitFor(() => expect(upstream()).toBe(5), POLL);
    expect(
      await metricValue(gateway.url, 'phub_gateway_subscription_upstream_connections', { subgraph: 'products' }),
    ).toBe(2);
    productFeed.publish({ productId: 'p1', version: 7 });
    await vi.waitFor(() => expect(subs.every((s) => s.events.length === 1)).toBe(true), POLL);
    // The subgraph ran each with its own client's token, and so did the hop to reviews.
    others.forEach((t, i) => expect(subs[i]!.events[0]).toEqual(changed(7, `Bearer ${t}`)));
  });

  it('shares the upstream between different selections of the same root field, resolving each its own way', async () => {
    const full = subscribe(CHANGED, { connectionParams: bearer(token), variables: { id: 'p1' } });
    const slim = subscribe('subscription { productChanged(id: "p1") { version product { name } } }', {
      connectionParams: bearer(token),
    });
    // Different upstream selections (the slim one needs no keys), so two upstream subscriptions.
    await vi.waitFor(() => expect(upstream()).toBe(2), POLL);
    productFeed.publish({ productId: 'p1', version: 4 });
    await vi.waitFor(
      () => expect(slim.events).toEqual([{ data: { productChanged: { version: 4, product: { name: 'Poster' } } } }]),
      POLL,
    );
    await vi.waitFor(() => expect(full.events).toEqual([changed(4, `Bearer ${token}`)]), POLL);
  });

  describe('errors reach the client as GraphQL errors with codes', () => {
    it.each([
      {
        case: 'an unknown field',
        query: 'subscription { productChanged(id: "p1") { colour } }',
        code: 'GRAPHQL_VALIDATION_FAILED',
      },
      { case: 'a syntax error', query: 'subscription { productChanged(', code: 'GRAPHQL_PARSE_FAILED' },
      {
        case: 'a selection deeper than MAX_QUERY_DEPTH',
        query: `subscription { productChanged(id: "p1") { product { ${'related { '.repeat(12)}id${' }'.repeat(12)} } } }`,
        code: GatewayErrorCode.QUERY_TOO_DEEP,
      },
      { case: 'a missing variable', query: CHANGED, code: 'BAD_USER_INPUT' },
    ])('$case → `error` message $code', async ({ query, code }) => {
      const sub = subscribe(query, { connectionParams: bearer(token) });
      await vi.waitFor(() => expect(sub.errors).toHaveLength(1), POLL);
      expect((sub.errors[0] as { extensions: { code: string } }[]).map((e) => e.extensions.code)).toEqual([code]);
      expect(upstream()).toBe(0);
    });

    it('a subgraph that fails while resolving an event → `next` with the other data and SUBGRAPH_UNAVAILABLE', async () => {
      const sub = subscribe(CHANGED, { connectionParams: bearer(token), variables: { id: 'p1' } });
      await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
      await reviews.stop();
      try {
        productFeed.publish({ productId: 'p1', version: 5 });
        await vi.waitFor(() => expect(sub.events).toHaveLength(1), POLL);
      } finally {
        await reviews.start();
      }
      expect(sub.events[0]).toEqual({
        data: {
          productChanged: {
            version: 5,
            authorization: `Bearer ${token}`,
            product: { name: 'Poster', reviews: null, reviewsAuthorization: null },
          },
        },
        // As over HTTP: the failed fetch is one error, its fields are null.
        errors: [
          {
            message: 'Subgraph "reviews" is unavailable',
            extensions: { code: GatewayErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: 'reviews' },
          },
        ],
      });
      // The subscription goes on.
      productFeed.publish({ productId: 'p1', version: 6 });
      await vi.waitFor(() => expect(sub.events[1]).toEqual(changed(6, `Bearer ${token}`)), POLL);
    });

    it(`more than SUBSCRIPTION_MAX_PER_CONNECTION on one connection → ${SubscriptionErrorCode.TOO_MANY_SUBSCRIPTIONS}`, async () => {
      const client = wsClient(gateway.url, bearer(token));
      const subs = [1, 2, 3].map(() => subscribe(CHANGED, { client, variables: { id: 'p1' } }));
      await vi.waitFor(() => expect(subs[2]?.errors).toHaveLength(1), POLL);
      expect(subs[2]?.errors[0]).toEqual([
        {
          message: 'At most 2 subscriptions may be open on one connection',
          extensions: { code: SubscriptionErrorCode.TOO_MANY_SUBSCRIPTIONS },
        },
      ]);
      expect(subs.slice(0, 2).map((s) => s.errors)).toEqual([[], []]);
    });
  });

  it('answers queries over the same WebSocket, through the HTTP pipeline', async () => {
    const sub = subscribe('{ products { id reviews { stars } } }', { connectionParams: bearer(token) });
    await vi.waitFor(() => expect(sub.completed).toBe(true), POLL);
    expect(sub.events).toEqual([
      {
        data: {
          products: [
            { id: 'p1', reviews: [{ stars: 5 }] },
            { id: 'p2', reviews: [{ stars: 2 }] },
          ],
        },
      },
    ]);
  });

  it('refuses a subscription sent as a plain HTTP request, saying where they are served', async () => {
    const res = await postGraphQL(gateway.url, 'subscription { productChanged(id: "p1") { version } }');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        message: 'Subscriptions are served over graphql-ws on /graphql and Server-Sent Events on /graphql/stream',
        extensions: { code: 'BAD_REQUEST' },
      },
    ]);
    expect(upstream()).toBe(0);
  });

  describe('over Server-Sent Events (/graphql/stream)', () => {
    it('delivers the same event as graphql-ws, sharing its upstream subscription', async () => {
      const ws = subscribe(CHANGED, { connectionParams: bearer(token), variables: { id: 'p1' } });
      const sse = await subscribeSse(gateway.url, CHANGED, { headers: bearer(token), variables: { id: 'p1' } });
      try {
        expect(sse.status).toBe(200);
        expect(sse.contentType).toMatch(/^text\/event-stream/);
        await vi.waitFor(
          async () => expect(await metricValue(gateway.url, ACTIVE, { transport: 'sse' })).toBe(1),
          POLL,
        );
        await vi.waitFor(async () => expect(await active()).toBe(2), POLL);
        await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
        productFeed.publish({ productId: 'p1', version: 7 });
        await vi.waitFor(() => expect(sse.events).toHaveLength(1), POLL);
        await vi.waitFor(() => expect(ws.events).toHaveLength(1), POLL);
        expect(sse.events[0]).toEqual(changed(7, `Bearer ${token}`));
        expect(sse.events[0]).toEqual(ws.events[0]);
      } finally {
        sse.abort();
      }
      await vi.waitFor(async () => expect(await metricValue(gateway.url, ACTIVE, { transport: 'sse' })).toBe(0), POLL);
    });

    it('refuses a bad token with 401 UNAUTHENTICATED', async () => {
      const sse = await subscribeSse(gateway.url, CHANGED, { headers: bearer('not-a-token'), variables: { id: 'p1' } });
      expect(sse.status).toBe(401);
      expect(sse.body).toEqual({
        errors: [{ message: 'Access token is malformed', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    });

    it('reports validation errors in the stream, then completes', async () => {
      const sse = await subscribeSse(gateway.url, 'subscription { productChanged(id: "p1") { colour } }', {
        headers: bearer(token),
      });
      await sse.ended;
      expect(sse.kinds).toEqual(['next', 'complete']);
      expect(sse.events[0]?.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });

    it('refuses a request that does not ask for an event stream with 406', async () => {
      const res = await fetch(gateway.url.replace(/graphql$/, 'graphql/stream'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: CHANGED }),
      });
      expect(res.status).toBe(406);
    });
  });
});
