import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import {
  authenticate,
  systemClock,
  type Clock,
  HttpApp,
  metricsPlugin,
  queryLimitsFromEnv,
  type Logger,
  type Service,
  type TokenVerifier,
} from '@phub/kit';
import cors from 'cors';
import express from 'express';
import { Redis } from 'ioredis';
import { resolve } from 'node:path';
import { mountAuthProxy } from './auth-proxy.js';
import { corsOptions } from './cors.js';
import { subgraphUrlKey, type GatewayEnv } from './env.js';
import { formatGatewayError } from './errors.js';
import { queryLimits } from './limits.js';
import { GatewayMetrics } from './metrics.js';
import { rateLimitPlugin } from './rate-limit/rate-limit-plugin.js';
import {
  MemoryRateLimitStore,
  RedisRateLimitStore,
  type RateLimitPolicy,
  type RateLimitStore,
} from './rate-limit/rate-limiter.js';
import { securityHeaders } from './security-headers.js';
import {
  createSubgraphAgent,
  createSubgraphFetcher,
  probeSubgraph,
  SubgraphDataSource,
  type SubgraphContext,
} from './subgraph-client.js';
import { SubscriptionService, subscriptionsOverHttpGuard } from './subscriptions/index.js';
import { SupergraphFile, subgraphsOf } from './supergraph.js';

export interface GatewayServiceOptions {
  config: GatewayEnv;
  logger: Logger;
  /** Wins over `SUBGRAPH_<NAME>_URL` and the supergraph's own URLs. */
  subgraphUrls?: Record<string, string>;
  /** Win over `PORT` / `HOST`; `port: 0` picks a free port. */
  port?: number;
  host?: string;
  /**
   * Verifies access tokens before any subgraph is called: a bad, expired or revoked token is
   * UNAUTHENTICATED here; a request without one goes on (subgraphs decide, e.g. `login`).
   */
  verifier?: TokenVerifier;
  /** Static web apps served beside the graph, by URL prefix (e.g. `/player` → the player's build). */
  staticApps?: Record<string, string>;
  /** Wins over SUBGRAPH_SHARED_SECRET: the all-in-one process generates one for its gateway and subgraphs. */
  subgraphSecret?: string;
  /** Wins over METRICS_PORT (`0` picks a free port). */
  metricsPort?: number;
  /** Partner rate limit buckets; default Redis at REDIS_URL, else this process. */
  rateLimitStore?: RateLimitStore;
  clock?: Clock;
}

/** Prometheus' conventional exporter range; k8s scrapes it on the pod, the load balancer never sees it. */
const DEFAULT_METRICS_PORT = 9464;

/** TRUST_PROXY as express reads it: unset trusts nobody, digits are a hop count, anything else addresses. */
function trustProxySetting(value: string | undefined): string | number | boolean {
  if (value === undefined || value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** The one GraphQL endpoint clients see: plans each query over the subgraphs named by the supergraph. */
export class GatewayService implements Service {
  readonly name = 'gateway';
  readonly metrics = new GatewayMetrics();
  private readonly http: HttpApp;
  private readonly agent = createSubgraphAgent();
  private readonly gateway: ApolloGateway;
  private readonly apollo: ApolloServer<SubgraphContext>;
  private readonly supergraphPath: string;
  private readonly subscriptions: SubscriptionService;
  /** The data sources the gateway built, by subgraph name; subscriptions resolve entity fields through them. */
  private readonly dataSources = new Map<string, SubgraphDataSource>();
  private subgraphs: { name: string; url: string }[] = [];
  private started = false;
  private port?: number;
  private internalPort?: number;
  private readonly secret?: string;
  /** The gateway's own connection for rate limits (when it made one from REDIS_URL). */
  private readonly redis?: Redis;

  constructor(private readonly options: GatewayServiceOptions) {
    const { config, logger } = options;
    const { metrics } = this;
    this.supergraphPath = resolve(config.SUPERGRAPH_PATH);
    this.secret = options.subgraphSecret ?? config.SUBGRAPH_SHARED_SECRET;
    this.http = new HttpApp({
      logger,
      metrics,
      bodyLimit: String(config.MAX_BODY_BYTES),
      readiness: [{ name: 'supergraph', check: async () => this.assertLoaded() }],
      // Default: trust nobody; the client address is the socket's unless a balancer is configured.
      trustProxy: trustProxySetting(config.TRUST_PROXY),
      internalOps: this.internalOps,
    });
    // @apollo/gateway sends anonymous usage data to Apollo every hour and on stop unless this is set;
    // our deployments have no business talking to a third party (and stop() would wait on it offline).
    process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
    const fetcher = createSubgraphFetcher(this.agent, config.SUBGRAPH_TIMEOUT_MS);
    this.gateway = new ApolloGateway({
      supergraphSdl: new SupergraphFile({
        path: this.supergraphPath,
        debounceMs: config.SUPERGRAPH_RELOAD_DEBOUNCE_MS,
        logger,
        metrics,
      }),
      buildService: ({ name, url }) => {
        const source = new SubgraphDataSource({
          name,
          url: this.subgraphUrl(name, url ?? ''),
          fetcher,
          metrics,
          logger,
          secret: this.secret,
        });
        this.dataSources.set(name, source);
        return source;
      },
      // Also in production: a file that does not validate must be refused, not half-applied.
      validateSupergraph: true,
      logger: logger.child({ component: 'apollo-gateway' }),
    });
    const limits = queryLimits(queryLimitsFromEnv(config));
    const policy: RateLimitPolicy = {
      requests: { limit: config.PARTNER_RATE_LIMIT_REQUESTS, windowSeconds: config.PARTNER_RATE_LIMIT_WINDOW_SECONDS },
      cost: { limit: config.PARTNER_COST_LIMIT, windowSeconds: config.PARTNER_COST_WINDOW_SECONDS },
    };
    let store = options.rateLimitStore;
    if (!store && config.REDIS_URL) {
      // No offline queue and one try: while Redis is away a check fails at once and the request passes.
      this.redis = new Redis(config.REDIS_URL, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
      });
      this.redis.on('error', () => undefined); // reported by the rate limiter's metric and log, not per reconnect
      store = new RedisRateLimitStore(this.redis, policy);
    }
    this.subscriptions = new SubscriptionService({
      config,
      logger,
      metrics,
      verifier: options.verifier,
      limits,
      secret: this.secret,
      clientAddress: (request) => this.http.clientAddressOf(request),
      services: () => Object.fromEntries(this.dataSources),
      subgraphUrl: (name, url) => this.subgraphUrl(name, url),
      execute: async ({ query, operationName, variables }, session) => {
        const response = await this.apollo.executeOperation(
          { query, operationName: operationName ?? undefined, variables: variables ?? undefined },
          { contextValue: session },
        );
        if (response.body.kind === 'single') return response.body.singleResult;
        return {
          errors: [{ message: 'Incremental delivery is not supported here', extensions: { code: 'BAD_REQUEST' } }],
        };
      },
    });
    this.gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl, apiSchema }) => {
      this.subgraphs = subgraphsOf(coreSupergraphSdl).map(({ name, url }) => ({
        name,
        url: this.subgraphUrl(name, url),
      }));
      this.subscriptions.updateSupergraph(coreSupergraphSdl, apiSchema);
    });
    this.apollo = new ApolloServer<SubgraphContext>({
      gateway: this.gateway,
      logger,
      formatError: (formatted, error) => {
        const result = formatGatewayError(formatted, error);
        // A subgraph's internal errors were logged by that subgraph; log only the gateway's own.
        if (result.extensions?.code === 'INTERNAL_SERVER_ERROR' && !formatted.extensions?.serviceName) {
          logger.error({ err: error }, 'unexpected error');
        }
        return result;
      },
      // From our config rather than Apollo's own reading of process.env.NODE_ENV.
      introspection: config.NODE_ENV !== 'production',
      includeStacktraceInErrorResponses: false,
      // The binary owns SIGTERM/SIGINT and stops services in order; Apollo's own handlers would race it.
      stopOnTerminationSignals: false,
      validationRules: limits.validationRules,
      parseOptions: limits.parseOptions,
      allowBatchedHttpRequests: limits.allowBatchedHttpRequests,
      plugins: [
        // Lets in-flight requests finish on stop(), then cuts what is left after the shutdown timeout.
        ApolloServerPluginDrainHttpServer({
          httpServer: this.http.server,
          stopGracePeriodMillis: config.SHUTDOWN_TIMEOUT_MS,
        }),
        metricsPlugin(metrics),
        subscriptionsOverHttpGuard(),
        rateLimitPlugin({
          store: store ?? new MemoryRateLimitStore(policy),
          policy,
          metrics,
          logger,
          clock: options.clock ?? systemClock,
          defaultListSize: config.DEFAULT_LIST_SIZE,
          timeoutMs: config.RATE_LIMIT_TIMEOUT_MS,
        }),
        ...limits.plugins,
      ],
    });
  }

  get url(): string {
    if (this.port === undefined) throw new Error('gateway is not listening');
    const host = this.options.host ?? this.options.config.HOST;
    const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return `http://${reachable}:${this.port}/graphql`;
  }

  async start(): Promise<void> {
    const { http, options } = this;
    const { config, logger } = options;
    // Not awaited for long: Redis being down must not keep the graph from starting (limits fail open).
    await this.redis
      ?.connect()
      .catch((err: Error) => logger.warn({ err: err.message }, 'rate limit Redis unreachable'));
    try {
      await this.apollo.start();
    } catch (err) {
      const reason = (err as Error).message;
      throw new Error(`Gateway could not start from supergraph ${this.supergraphPath}: ${reason}`, { cause: err });
    }
    this.started = true;
    // Before `/graphql`, which would take this path as its own.
    http.app.use(
      '/graphql/stream',
      cors(corsOptions(config.CORS_ORIGINS, config.NODE_ENV)),
      http.jsonBody(),
      this.subscriptions.sse(),
    );
    http.app.use(
      '/graphql',
      cors(corsOptions(config.CORS_ORIGINS, config.NODE_ENV)),
      http.jsonBody(),
      expressMiddleware(this.apollo, {
        context: async ({ req }) => {
          const authorization = req.header('authorization');
          const viewer = options.verifier ? await authenticate({ headers: { authorization } }, options.verifier) : null;
          // The address per our own TRUST_PROXY; the client's X-Forwarded-For is never passed on.
          return {
            requestId: req.id,
            authorization,
            forwardedFor: req.ip ?? req.socket.remoteAddress ?? '',
            partnerClientId: viewer?.kind === 'partner' ? viewer.subject : undefined,
          };
        },
      }),
    );
    // Partners authenticate and fetch the verification keys on the graph's own host.
    mountAuthProxy(http.app, {
      authBase: () => this.subgraphs.find((s) => s.name === 'auth')?.url.replace(/\/graphql$/, ''),
      agent: this.agent,
      timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
      secret: this.secret,
      logger,
    });
    // Information only: /readyz does not fail because one subgraph is down. The gateway still
    // answers every query that avoids it (and partial data for the rest); failing readiness would
    // pull every gateway replica out of the load balancer and turn one outage into a total one.
    http.internalApp.get('/readyz/subgraphs', async (_req, res) => {
      const timeoutMs = Math.min(2_000, config.SUBGRAPH_TIMEOUT_MS);
      const subgraphs = await Promise.all(
        this.subgraphs.map(({ name, url }) => probeSubgraph(name, url, this.agent, timeoutMs, this.secret)),
      );
      res.json({ status: subgraphs.every((s) => s.reachable) ? 'ok' : 'degraded', subgraphs });
    });
    // Same origin as /graphql, so the apps need no CORS and find the graph at /graphql.
    for (const [prefix, dir] of Object.entries(options.staticApps ?? {})) {
      http.app.use(prefix, securityHeaders({ assetSources: config.CSP_ASSET_SOURCES }));
      http.app.use(prefix, express.static(dir, { index: 'index.html', fallthrough: true }));
      // Single-page apps route on the client: a deep link (/hq/campaigns/42) gets the app's index.html.
      // Paths that look like files (a dot in the last segment) stay 404s, so a missing asset is not HTML.
      http.app.get(`${prefix}/*rest`, (req, res, next) => {
        if (/\.[^/]*$/.test(req.path) || !req.accepts('html')) return next();
        res.sendFile('index.html', { root: dir, headers: { 'cache-control': 'no-cache' } }, (err) => err && next());
      });
    }
    http.app.use(http.errorHandler());
    this.subscriptions.attach(http.server);
    this.port = await http.listen(options.port ?? config.PORT, options.host ?? config.HOST);
    if (this.internalOps) {
      this.internalPort = await http.listenInternal(
        options.metricsPort ?? config.METRICS_PORT ?? DEFAULT_METRICS_PORT,
        options.host ?? config.HOST,
      );
    }
    logger.info(
      { port: this.port, metricsPort: this.internalPort, subgraphs: this.subgraphs.map((s) => s.name) },
      'gateway listening',
    );
  }

  /** Stops taking requests, lets in-flight ones finish (bounded), then stops the gateway and the file watcher. */
  async stop(): Promise<void> {
    if (this.started) {
      this.started = false;
      this.http.startDraining();
      // Long-lived streams first: the HTTP drain below waits for open connections.
      await this.subscriptions.stop();
      await this.apollo.stop(); // drains HTTP, then stops the gateway, whose cleanup closes the watcher
    }
    await this.http.closeInternal();
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis?.disconnect());
    // Whatever upstream fetch is still open belongs to a request the drain has already cut off.
    if (!this.agent.destroyed) await this.agent.destroy();
  }

  /** Where /metrics, the detailed /readyz and /readyz/subgraphs are served: a port of their own, or the public one. */
  get internalUrl(): string {
    if (this.internalPort === undefined) return this.url.replace(/\/graphql$/, '');
    return this.url.replace(/:\d+\/graphql$/, `:${this.internalPort}`);
  }

  /** In production (or with METRICS_PORT) the internals stay off the public port. */
  private get internalOps(): boolean {
    const { config } = this.options;
    return (
      this.options.metricsPort !== undefined || config.METRICS_PORT !== undefined || config.NODE_ENV === 'production'
    );
  }

  private assertLoaded(): void {
    if (!this.started || this.subgraphs.length === 0) throw new Error('no supergraph loaded');
  }

  private subgraphUrl(name: string, supergraphUrl: string): string {
    const { subgraphUrls = {}, config } = this.options;
    return subgraphUrls[name] ?? config.SUBGRAPH_URLS[subgraphUrlKey(name)] ?? supergraphUrl;
  }
}
