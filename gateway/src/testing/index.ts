export { buildProductsSchema, PRODUCTS } from './products.subgraph.js';
export { productFeed, ProductFeed, type ProductChangeEvent } from './product-feed.js';
export { buildReviewsSchema } from './reviews.subgraph.js';
export {
  composePublicSupergraph,
  composeSupergraph,
  slowCalls,
  TestSubgraph,
  type ComposeInput,
} from './test-subgraph.js';
export {
  codes,
  metricLines,
  metricValue,
  POLL,
  postGraphQL,
  startGateway,
  SupergraphFixture,
  type GraphQLResponse,
} from './gateway-fixture.js';
export {
  subscribeSse,
  subscribeWs,
  wsClient,
  wsUrl,
  type SseSubscription,
  type WsClient,
  type WsSubscription,
} from './subscription-client.js';
export { TestTokens } from './tokens.js';
