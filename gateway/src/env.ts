import {
  MIN_GATEWAY_SECRET_LENGTH,
  optionalString,
  parseEnv,
  port,
  queryLimitsEnvSchema,
  sharedEnvSchema,
} from '@phub/kit/edge';
import { z } from 'zod';

/** `SUBGRAPH_<NAME>_URL` overrides the URL the supergraph gives subgraph `<name>`. */
const SUBGRAPH_URL_KEY = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;

const httpUrl = z.url({ protocol: /^https?$/ });
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const fields = {
  ...sharedEnvSchema.pick({ NODE_ENV: true, LOG_LEVEL: true, SHUTDOWN_TIMEOUT_MS: true }).shape,
  PORT: port(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Relative paths are resolved from the working directory (the repo root in dev and in the image). */
  SUPERGRAPH_PATH: z.string().min(1).default('schema/supergraph.graphql'),
  /** The partners' public contract supergraph; unset: `public-supergraph.graphql` beside SUPERGRAPH_PATH. */
  PUBLIC_SUPERGRAPH_PATH: optionalString,
  /** Editors and `compose` write in several steps; wait for quiet before reloading. */
  SUPERGRAPH_RELOAD_DEBOUNCE_MS: z.coerce.number().int().min(0).default(250),
  SUBGRAPH_TIMEOUT_MS: positiveInt(10_000),
  // MAX_QUERY_DEPTH, MAX_ALIASES, MAX_TOKENS, MAX_DIRECTIVES, MAX_QUERY_COST, DEFAULT_LIST_SIZE, MAX_BODY_BYTES:
  // the same variables and defaults subgraphs read, so both sides refuse the same documents.
  ...queryLimitsEnvSchema.shape,
  /** Sent on every subgraph request; subgraphs refuse calls without it. Required by split targets. */
  SUBGRAPH_SHARED_SECRET: optionalString.pipe(
    z.string().min(MIN_GATEWAY_SECRET_LENGTH, `must be at least ${MIN_GATEWAY_SECRET_LENGTH} characters`).optional(),
  ),
  /**
   * Express `trust proxy` for the load balancer in front of the gateway: unset trusts nobody, so
   * the client address is the socket's; a hop count (`1`) or addresses / subnets of the balancer.
   */
  TRUST_PROXY: optionalString,
  /** Port of /metrics and the detailed /readyz; set (or production) keeps them off the public port. */
  METRICS_PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  /**
   * Where the web apps may load creatives from and upload them to (img, media, frame and connect
   * sources of their Content-Security-Policy), e.g. `https://cdn.example.com https://bucket.s3.amazonaws.com`.
   */
  CSP_ASSET_SOURCES: z.string().min(1).default('https: http:'),
  /** `*`, or a comma list of exact origins; unset: localhost origins in development, none otherwise. */
  CORS_ORIGINS: optionalString,
  /**
   * Identical queries in flight at once (same document, variables, token and client address) run once and share
   * the answer (src/dedup.ts), and so do identical subgraph fetches of different queries (src/subgraph-client.ts).
   * `false` runs every request and fetch on its own (benchmark baselines).
   */
  DEDUPLICATE_INFLIGHT_QUERIES: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Redis for partner rate limits, shared by every gateway replica; unset: buckets in this process (one gateway). */
  REDIS_URL: optionalString,
  // Partner rate limits (token buckets per API client, see src/rate-limit/): requests, and estimated query cost.
  PARTNER_RATE_LIMIT_REQUESTS: positiveInt(600),
  PARTNER_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  /** Objects (the cost MAX_QUERY_COST bounds per query) a client may ask for per window: its quota. */
  PARTNER_COST_LIMIT: positiveInt(200_000),
  PARTNER_COST_WINDOW_SECONDS: positiveInt(3600),
  /** How often per-client usage (requests, errors, 429s, cost per hour) is added to auth's store. */
  PARTNER_USAGE_FLUSH_SECONDS: positiveInt(10),
  /** A rate limit store slower than this counts as down, and the request passes (fail open). */
  RATE_LIMIT_TIMEOUT_MS: positiveInt(250),
  /**
   * What partner tokens may run: `registered` (trusted documents of their client only; the default in
   * production) or `any` (development: explorers and experiments). First-party apps are never held to it.
   */
  TRUSTED_DOCUMENTS: z.enum(['registered', 'any']).optional(),
  // Subscriptions (graphql-ws on /graphql, SSE on /graphql/stream); see src/subscriptions/README.md.
  /** Events waiting for one slow subscriber before SUBSCRIPTION_OVERFLOW applies. */
  SUBSCRIPTION_QUEUE_LIMIT: positiveInt(100),
  /** `close`: end that subscription with SUBSCRIPTION_OVERFLOW; `drop-oldest`: skip the oldest queued events. */
  SUBSCRIPTION_OVERFLOW: z.enum(['close', 'drop-oldest']).default('close'),
  /** A WebSocket whose unsent bytes exceed this is closed with 1008 (the client stopped reading). */
  SUBSCRIPTION_MAX_BUFFERED_BYTES: positiveInt(1024 * 1024),
  SUBSCRIPTION_MAX_PER_CONNECTION: positiveInt(100),
  /** How often a live connection's token is verified again, so a revoked session ends within this time. */
  SUBSCRIPTION_REVERIFY_MS: positiveInt(30_000),
  /** Reconnects to a subgraph in a row before its subscribers get SUBGRAPH_UNAVAILABLE. */
  SUBSCRIPTION_UPSTREAM_RETRY_ATTEMPTS: positiveInt(20),
  /** Reconnect backoff: base × 2^attempt, at most the max, plus up to 50% random jitter. */
  SUBSCRIPTION_UPSTREAM_RETRY_BASE_MS: positiveInt(500),
  SUBSCRIPTION_UPSTREAM_RETRY_MAX_MS: positiveInt(10_000),
  /** Ping interval on subgraph sockets; a pong missing for as long again drops the socket and reconnects. */
  SUBSCRIPTION_UPSTREAM_KEEPALIVE_MS: positiveInt(10_000),
  /**
   * Sockets per subgraph that carry every client's subscriptions, each operation with its own client's token
   * (ten thousand players, a handful of sockets); 0 opens one socket per (subgraph, token) instead.
   */
  SUBSCRIPTION_UPSTREAM_SOCKETS: z.coerce.number().int().min(0).max(64).default(2),
};
type Fields = z.infer<z.ZodObject<typeof fields>>;

/** The gateway's configuration; every problem is reported together by `parseGatewayEnv`. */
export const gatewayEnvSchema = z
  // Loose so the `SUBGRAPH_<NAME>_URL` keys, which no fixed shape can name, reach the checks below.
  .looseObject(fields)
  .superRefine(
    (env, ctx) => {
      for (const [key, value] of Object.entries(env)) {
        if (SUBGRAPH_URL_KEY.test(key) && value !== '' && !httpUrl.safeParse(value).success) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'must be an http(s) URL' });
        }
      }
    },
    // Run even when other keys failed, so all problems are listed together.
    { when: () => true },
  )
  .transform((env) => {
    const known = Object.fromEntries(Object.keys(fields).map((key) => [key, env[key]])) as Fields;
    const TRUSTED_DOCUMENTS = known.TRUSTED_DOCUMENTS ?? (known.NODE_ENV === 'production' ? 'registered' : 'any');
    return { ...known, TRUSTED_DOCUMENTS, SUBGRAPH_URLS: subgraphUrlOverrides(env) };
  });

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

export function parseGatewayEnv(source: NodeJS.ProcessEnv = process.env): GatewayEnv {
  return parseEnv(gatewayEnvSchema, source);
}

/** The env key that overrides a subgraph's URL, e.g. `reviews` → `SUBGRAPH_REVIEWS_URL`. */
export function subgraphUrlKey(name: string): string {
  return `SUBGRAPH_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
}

/** Keyed by variable name (`SUBGRAPH_REVIEWS_URL`); `subgraphUrlKey(name)` finds a subgraph's. */
function subgraphUrlOverrides(env: Record<string, unknown>): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (SUBGRAPH_URL_KEY.test(key) && typeof value === 'string' && value !== '') urls[key] = value;
  }
  return urls;
}
