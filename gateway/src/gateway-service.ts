import { ApolloGateway } from '@apollo/gateway';
import { Schema } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import {
  authenticate,
  ErrorCode,
  graphqlError,
  type Viewer,
  systemClock,
  type Clock,
  HttpApp,
  metricsPlugin,
  queryLimitsFromEnv,
  type Logger,
  type Service,
  type TokenVerifier,
} from '@phub/kit/edge';
import cors from 'cors';
import type express from 'express';
import type { GraphQLSchema } from 'graphql';
import { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { mountAuthProxy, mountMistProxy } from './auth-proxy.js';
import { apiSchemaOf, mountDocs } from './docs/docs-routes.js';
import { PUBLIC_SUPERGRAPH_FILE } from './public-contract.js';
import { corsOptions } from './cors.js';
import { InflightQueries } from './dedup.js';
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
import { UsageRecorder } from './rate-limit/usage.js';
import { mountStaticApp } from './static-apps.js';
import { TrustedDocuments, type PartnerRequest } from './trusted-documents.js';
import {
  createSubgraphAgent,
  createSubgraphFetcher,
  probeSubgraph,
  SubgraphDataSource,
  type SubgraphContext,
} from './subgraph-client.js';
import { SubscriptionService, subscriptionsOverHttpGuard, type PlanningEngine } from './subscriptions/index.js';
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

/**
 * The planner and schemas @apollo/gateway made of the supergraph it has just loaded (it sets them before it calls
 * onSchemaLoadOrUpdate), for subscriptions to plan with rather than build a second copy. Private fields of
 * @apollo/gateway 2.14: checked, and when a version has them no more, subscriptions build their own.
 */
export function planningEngineOf(gateway: ApolloGateway): PlanningEngine | undefined {
  const { queryPlanner, apiSchema, supergraphSchema } = gateway as unknown as Record<string, unknown>;
  const isGraphQLSchema = (value: unknown): value is GraphQLSchema =>
    typeof (value as GraphQLSchema | undefined)?.getQueryType === 'function';
  if (queryPlanner instanceof QueryPlanner && apiSchema instanceof Schema && isGraphQLSchema(supergraphSchema)) {
    return { planner: queryPlanner, api: apiSchema, supergraphSchema };
  }
  return undefined;
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
  /** Partner tokens are served this one: the public contract, planned over the same subgraphs. */
  private readonly publicApollo: ApolloServer<SubgraphContext>;
  private readonly publicSupergraphPath: string;
  private publicStarted = false;
  /** The contract's API schema as last loaded: what /docs documents. */
  private contractSchema?: GraphQLSchema;
  private readonly subscriptions: SubscriptionService;
  /** The data sources the gateway built, by subgraph name; subscriptions resolve entity fields through them. */
  private readonly dataSources = new Map<string, SubgraphDataSource>();
  private subgraphs: { name: string; url: string }[] = [];
  private started = false;
  private port?: number;
  private internalPort?: number;
  private readonly secret?: string;
  private readonly trusted: TrustedDocuments;
  /** Per-client usage, counted here and stored by auth. */
  private readonly usage: UsageRecorder;
  /** The gateway's own connection for rate limits (when it made one from REDIS_URL). */
  private readonly redis?: Redis;

  constructor(private readonly options: GatewayServiceOptions) {
    const { config, logger } = options;
    const { metrics } = this;
    this.supergraphPath = resolve(config.SUPERGRAPH_PATH);
    this.publicSupergraphPath = resolve(
      config.PUBLIC_SUPERGRAPH_PATH ?? join(dirname(this.supergraphPath), PUBLIC_SUPERGRAPH_FILE),
    );
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
          shareFetches: config.DEDUPLICATE_INFLIGHT_QUERIES,
        });
        this.dataSources.set(name, source);
        return source;
      },
      // Also in production: a file that does not validate must be refused, not half-applied.
      validateSupergraph: true,
      logger: logger.child({ component: 'apollo-gateway' }),
    });
    const limits = queryLimits(queryLimitsFromEnv(config));
    this.trusted = new TrustedDocuments({
      authBase: () => this.authBase(),
      agent: this.agent,
      timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
      secret: this.secret,
      mode: config.TRUSTED_DOCUMENTS,
    });
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
      admit: async (request, session) => {
        const outcome = await this.trusted.resolve(session.partnerClientId!, request as PartnerRequest).catch(() => ({
          error: {
            message: 'Trusted documents cannot be checked right now',
            extensions: { code: ErrorCode.UNAVAILABLE },
          },
        }));
        if ('query' in outcome) return { ...request, query: outcome.query };
        return { refused: { message: outcome.error.message, code: String(outcome.error.extensions.code) } };
      },
      execute: async ({ query, operationName, variables }, session) => {
        const server = session.partnerClientId ? this.publicApollo : this.apollo;
        const response = await server.executeOperation(
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
      this.subscriptions.updateSupergraph(coreSupergraphSdl, apiSchema, planningEngineOf(this.gateway));
    });
    this.usage = new UsageRecorder({
      authBase: () => this.authBase(),
      agent: this.agent,
      timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
      secret: this.secret,
      flushMs: config.PARTNER_USAGE_FLUSH_SECONDS * 1000,
      clock: options.clock ?? systemClock,
      logger,
      metrics,
    });
    const rateLimits = rateLimitPlugin({
      store: store ?? new MemoryRateLimitStore(policy),
      policy,
      metrics,
      logger,
      clock: options.clock ?? systemClock,
      defaultListSize: config.DEFAULT_LIST_SIZE,
      timeoutMs: config.RATE_LIMIT_TIMEOUT_MS,
      usage: (client, outcome, cost) => this.usage.record(client, outcome, cost),
    });
    this.publicApollo = this.buildPublicServer(fetcher, limits, rateLimits);
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
        rateLimits,
        ...limits.plugins,
      ],
    });
  }

  /**
   * The public contract's gateway: the same data sources' settings, its own supergraph file (hot reloaded
   * like the full one). Its API schema is the contract, so partners' documents are validated against it,
   * and introspected from it, before anything is planned.
   */
  private buildPublicServer(
    fetcher: ReturnType<typeof createSubgraphFetcher>,
    limits: ReturnType<typeof queryLimits>,
    rateLimits: ReturnType<typeof rateLimitPlugin>,
  ): ApolloServer<SubgraphContext> {
    const { config, logger, metrics } = { ...this.options, metrics: this.metrics };
    const gateway = new ApolloGateway({
      supergraphSdl: new SupergraphFile({
        path: this.publicSupergraphPath,
        debounceMs: config.SUPERGRAPH_RELOAD_DEBOUNCE_MS,
        logger: logger.child({ supergraph: 'public' }),
        metrics,
      }),
      buildService: ({ name, url }) =>
        new SubgraphDataSource({
          name,
          url: this.subgraphUrl(name, url ?? ''),
          fetcher,
          metrics,
          logger,
          secret: this.secret,
          shareFetches: config.DEDUPLICATE_INFLIGHT_QUERIES,
        }),
      validateSupergraph: true,
      logger: logger.child({ component: 'apollo-gateway', supergraph: 'public' }),
    });
    gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      this.subscriptions.updateContract(apiSchema);
      try {
        this.contractSchema = apiSchemaOf(coreSupergraphSdl);
      } catch (err) {
        // The gateway accepted this contract; docs that cannot be made of it keep the last ones.
        logger.error({ err: (err as Error).message }, 'docs could not be made of the public contract');
      }
    });
    return new ApolloServer<SubgraphContext>({
      gateway,
      logger,
      formatError: (formatted, error) => formatGatewayError(formatted, error),
      // The contract is what partners build against (and what /docs shows): introspectable everywhere.
      introspection: true,
      includeStacktraceInErrorResponses: false,
      stopOnTerminationSignals: false,
      validationRules: limits.validationRules,
      parseOptions: limits.parseOptions,
      allowBatchedHttpRequests: limits.allowBatchedHttpRequests,
      // Partners run trusted documents (resolved before Apollo sees the request), never APQ.
      persistedQueries: false,
      plugins: [metricsPlugin(metrics), subscriptionsOverHttpGuard(), rateLimits, ...limits.plugins],
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
    if (existsSync(this.publicSupergraphPath)) {
      try {
        await this.publicApollo.start();
        this.publicStarted = true;
      } catch (err) {
        await this.apollo.stop();
        const reason = (err as Error).message;
        throw new Error(`Gateway could not start from contract ${this.publicSupergraphPath}: ${reason}`, {
          cause: err,
        });
      }
    } else {
      // Partner tokens are refused (never served the full graph) until there is one; everyone else is served.
      logger[config.NODE_ENV === 'production' ? 'error' : 'warn'](
        { path: this.publicSupergraphPath },
        'no public contract (run pnpm compose): partner tokens are refused',
      );
    }
    this.started = true;
    this.usage.start();
    // Before `/graphql`, which would take this path as its own.
    http.app.use(
      '/graphql/stream',
      cors(corsOptions(config.CORS_ORIGINS, config.NODE_ENV)),
      http.jsonBody(),
      this.subscriptions.sse(),
    );
    const context = async ({ req, res }: { req: express.Request; res: express.Response }) => {
      const authorization = req.header('authorization');
      // Verified once, by the router below; a token that failed there fails here with its error.
      const viewer = (res.locals.viewer as Viewer | null | undefined) ?? (await verify(authorization));
      // The address per our own TRUST_PROXY; the client's X-Forwarded-For is never passed on.
      return {
        requestId: req.id,
        authorization,
        forwardedFor: req.ip ?? req.socket.remoteAddress ?? '',
        partnerClientId: viewer?.kind === 'partner' ? viewer.subject : undefined,
      };
    };
    const verify = async (authorization: string | undefined) =>
      options.verifier ? authenticate({ headers: { authorization } }, options.verifier) : null;
    const fullGraph = expressMiddleware(this.apollo, { context });
    const inflight = config.DEDUPLICATE_INFLIGHT_QUERIES
      ? new InflightQueries(() => this.metrics.deduplicatedRequests.inc())
      : undefined;
    // Without a contract at start-up there is no public graph until a restart (partners are refused meanwhile).
    const publicGraph = this.publicStarted ? expressMiddleware(this.publicApollo, { context }) : undefined;
    http.app.use(
      '/graphql',
      cors(corsOptions(config.CORS_ORIGINS, config.NODE_ENV)),
      http.jsonBody(),
      async (req, res, next) => {
        res.locals.viewer = await verify(req.header('authorization')).catch(() => undefined);
        const viewer = res.locals.viewer as Viewer | null | undefined;
        if (viewer?.kind !== 'partner') {
          const key = inflight?.keyOf(req);
          return key ? inflight!.serve(key, req, res, this.apollo, context) : fullGraph(req, res, next);
        }
        if (!this.publicStarted || !publicGraph) {
          res.status(503).json(graphqlError(ErrorCode.UNAVAILABLE, 'The public graph is not available yet'));
          return;
        }
        if (req.method !== 'POST') {
          if (this.trusted.mode === 'any') return publicGraph(req, res, next);
          res.status(405).json(graphqlError('OPERATION_NOT_ALLOWED', 'Partners POST their operations'));
          return;
        }
        const body = (req.body ?? {}) as PartnerRequest & Record<string, unknown>;
        let outcome;
        try {
          outcome = await this.trusted.resolve(viewer.subject, body);
        } catch (err) {
          req.log.warn({ err: (err as Error).message }, 'trusted documents unavailable');
          res.status(503).json(graphqlError(ErrorCode.UNAVAILABLE, 'Trusted documents cannot be checked right now'));
          return;
        }
        if ('error' in outcome) {
          const { message, extensions } = outcome.error;
          res
            .status((extensions.http as { status: number }).status)
            .json(graphqlError(String(extensions.code), message));
          return;
        }
        // Apollo sees the registered text; the id and APQ's extension (unsupported here) are done with.
        const { documentId: _id, extensions, ...rest } = body;
        const { persistedQuery: _apq, ...otherExtensions } = (extensions ?? {}) as Record<string, unknown>;
        req.body = { ...rest, query: outcome.query, extensions: otherExtensions };
        return publicGraph(req, res, next);
      },
    );
    // Partners authenticate and fetch the verification keys on the graph's own host.
    mountAuthProxy(http.app, {
      authBase: () => this.authBase(),
      agent: this.agent,
      timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
      secret: this.secret,
      logger,
    });
    // Mist's zone and location webhooks, passed to the proximity subgraph (which verifies their signatures).
    mountMistProxy(http.app, {
      proximityBase: () => this.subgraphBase('proximity'),
      agent: this.agent,
      timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
      secret: this.secret,
      logger,
    });
    // The developer page, generated from the contract partners are served.
    mountDocs(http.app, { contract: () => this.contractSchema, assetSources: config.CSP_ASSET_SOURCES });
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
    for (const [prefix, dir] of Object.entries(options.staticApps ?? {})) {
      mountStaticApp(http.app, prefix, dir, config.CSP_ASSET_SOURCES);
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
      if (this.publicStarted) {
        this.publicStarted = false;
        await this.publicApollo.stop();
      }
      await this.apollo.stop(); // drains HTTP, then stops the gateway, whose cleanup closes the watcher
      // After the drain, so the last requests are in it; before the agent goes, which it sends with.
      await this.usage.stop();
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

  /** The auth subgraph's base URL (no `/graphql`), once a supergraph names it. */
  private authBase(): string | undefined {
    return this.subgraphBase('auth');
  }

  /** A subgraph's base URL (no `/graphql`), once a supergraph names it. */
  private subgraphBase(name: string): string | undefined {
    return this.subgraphs.find((s) => s.name === name)?.url.replace(/\/graphql$/, '');
  }

  private subgraphUrl(name: string, supergraphUrl: string): string {
    const { subgraphUrls = {}, config } = this.options;
    return subgraphUrls[name] ?? config.SUBGRAPH_URLS[subgraphUrlKey(name)] ?? supergraphUrl;
  }
}
