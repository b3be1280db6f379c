export { buildProductsSchema, PRODUCTS } from './products.subgraph.js';
export { buildReviewsSchema } from './reviews.subgraph.js';
export { composeSupergraph, slowCalls, TestSubgraph, type ComposeInput } from './test-subgraph.js';
export {
  codes,
  metricLines,
  POLL,
  postGraphQL,
  startGateway,
  SupergraphFixture,
  type GraphQLResponse,
} from './gateway-fixture.js';
