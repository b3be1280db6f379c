// The gateway alone in its process (so its CPU and memory are its own), verifying tokens.
import { createGatewayService } from '../../gateway/src/index.js';
import { TestTokens } from '../../gateway/src/testing/tokens.js';
import { serve, statsHandlers } from './ipc.js';

const tokens = await TestTokens.create();
const gateway = createGatewayService({
  env: {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    SUPERGRAPH_PATH: process.env.BENCH_SUPERGRAPH_PATH,
    SUBSCRIPTION_QUEUE_LIMIT: process.env.SUBSCRIPTION_QUEUE_LIMIT,
    DEDUPLICATE_INFLIGHT_QUERIES: process.env.DEDUPLICATE_INFLIGHT_QUERIES,
    SUBSCRIPTION_UPSTREAM_SOCKETS: process.env.SUBSCRIPTION_UPSTREAM_SOCKETS,
    // bench/gateway-public: the public benchmark's query is estimated above the default cost limit.
    MAX_QUERY_COST: process.env.MAX_QUERY_COST,
  },
  port: 0,
  host: '127.0.0.1',
  verifier: tokens.verifier,
});
await gateway.start();
const token = await tokens.sign({ expiresIn: 600 });

const gauge = async (metric: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);

serve({
  info: () => ({ url: gateway.url, token }),
  /** One token per subscriber (another subject each), so nothing can be shared. */
  tokens: (args: { count: number }) =>
    Promise.all(Array.from({ length: args.count }, (_, i) => tokens.sign({ expiresIn: 600, subject: `user-${i}` }))),
  /** Subgraph fetches made so far (bench/gateway: fetches per request). */
  fetches: async () =>
    (await gateway.metrics.subgraphFetch.get()).values
      .filter((v) => v.metricName?.endsWith('_count'))
      .reduce((sum, v) => sum + v.value, 0),
  counts: async () => ({
    active: await gauge(gateway.metrics.subscriptionsActive),
    upstreams: await gauge(gateway.metrics.subscriptionUpstreams),
    connections: await gauge(gateway.metrics.subscriptionUpstreamConnections),
  }),
  /** Ends the process normally (after answering), so that `--cpu-prof` writes its profile. */
  exit: () => {
    setTimeout(() => process.exit(0), 50);
    return true;
  },
  ...statsHandlers,
});
