// The products and reviews test subgraphs in their own process, publishing on request.
import { setMaxListeners } from 'node:events';
import { now, serve, statsHandlers } from './ipc.js';

// Every direct subscriber listens on the feed's one EventTarget; thousands are the point here.
setMaxListeners(0);
const { buildProductsSchema, buildReviewsSchema, composeSupergraph, productFeed, SupergraphFixture, TestSubgraph } =
  await import('../../gateway/src/testing/index.js');

const products = await new TestSubgraph('products', await buildProductsSchema()).start();
const reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
const supergraph = await SupergraphFixture.create(
  await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]),
);

serve({
  info: () => ({ products: products.url, supergraphPath: supergraph.path }),
  subscribers: () => productFeed.subscribers('p1'),
  publish: (args: { version: number }) =>
    productFeed.publish({ productId: 'p1', version: args.version, publishedAt: now() }),
  ...statsHandlers,
  cleanup: () => supergraph.remove(),
});
