import { createLogger, type Clock, type Logger, type TokenVerifier } from '@phub/kit/edge';
import { parseGatewayEnv, type GatewayEnv } from './env.js';
import { GatewayService } from './gateway-service.js';
import type { RateLimitStore } from './rate-limit/rate-limiter.js';

export { gatewayEnvSchema, parseGatewayEnv, subgraphUrlKey, type GatewayEnv } from './env.js';
export { GatewayErrorCode } from './errors.js';
export { GatewayMetrics } from './metrics.js';
export { GatewayService } from './gateway-service.js';
export { composePublicContract, derivePublicTags, PUBLIC_SUPERGRAPH_FILE, PUBLIC_TAG } from './public-contract.js';
export {
  MemoryRateLimitStore,
  RedisRateLimitStore,
  type RateLimitPolicy,
  type RateLimitStore,
} from './rate-limit/rate-limiter.js';
export { CloseCode as SubscriptionCloseCode, SubscriptionErrorCode } from './subscriptions/index.js';

export interface CreateGatewayOptions {
  /** Variables to parse with `gatewayEnvSchema` (default `process.env`); ignored when `config` is given. */
  env?: NodeJS.ProcessEnv;
  /** An already parsed configuration, e.g. when one process parses every service's up front. */
  config?: GatewayEnv;
  logger?: Logger;
  /** Subgraph name → URL; wins over `SUBGRAPH_<NAME>_URL` and the supergraph's URLs. */
  subgraphUrls?: Record<string, string>;
  /** Win over `PORT` and `HOST`; `port: 0` picks a free port (see `service.url` after start). */
  port?: number;
  host?: string;
  /** Verifies access tokens at the edge; subgraphs verify again. */
  verifier?: TokenVerifier;
  /** Static web apps by URL prefix, served on the gateway's origin. */
  staticApps?: Record<string, string>;
  /** Wins over SUBGRAPH_SHARED_SECRET (the all-in-one process generates one). */
  subgraphSecret?: string;
  /** Wins over METRICS_PORT; `0` picks a free port (see `service.internalUrl`). */
  metricsPort?: number;
  /** Partner rate limit buckets; default Redis at REDIS_URL, else this process. */
  rateLimitStore?: RateLimitStore;
  /** Time for rate limits (tests move a ManualClock). */
  clock?: Clock;
}

/** Builds the gateway; configuration problems throw a `ConfigError` listing all of them. */
export function createGatewayService(options: CreateGatewayOptions = {}): GatewayService {
  const config = options.config ?? parseGatewayEnv(options.env);
  const logger = options.logger ?? createLogger('gateway', config.LOG_LEVEL);
  return new GatewayService({
    config,
    logger,
    subgraphUrls: options.subgraphUrls,
    port: options.port,
    host: options.host,
    verifier: options.verifier,
    staticApps: options.staticApps,
    subgraphSecret: options.subgraphSecret,
    metricsPort: options.metricsPort,
    rateLimitStore: options.rateLimitStore,
    clock: options.clock,
  });
}
