import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import {
  type GraphQLError,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { randomUUID } from 'node:crypto';
import { bearerToken } from './auth/authenticate.js';
import { systemClock, type Timer } from './clock.js';
import { DomainError, ErrorCode, formatError, withoutSuggestions } from './errors.js';
import { currentSubgraphEdge, type SubgraphEdge } from './gateway-trust.js';
import { HttpApp, type ReadinessCheck } from './http.js';
import { guardSubscription, inputGuardPlugin } from './input-guard.js';
import { apolloQueryLimits, estimateCost, queryTooCostly, shapeLimitRules } from './limits.js';
import type { Logger } from './logger.js';
import { operationLabel, type ServiceMetrics } from './metrics.js';

/** The code of a failed context (`authenticate` wraps the verifier's DomainError in a GraphQLError). */
function failureCode(err: unknown): unknown {
  if (err instanceof DomainError) return err.code;
  return (err as { extensions?: { code?: unknown } } | null)?.extensions?.code;
}

/** graphql-ws close codes, as the gateway uses them. */
const WS_UNAUTHORIZED = 4401;
const WS_TRY_AGAIN_LATER = 1013;
/** Close reasons are limited to 123 bytes by the WebSocket protocol. */
const closeReason = (text: string) => (Buffer.byteLength(text) <= 123 ? text : `${text.slice(0, 110)}…`);
/**
 * graphql-ws accepts onSubscribe errors only as instances of the graphql build Node resolves for it, and
 * executes with that build; a bundler (vitest) may give this file the other one (see input-guard.ts).
 */
const wsGraphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
const WsGraphQLError = wsGraphql.GraphQLError;

/** What a service needs to build its per-request context, for HTTP and WebSocket alike. */
export interface ContextInput {
  requestId: string;
  logger: Logger;
  headers: Record<string, string | undefined>;
  /** graphql-ws `connection_init` payload, for subscriptions */
  connectionParams?: Record<string, unknown>;
}

export interface GraphQLServerOptions<TContext extends object> {
  name: string;
  schema: GraphQLSchema;
  logger: Logger;
  metrics: ServiceMetrics;
  context: (input: ContextInput) => Promise<TContext> | TContext;
  readiness?: ReadinessCheck[];
  shutdownTimeoutMs?: number;
  bodyLimit?: string;
  /**
   * Who may call this server and what it refuses; default: what the binary configured for this
   * process (`configureSubgraphEdge`), else the environment (SUBGRAPH_SHARED_SECRET, MAX_*).
   */
  edge?: SubgraphEdge;
}

/** Records every operation's count and latency, labelled by type, name and outcome. */
export function metricsPlugin(metrics: ServiceMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let operationType = 'unknown';
      let operationName = 'anonymous';
      return {
        async didResolveOperation(ctx) {
          operationType = ctx.operation?.operation ?? 'unknown';
          operationName = operationLabel(ctx.operationName, metrics.operationNames);
        },
        async willSendResponse(ctx) {
          const body = ctx.response.body;
          const hasErrors =
            (body.kind === 'single' && (body.singleResult.errors?.length ?? 0) > 0) || ctx.errors !== undefined;
          const labels = {
            operation_type: operationType,
            operation_name: operationName,
            outcome: hasErrors ? 'error' : 'success',
          };
          metrics.graphqlOperations.inc(labels);
          metrics.graphqlDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}

/**
 * A subgraph's server: Apollo Server over HTTP and graphql-ws for subscriptions
 * on the same port and path, plus the shared health and metrics routes.
 */
export class GraphQLServer<TContext extends object> {
  readonly http: HttpApp;
  readonly edge: SubgraphEdge;
  private readonly apollo: ApolloServer<TContext>;
  private wsCleanup?: { dispose: () => void | Promise<void> };
  private port?: number;

  constructor(private readonly options: GraphQLServerOptions<TContext>) {
    const edge = options.edge ?? currentSubgraphEdge();
    this.edge = edge;
    this.http = new HttpApp({
      logger: options.logger,
      metrics: options.metrics,
      readiness: options.readiness,
      bodyLimit: options.bodyLimit ?? String(edge.limits.maxBodyBytes),
      gatewaySecret: edge.gatewaySecret,
    });
    const limits = apolloQueryLimits(edge.limits);
    this.apollo = new ApolloServer<TContext>({
      schema: options.schema,
      formatError: (formatted, error) => this.format(formatted, error),
      logger: options.logger,
      // The gateway is the only client; a direct caller in production learns nothing from the schema.
      introspection: !edge.production,
      includeStacktraceInErrorResponses: false,
      // The binary owns SIGTERM/SIGINT and stops services in order; Apollo's own handlers would race it.
      stopOnTerminationSignals: false,
      csrfPrevention: true,
      // The same parse, validation and cost limits as the gateway: a direct caller gets no more.
      validationRules: limits.validationRules,
      parseOptions: limits.parseOptions,
      allowBatchedHttpRequests: limits.allowBatchedHttpRequests,
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer: this.http.server }),
        // Our gateway records its own metrics; federated traces are for Apollo's hosted studio.
        ApolloServerPluginInlineTraceDisabled(),
        metricsPlugin(options.metrics),
        // NUL, control characters and lone surrogates never reach a resolver (input-guard.ts).
        inputGuardPlugin(),
        ...limits.plugins,
      ],
    });
  }

  private format(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const result = formatError(formatted, error);
    if (result.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR) {
      this.options.logger.error({ err: error }, 'unexpected error in resolver');
    } else if (result.extensions?.code === ErrorCode.UNAVAILABLE) {
      this.options.logger.warn({ err: error }, 'a dependency is unavailable');
    }
    return this.edge.production ? withoutSuggestions(result) : result;
  }

  private contextInput(request: IncomingMessage, connectionParams?: Record<string, unknown>): ContextInput {
    const requestId = randomUUID();
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
    );
    return { requestId, logger: this.options.logger.child({ requestId }), headers, connectionParams };
  }

  /**
   * Parses and validates a graphql-ws operation with the same limits as HTTP (graphql-ws itself
   * would apply graphql-js's rules only), then checks its cost with its variables.
   */
  private prepareWs(payload: {
    query: string;
    operationName?: string | null;
    variables?: Record<string, unknown> | null;
  }): ExecutionArgs | GraphQLError[] {
    const { schema } = this.options;
    const { limits } = this.edge;
    const fail = (message: string, extensions: Record<string, unknown>, error?: GraphQLError) => {
      const formatted = this.format({ message, extensions }, error ?? new WsGraphQLError(message, { extensions }));
      return new WsGraphQLError(formatted.message, { extensions: formatted.extensions });
    };
    let document: DocumentNode;
    try {
      document = wsGraphql.parse(payload.query, { maxTokens: limits.maxTokens });
    } catch (err) {
      if (!(err instanceof WsGraphQLError)) throw err;
      return [fail(err.message, { code: 'GRAPHQL_PARSE_FAILED' }, err)];
    }
    const errors = wsGraphql.validate(schema, document, [...wsGraphql.specifiedRules, ...shapeLimitRules(limits)]);
    if (errors.length) {
      // Limit rules carry their own code; graphql-js's rules none (Apollo Server calls them GRAPHQL_VALIDATION_FAILED).
      return errors.map((e) => fail(e.message, { code: 'GRAPHQL_VALIDATION_FAILED', ...e.extensions }));
    }
    const operationName = payload.operationName ?? undefined;
    if (!wsGraphql.getOperationAST(document, operationName)) {
      return [fail('Name the operation to run', { code: ErrorCode.BAD_REQUEST })];
    }
    const variables = payload.variables ?? {};
    const cost = estimateCost(schema, document, operationName, variables, limits.defaultListSize);
    if (cost > limits.maxCost) {
      const refused = queryTooCostly(cost, limits.maxCost);
      return [
        fail(refused.message, {
          code: ErrorCode.QUERY_TOO_COSTLY,
          cost: refused.extensions.cost,
          maxCost: limits.maxCost,
        }),
      ];
    }
    return { schema, document, operationName, variableValues: variables };
  }

  /**
   * Verifies a socket's credentials again every `reverifyMs` by building its context anew (which
   * runs the service's own token check, revocations included), and closes it with 4401 once they
   * fail: a revoked device must not keep a direct subscription. Returns the function that stops it.
   */
  private watchSocket(socket: WebSocket, input: ContextInput): () => void {
    const clock = this.edge.clock ?? systemClock;
    let timer: Timer | undefined;
    let stopped = false;
    const recheck = async () => {
      try {
        await this.options.context({ ...input, requestId: randomUUID() });
      } catch (err) {
        if (stopped) return;
        if (failureCode(err) === ErrorCode.UNAUTHENTICATED) {
          stopped = true;
          socket.close(WS_UNAUTHORIZED, closeReason((err as Error).message));
          return;
        }
        // The key set or cache is unreachable: keep serving, as the gateway does, and try again later.
        input.logger.warn({ reason: (err as Error).message }, 'could not re-verify a subscription token');
      }
      if (!stopped) arm();
    };
    const arm = () => {
      timer = clock.setTimer(this.edge.reverifyMs, () => void recheck());
    };
    arm();
    return () => {
      stopped = true;
      timer?.cancel();
    };
  }

  get url(): string {
    if (this.port === undefined) throw new Error(`${this.options.name} is not listening`);
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  async start(port: number, host = '0.0.0.0'): Promise<number> {
    const { options, http, edge } = this;
    await this.apollo.start();
    if (edge.gatewaySecret === undefined) {
      options.logger.warn('%s accepts GraphQL requests from anyone: no gateway secret is configured', options.name);
    }
    const wsServer = new WebSocketServer({
      server: http.server,
      path: '/graphql',
      maxPayload: edge.limits.maxBodyBytes,
      // Refused at the upgrade: without the gateway's secret no socket is opened at all.
      verifyClient: ({ req }, done) => (http.isFromGateway(req) ? done(true) : done(false, 403, 'Forbidden')),
    });
    const watches = new WeakMap<WebSocket, () => void>();
    wsServer.on('connection', batchWrites);
    this.wsCleanup = useServer(
      {
        schema: options.schema,
        onConnect: async (ctx) => {
          const { socket, request } = ctx.extra;
          const input = this.contextInput(request, ctx.connectionParams);
          if (bearerToken(input) === null) return true;
          try {
            // The service's own context checks the token, as it does for every operation later.
            await options.context(input);
          } catch (err) {
            const code = failureCode(err);
            const unauthenticated = code === ErrorCode.UNAUTHENTICATED;
            const message = code === undefined ? 'Credentials cannot be verified right now' : (err as Error).message;
            socket.close(unauthenticated ? WS_UNAUTHORIZED : WS_TRY_AGAIN_LATER, closeReason(message));
            return false;
          }
          // Gone while its token was being checked: onClose has run already, nothing to watch.
          if (socket.readyState !== socket.OPEN) return false;
          watches.set(socket, this.watchSocket(socket, input));
          return true;
        },
        onClose: (ctx) => {
          watches.get(ctx.extra.socket)?.();
        },
        context: async (ctx) => options.context(this.contextInput(ctx.extra.request, ctx.connectionParams)),
        onSubscribe: async (ctx, _id, payload) => {
          const prepared = guardSubscription(payload) ?? this.prepareWs(payload);
          const authorization = operationAuthorization(payload.extensions);
          if (authorization === undefined || Array.isArray(prepared)) return prepared;
          // The gateway multiplexes many clients' subscriptions on one socket: each operation carries its client's
          // token, checked here by the service's own context as an HTTP request's would be. A refused one ends that
          // operation only (an `error` message), never the socket and the others on it.
          const input = this.contextInput(ctx.extra.request, { ...ctx.connectionParams, authorization });
          try {
            return { ...prepared, contextValue: await options.context(input) };
          } catch (err) {
            const code = failureCode(err) ?? ErrorCode.UNAVAILABLE;
            const message =
              code === ErrorCode.UNAVAILABLE ? 'Credentials cannot be verified right now' : (err as Error).message;
            return [new WsGraphQLError(message, { extensions: { code } })];
          }
        },
        onError: (_ctx, _id, _payload, errors) => {
          options.logger.warn({ errors }, 'subscription error');
        },
      },
      wsServer,
    );
    http.app.use(
      '/graphql',
      http.requireGateway(),
      http.jsonBody(),
      expressMiddleware(this.apollo, {
        context: async ({ req }) =>
          options.context({
            requestId: req.id,
            logger: req.log,
            headers: Object.fromEntries(
              Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
            ),
          }),
      }),
    );
    http.app.use(http.errorHandler());
    this.port = await http.listen(port, host);
    options.logger.info({ port: this.port }, '%s listening', options.name);
    return this.port;
  }

  /** Stops taking work, lets in-flight requests finish (bounded), closes subscriptions. */
  async stop(): Promise<void> {
    this.http.startDraining();
    await this.wsCleanup?.dispose();
    const timeout = this.options.shutdownTimeoutMs ?? 10_000;
    const forced = setTimeout(() => this.http.server.closeAllConnections(), timeout);
    try {
      await this.apollo.stop();
    } finally {
      clearTimeout(forced);
    }
  }
}

/**
 * The client authorization a multiplexing gateway puts on one graphql-ws operation (`extensions.authorization`);
 * undefined when the operation carries none (the socket's own `connection_init` credentials apply).
 */
function operationAuthorization(extensions: Record<string, unknown> | null | undefined): string | undefined {
  const value = extensions?.authorization;
  return typeof value === 'string' && value.trim() ? value : undefined;
}

/**
 * Frames sent on one socket in the same turn of the event loop leave in one write, not one system call each: a
 * change fans out to thousands of subscriptions that the gateway multiplexes on a few sockets, a frame each.
 * (`ws` keeps its TCP socket private; without it, frames are written one by one as before.)
 */
function batchWrites(socket: WebSocket): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  if (!raw || typeof raw.cork !== 'function') return;
  const send = socket.send.bind(socket) as (...args: unknown[]) => void;
  let corked = false;
  socket.send = ((...args: unknown[]) => {
    if (!corked && !raw.destroyed) {
      corked = true;
      raw.cork();
      setImmediate(() => {
        corked = false;
        raw.uncork();
      });
    }
    send(...args);
  }) as WebSocket['send'];
}
