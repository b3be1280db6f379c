import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { randomUUID } from 'node:crypto';
import { formatError } from './errors.js';
import { HttpApp, type ReadinessCheck } from './http.js';
import { guardSubscription, inputGuardPlugin } from './input-guard.js';
import type { Logger } from './logger.js';
import { operationLabel, type ServiceMetrics } from './metrics.js';

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
  private readonly apollo: ApolloServer<TContext>;
  private wsCleanup?: { dispose: () => void | Promise<void> };
  private port?: number;

  constructor(private readonly options: GraphQLServerOptions<TContext>) {
    this.http = new HttpApp({
      logger: options.logger,
      metrics: options.metrics,
      readiness: options.readiness,
      bodyLimit: options.bodyLimit,
    });
    this.apollo = new ApolloServer<TContext>({
      schema: options.schema,
      formatError: (formatted, error) => {
        const result = formatError(formatted, error);
        if (result.extensions?.code === 'INTERNAL_SERVER_ERROR') {
          options.logger.error({ err: error }, 'unexpected error in resolver');
        }
        return result;
      },
      logger: options.logger,
      introspection: true,
      includeStacktraceInErrorResponses: false,
      // The binary owns SIGTERM/SIGINT and stops services in order; Apollo's own handlers would race it.
      stopOnTerminationSignals: false,
      csrfPrevention: true,
      plugins: [
        ApolloServerPluginDrainHttpServer({ httpServer: this.http.server }),
        // Our gateway records its own metrics; federated traces are for Apollo's hosted studio.
        ApolloServerPluginInlineTraceDisabled(),
        metricsPlugin(options.metrics),
        // NUL, control characters and lone surrogates never reach a resolver (input-guard.ts).
        inputGuardPlugin(),
      ],
    });
  }

  get url(): string {
    if (this.port === undefined) throw new Error(`${this.options.name} is not listening`);
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  async start(port: number, host = '0.0.0.0'): Promise<number> {
    const { options, http } = this;
    await this.apollo.start();
    const wsServer = new WebSocketServer({ server: http.server, path: '/graphql' });
    this.wsCleanup = useServer(
      {
        schema: options.schema,
        context: async (ctx) => {
          const requestId = randomUUID();
          const headers = Object.fromEntries(
            Object.entries(ctx.extra.request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
          );
          return options.context({
            requestId,
            logger: options.logger.child({ requestId }),
            headers,
            connectionParams: ctx.connectionParams,
          });
        },
        onSubscribe: (_ctx, _id, payload) => guardSubscription(payload),
        onError: (_ctx, _id, _payload, errors) => {
          options.logger.warn({ errors }, 'subscription error');
        },
      },
      wsServer,
    );
    http.app.use(
      '/graphql',
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
