import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayService } from './index.js';
import {
  buildProductsSchema,
  buildReviewsSchema,
  composeSupergraph,
  postGraphQL,
  startGateway,
  SupergraphFixture,
  TestSubgraph,
} from './testing/index.js';

describe('smoke', () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;
  let gateway: GatewayService;
  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    file = await SupergraphFixture.create(await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]));
    gateway = await startGateway(file.path, { SUBGRAPH_TIMEOUT_MS: '1000', LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await gateway?.stop();
    await products?.stop();
    await reviews?.stop();
    await file?.remove();
  });
  it('works', async () => {
    const res = await postGraphQL(gateway.url, '{ products { id name reviews { body } } }', { headers: { authorization: 'Bearer x' } });
    console.warn(JSON.stringify(res.body));
    const t = Date.now();
    const res2 = await postGraphQL(gateway.url, '{ products { id name slowReviews(ms: 3000) { body } } }');
    console.warn(Date.now() - t, JSON.stringify(res2.body));
    await reviews.stop();
    const res3 = await postGraphQL(gateway.url, '{ products { id name reviews { body } } }');
    console.warn(JSON.stringify(res3.body));
    await reviews.start();
    const res4 = await postGraphQL(gateway.url, '{ products { id name reviews { body } } }');
    console.warn(JSON.stringify(res4.body));
    const res5 = await postGraphQL(gateway.url, '{ product { id } }');
    console.warn(JSON.stringify(res5.body));
    const res6 = await postGraphQL(gateway.url, `{ products { ${'id '.repeat(2100)} } }`);
    console.warn(res6.status, JSON.stringify(res6.body));
    expect(res.status).toBe(200);
  });
});
