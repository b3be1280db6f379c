import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayErrorCode, type GatewayService } from './index.js';
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

const CHANGED = 'subscription { productChanged(id: "p1") { version note product { name reviews { stars } } } }';
const versions = (sub: { events: { data?: unknown }[] }) =>
  sub.events.map((e) => (e.data as { productChanged?: { version: number } } | null)?.productChanged?.version);
const ENDED = 'phub_gateway_subscriptions_ended_total';

let products: TestSubgraph;
let reviews: TestSubgraph;
let file: SupergraphFixture;
let tokens: TestTokens;
const gateways: GatewayService[] = [];
const open: WsSubscription[] = [];

/** Subscriptions of `p1` the products subgraph serves: the gateway's upstream ones. */
const upstream = () => productFeed.subscribers('p1');
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function gatewayWith(env: NodeJS.ProcessEnv): Promise<GatewayService> {
  const gateway = await startGateway(
    file.path,
    { SUBSCRIPTION_UPSTREAM_RETRY_BASE_MS: '20', SUBSCRIPTION_UPSTREAM_RETRY_MAX_MS: '200', ...env },
    { verifier: tokens.verifier },
  );
  gateways.push(gateway);
  return gateway;
}

function subscribe(gateway: GatewayService, options: Parameters<typeof subscribeWs>[2] = {}): WsSubscription {
  const sub = subscribeWs(gateway.url, CHANGED, options);
  open.push(sub);
  return sub;
}

beforeAll(async () => {
  products = await new TestSubgraph('products', await buildProductsSchema()).start();
  reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
  file = await SupergraphFixture.create(await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]));
  tokens = await TestTokens.create();
});

afterEach(async () => {
  const subs = open.splice(0);
  subs.forEach((s) => s.socket?.resume());
  await Promise.all(subs.map((s) => s.dispose()));
  await Promise.all(gateways.splice(0).map((g) => g.stop()));
  expect(upstream()).toBe(0);
});

afterAll(async () => {
  await Promise.all([products?.stop(), reviews?.stop()]);
  await file?.remove();
});

describe('when the owning subgraph restarts', () => {
  it('reconnects with backoff and the subscriber gets the next event without subscribing again', async () => {
    const gateway = await gatewayWith({});
    const sub = subscribe(gateway, { connectionParams: bearer(await tokens.sign()) });
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    productFeed.publish({ productId: 'p1', version: 1 });
    await vi.waitFor(() => expect(versions(sub)).toEqual([1]), POLL);

    await products.stop();
    expect(upstream()).toBe(0);
    await products.start(); // same port
    // The gateway subscribes again on its own; the client was never told anything happened.
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    productFeed.publish({ productId: 'p1', version: 2 });
    await vi.waitFor(() => expect(versions(sub)).toEqual([1, 2]), POLL);
    expect(sub.events[1]).toEqual({
      data: { productChanged: { version: 2, note: null, product: { name: 'Poster', reviews: [{ stars: 5 }] } } },
    });
    expect([sub.errors, sub.completed, sub.closed]).toEqual([[], false, undefined]);
    expect(
      await metricValue(gateway.url, 'phub_gateway_subscription_upstream_reconnects_total', { subgraph: 'products' }),
    ).toBeGreaterThanOrEqual(1);
    expect(await metricValue(gateway.url, 'phub_gateway_subscription_upstream_connections')).toBe(1);
  });

  it('gives up after SUBSCRIPTION_UPSTREAM_RETRY_ATTEMPTS and tells the subscriber SUBGRAPH_UNAVAILABLE', async () => {
    const gateway = await gatewayWith({ SUBSCRIPTION_UPSTREAM_RETRY_ATTEMPTS: '2' });
    const sub = subscribe(gateway, { connectionParams: bearer(await tokens.sign()) });
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    await products.stop();
    try {
      await vi.waitFor(() => expect(sub.completed).toBe(true), POLL);
    } finally {
      await products.start();
    }
    expect(sub.events).toEqual([
      {
        errors: [
          {
            message: 'Subgraph "products" is unavailable',
            extensions: { code: GatewayErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: 'products' },
          },
        ],
      },
    ]);
    expect(await metricValue(gateway.url, ENDED, { reason: 'upstream_failed' })).toBe(1);
    expect(await metricValue(gateway.url, 'phub_gateway_subscription_upstream_subscriptions')).toBe(0);
  });
});

describe('token lifetime', () => {
  it('closes the connection with 4401 when the token expires', async () => {
    const gateway = await gatewayWith({});
    // `exp` has whole seconds: this token ends one to two seconds from now.
    const sub = subscribe(gateway, { connectionParams: bearer(await tokens.sign({ expiresIn: 2 })) });
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    await vi.waitFor(
      () => expect(sub.closed).toEqual({ code: CloseCode.UNAUTHORIZED, reason: 'Access token has expired' }),
      POLL,
    );
    await vi.waitFor(() => expect(upstream()).toBe(0), POLL);
    expect(await metricValue(gateway.url, ENDED, { reason: 'token_expired' })).toBe(1);
  });

  it('closes the connection with 4401 when the token is revoked (checked every SUBSCRIPTION_REVERIFY_MS)', async () => {
    const gateway = await gatewayWith({ SUBSCRIPTION_REVERIFY_MS: '50' });
    const token = await tokens.sign();
    const sub = subscribe(gateway, { connectionParams: bearer(token) });
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    await tokens.revoke(token);
    await vi.waitFor(
      () => expect(sub.closed).toEqual({ code: CloseCode.UNAUTHORIZED, reason: 'Access token has been revoked' }),
      POLL,
    );
    await vi.waitFor(() => expect(upstream()).toBe(0), POLL);
    expect(await metricValue(gateway.url, ENDED, { reason: 'token_revoked' })).toBe(1);
  });

  it('ends an SSE stream with UNAUTHENTICATED when its token expires', async () => {
    const gateway = await gatewayWith({});
    const sse = await subscribeSse(gateway.url, CHANGED, { headers: bearer(await tokens.sign({ expiresIn: 2 })) });
    await sse.ended;
    expect(sse.kinds).toEqual(['next', 'complete']);
    expect(sse.events).toEqual([
      { errors: [{ message: 'Access token has expired', extensions: { code: 'UNAUTHENTICATED' } }] },
    ]);
    expect(upstream()).toBe(0);
  });
});

describe('slow consumers', () => {
  const LIMIT = 5;
  // Big events fill the socket buffers quickly, so the queue behind them is reached soon.
  const note = 'x'.repeat(256 * 1024);
  const NOTES = 'subscription { productChanged(id: "p1") { version note } }';
  let version = 0;
  const publish = (n: number) => {
    for (let i = 0; i < n; i++) productFeed.publish({ productId: 'p1', version: ++version, note });
  };
  const queued = (gateway: GatewayService) => metricValue(gateway.url, 'phub_gateway_subscription_queued_events');

  /** A subscriber whose client stopped reading from its socket. */
  async function stalled(gateway: GatewayService, count = 1): Promise<WsSubscription[]> {
    const client = wsClient(gateway.url, bearer(await tokens.sign()));
    const subs = Array.from({ length: count }, () => {
      const sub = subscribeWs(gateway.url, NOTES, { client });
      open.push(sub);
      return sub;
    });
    await vi.waitFor(() => expect(client.state.socket).toBeDefined(), POLL);
    client.state.socket?.pause();
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    return subs;
  }

  it(`SUBSCRIPTION_OVERFLOW=close ends the subscription with ${SubscriptionErrorCode.SUBSCRIPTION_OVERFLOW}, queue never above the limit`, async () => {
    const gateway = await gatewayWith({ SUBSCRIPTION_QUEUE_LIMIT: String(LIMIT), SUBSCRIPTION_OVERFLOW: 'close' });
    const [sub] = await stalled(gateway);
    await vi.waitFor(async () => {
      expect(await queued(gateway)).toBeLessThanOrEqual(LIMIT);
      publish(20);
      expect(await metricValue(gateway.url, ENDED, { reason: 'overflow' })).toBe(1);
    }, POLL);
    // Nothing is held for it any more: no queue, no upstream subscription.
    expect(await queued(gateway)).toBe(0);
    await vi.waitFor(() => expect(upstream()).toBe(0), POLL);

    sub?.socket?.resume();
    await vi.waitFor(() => expect(sub?.completed).toBe(true), POLL);
    expect(sub?.events.at(-1)).toEqual({
      errors: [
        {
          message: `The subscriber fell more than ${LIMIT} events behind; subscribe again to resume`,
          extensions: { code: SubscriptionErrorCode.SUBSCRIPTION_OVERFLOW },
        },
      ],
    });
  });

  it('bounds an SSE subscriber that stopped reading the same way', async () => {
    const gateway = await gatewayWith({ SUBSCRIPTION_QUEUE_LIMIT: String(LIMIT), SUBSCRIPTION_OVERFLOW: 'close' });
    const sse = await subscribeSse(gateway.url, NOTES, { headers: bearer(await tokens.sign()), paused: true });
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    await vi.waitFor(async () => {
      expect(await queued(gateway)).toBeLessThanOrEqual(LIMIT);
      publish(20);
      expect(await metricValue(gateway.url, ENDED, { reason: 'overflow' })).toBe(1);
    }, POLL);
    await vi.waitFor(() => expect(upstream()).toBe(0), POLL);
    sse.resume();
    await sse.ended;
    expect(sse.kinds.at(-1)).toBe('complete');
    expect(sse.events.at(-1)?.errors?.[0]?.extensions?.code).toBe(SubscriptionErrorCode.SUBSCRIPTION_OVERFLOW);
  });

  it('bounds events waiting for a slow subgraph in the rest of the plan the same way', async () => {
    const gateway = await gatewayWith({ SUBSCRIPTION_QUEUE_LIMIT: String(LIMIT), SUBSCRIPTION_OVERFLOW: 'close' });
    const slow = subscribeWs(
      gateway.url,
      'subscription { productChanged(id: "p1") { version product { slowReviews(ms: 300) { stars } } } }',
      { connectionParams: bearer(await tokens.sign()) },
    );
    open.push(slow);
    await vi.waitFor(() => expect(upstream()).toBe(1), POLL);
    // One event is being resolved, LIMIT wait, the next one is one too many.
    for (let i = 0; i < LIMIT + 2; i++) productFeed.publish({ productId: 'p1', version: ++version });
    await vi.waitFor(() => expect(slow.completed).toBe(true), POLL);
    expect(slow.events.at(-1)?.errors?.[0]?.extensions?.code).toBe(SubscriptionErrorCode.SUBSCRIPTION_OVERFLOW);
    expect(await metricValue(gateway.url, ENDED, { reason: 'overflow' })).toBe(1);
    await vi.waitFor(() => expect(upstream()).toBe(0), POLL);
  });

  it('SUBSCRIPTION_OVERFLOW=drop-oldest skips old events but keeps the subscription and the newest ones', async () => {
    const gateway = await gatewayWith({
      SUBSCRIPTION_QUEUE_LIMIT: String(LIMIT),
      SUBSCRIPTION_OVERFLOW: 'drop-oldest',
    });
    const [sub] = await stalled(gateway);
    await vi.waitFor(async () => {
      expect(await queued(gateway)).toBeLessThanOrEqual(LIMIT);
      publish(20);
      expect(await metricValue(gateway.url, 'phub_gateway_subscription_events_dropped_total')).toBeGreaterThan(0);
    }, POLL);
    expect(await queued(gateway)).toBe(LIMIT);
    expect(upstream()).toBe(1);

    sub?.socket?.resume();
    const last = version;
    await vi.waitFor(() => expect(versions(sub!).at(-1)).toBe(last), POLL);
    const seen = versions(sub!) as number[];
    expect(seen.length).toBeLessThan(last);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(sub?.completed).toBe(false);
  });

  it('closes a socket with more than SUBSCRIPTION_MAX_BUFFERED_BYTES unsent with 1008', async () => {
    const gateway = await gatewayWith({ SUBSCRIPTION_MAX_BUFFERED_BYTES: '1000' });
    // Two subscriptions: one's send waits on the full socket while the other's next event checks it.
    const [sub] = await stalled(gateway, 2);
    await vi.waitFor(async () => {
      publish(5);
      expect(await metricValue(gateway.url, ENDED, { reason: 'slow_socket' })).toBeGreaterThan(0);
    }, POLL);
    sub?.socket?.resume();
    await vi.waitFor(() => expect(sub?.closed?.code).toBe(CloseCode.POLICY_VIOLATION), POLL);
    expect(sub?.closed?.reason).toBe('The client stopped reading: more than 1000 bytes unsent');
    await vi.waitFor(() => expect(upstream()).toBe(0), POLL);
  });
});

describe('supergraph reload', () => {
  it('plans new subscriptions with the new supergraph; running ones carry on', async () => {
    const v1 = await composeSupergraph([{ subgraph: products, omit: ['ProductChange.note'] }, { subgraph: reviews }]);
    const older = await SupergraphFixture.create(v1);
    try {
      const gateway = await startGateway(older.path, { SUPERGRAPH_RELOAD_DEBOUNCE_MS: '20' });
      gateways.push(gateway);
      const WITH_NOTE = 'subscription { productChanged(id: "p1") { version note } }';
      const refused = subscribeWs(gateway.url, WITH_NOTE);
      const running = subscribeWs(gateway.url, 'subscription { productChanged(id: "p1") { version } }');
      open.push(refused, running);
      await vi.waitFor(() => expect(refused.errors).toHaveLength(1), POLL);
      expect((refused.errors[0] as { extensions: { code: string } }[])[0]?.extensions.code).toBe(
        'GRAPHQL_VALIDATION_FAILED',
      );
      await vi.waitFor(() => expect(upstream()).toBe(1), POLL);

      await older.write(await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]));
      const fields = async () => {
        const res = await postGraphQL(gateway.url, '{ __type(name: "ProductChange") { fields { name } } }');
        return (res.body.data?.__type as { fields: { name: string }[] } | null)?.fields.map((f) => f.name);
      };
      await vi.waitFor(async () => expect(await fields()).toContain('note'), POLL);
      const accepted = subscribeWs(gateway.url, WITH_NOTE);
      open.push(accepted);
      await vi.waitFor(() => expect(upstream()).toBe(2), POLL);
      productFeed.publish({ productId: 'p1', version: 1, note: 'hello' });
      await vi.waitFor(
        () => expect(accepted.events).toEqual([{ data: { productChanged: { version: 1, note: 'hello' } } }]),
        POLL,
      );
      await vi.waitFor(() => expect(running.events).toEqual([{ data: { productChanged: { version: 1 } } }]), POLL);
    } finally {
      await older.remove();
    }
  });
});

describe('gateway shutdown', () => {
  it('closes WebSockets with 1001, completes SSE streams and closes upstream subscriptions', async () => {
    const gateway = await gatewayWith({});
    const token = await tokens.sign();
    const sub = subscribeWs(gateway.url, CHANGED, { connectionParams: bearer(token) });
    const sse = await subscribeSse(gateway.url, CHANGED, { headers: bearer(token) });
    await vi.waitFor(
      async () => expect(await metricValue(gateway.url, 'phub_gateway_subscriptions_active')).toBe(2),
      POLL,
    );
    await gateways.pop()?.stop();
    await vi.waitFor(() => expect(sub.closed).toEqual({ code: CloseCode.GOING_AWAY, reason: 'Going away' }), POLL);
    await sse.ended;
    expect(sse.kinds).toEqual(['complete']);
    await vi.waitFor(() => expect(upstream()).toBe(0), POLL);
  });
});
