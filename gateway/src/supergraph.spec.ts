import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatewayService } from './index.js';
import { SupergraphFile } from './supergraph.js';
import {
  buildProductsSchema,
  buildReviewsSchema,
  codes,
  composeSupergraph,
  POLL,
  postGraphQL,
  startGateway,
  SupergraphFixture,
  TestSubgraph,
} from './testing/index.js';

const SPANNING = '{ products { id name reviews { stars } } }';
const WITH_SKU = '{ products { id sku } }';

describe(SupergraphFile.name, () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;
  let gateway: GatewayService;
  let v2: string;

  const rejected = async () => {
    const text = await (await fetch(gateway.url.replace(/graphql$/, 'metrics'))).text();
    const line = text.split('\n').find((l) => l.startsWith('phub_gateway_supergraph_reloads_total{outcome="rejected"'));
    return Number(line?.split(' ').pop() ?? 0);
  };

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    // v1 is the graph before products shipped `Product.sku`; v2 adds it.
    const v1 = await composeSupergraph([{ subgraph: products, omit: ['Product.sku'] }, { subgraph: reviews }]);
    v2 = await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]);
    file = await SupergraphFixture.create(v1);
    gateway = await startGateway(file.path, { SUPERGRAPH_RELOAD_DEBOUNCE_MS: '20' });
  });

  afterAll(async () => {
    await gateway?.stop();
    await Promise.all([products?.stop(), reviews?.stop()]);
    await file?.remove();
  });

  const skuServed = async () => expect((await postGraphQL(gateway.url, WITH_SKU)).body.errors).toBeUndefined();

  it('picks up a new composition while a steady stream of requests never fails', async () => {
    expect(codes(await postGraphQL(gateway.url, WITH_SKU))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    let running = true;
    let sent = 0;
    const failures: unknown[] = [];
    const stream = async () => {
      while (running) {
        const res = await postGraphQL(gateway.url, SPANNING).catch((err: Error) => err);
        sent++;
        if (res instanceof Error || res.status !== 200 || res.body.errors) failures.push(res);
      }
    };
    const streams = [stream(), stream(), stream()];
    try {
      await vi.waitFor(() => expect(sent).toBeGreaterThan(10), POLL);
      await file.write(v2);
      await vi.waitFor(skuServed, POLL);
      const afterReload = sent;
      await vi.waitFor(() => expect(sent).toBeGreaterThan(afterReload + 10), POLL);
    } finally {
      running = false;
      await Promise.all(streams);
    }
    expect(failures).toEqual([]);
    expect((await postGraphQL(gateway.url, WITH_SKU)).body.data).toEqual({
      products: [
        { id: 'p1', sku: 'SKU-1' },
        { id: 'p2', sku: 'SKU-2' },
      ],
    });
  });

  it.each([
    { content: 'not GraphQL', sdl: () => 'type Query {' },
    { content: 'half a file, as a crashed writer leaves it', sdl: () => v2.slice(0, v2.length / 2) },
    { content: 'a supergraph missing a type', sdl: () => v2.replace(/type Review\b[^}]*}/, '') },
    { content: 'an empty file', sdl: () => '' },
  ])('ignores $content and keeps serving the previous supergraph', async ({ sdl }) => {
    await file.write(v2); // already served, unless the test above failed
    await vi.waitFor(skuServed, POLL);
    const before = await rejected();
    await file.write(sdl());
    await vi.waitFor(async () => expect(await rejected()).toBeGreaterThan(before), POLL);
    const res = await postGraphQL(gateway.url, `{ products { sku reviews { stars } } }`);
    expect(res.body).toEqual({
      data: {
        products: [
          { sku: 'SKU-1', reviews: [{ stars: 5 }] },
          { sku: 'SKU-2', reviews: [{ stars: 2 }] },
        ],
      },
    });
  });

  it('refuses to start from a supergraph file that does not exist', async () => {
    await expect(startGateway(`${file.dir}/missing.graphql`)).rejects.toThrow(/Cannot read the supergraph: ENOENT/);
  });

  it('refuses to start from a supergraph that does not build', async () => {
    const broken = await SupergraphFixture.create('type Query {');
    try {
      await expect(startGateway(broken.path)).rejects.toThrow(/could not start from supergraph .*Syntax Error/);
    } finally {
      await broken.remove();
    }
  });
});
