import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayService } from './index.js';
import {
  buildProductsSchema,
  buildReviewsSchema,
  composeSupergraph,
  POLL,
  postGraphQL,
  slowCalls,
  startGateway,
  SupergraphFixture,
  TestSubgraph,
} from './testing/index.js';

const SLOW = (ms: number) => `{ products { id slowReviews(ms: ${ms}) { stars } } }`;

describe(`${GatewayService.name}.stop`, () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    file = await SupergraphFixture.create(await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]));
  });

  afterAll(async () => {
    await Promise.all([products?.stop(), reviews?.stop()]);
    await file?.remove();
  });

  // fs.watch handles; the gateway holds one for the supergraph folder while it runs.
  const watchers = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;

  it('lets a request in flight finish, then stops listening and watching', async () => {
    const before = watchers();
    const gateway = await startGateway(file.path);
    expect(watchers()).toBe(before + 1);
    const url = gateway.url;
    const order: string[] = [];
    const pending = postGraphQL(url, SLOW(500)).then((res) => {
      order.push('response');
      return res;
    });
    await vi.waitFor(() => expect(slowCalls.active).toBeGreaterThan(0), POLL);

    await gateway.stop();
    order.push('stopped');

    const res = await pending;
    expect(res.body).toEqual({
      data: {
        products: [
          { id: 'p1', slowReviews: [{ stars: 5 }] },
          { id: 'p2', slowReviews: [{ stars: 2 }] },
        ],
      },
    });
    expect(order).toEqual(['response', 'stopped']);
    await expect(postGraphQL(url, '{ products { id } }')).rejects.toThrow();
    expect(watchers()).toBe(before);
  });

  it('does not wait longer than SHUTDOWN_TIMEOUT_MS for requests still running', async () => {
    const gateway = await startGateway(file.path, { SHUTDOWN_TIMEOUT_MS: '200' });
    const pending = postGraphQL(gateway.url, SLOW(10_000)).catch((err: unknown) => err);
    await vi.waitFor(() => expect(slowCalls.active).toBeGreaterThan(0), POLL);

    const started = performance.now();
    await gateway.stop();
    // Far below the subgraph's 10 s: the gateway cut the request instead of waiting for it.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
