import type { ServiceMap } from '@apollo/gateway';
import type { Logger, QueryLimits, TokenVerifier } from '@phub/kit/edge';
import type { FormattedExecutionResult, GraphQLSchema, ParseOptions, ValidationRule } from 'graphql';
import type { IncomingMessage, Server } from 'node:http';
import type { RequestHandler } from 'express';
import type { GatewayEnv } from '../env.js';
import type { GatewayMetrics, SubscriptionTransport } from '../metrics.js';
import { ConnectionAuth } from './connection-auth.js';
import {
  GraphPlanner,
  type OperationRequest,
  type PlanningEngine,
  type Prepared,
  type PreparedOperation,
} from './graph-planner.js';
import { GraphQLError, parse, specifiedRules, validate } from './graphql.js';
import { sseHandler } from './sse-transport.js';
import type { SubscriberQueue } from './subscriber-queue.js';
import { formatErrors, shuttingDown, supergraphNotLoaded } from './subscription-errors.js';
import { SubscriptionHub, type ClientSession } from './subscription-hub.js';
import { UpstreamPool } from './upstream-pool.js';
import { serveGraphqlWs, type WsServer } from './ws-transport.js';

/** Why an operation may not run, as a code and a message (transports make the GraphQL error). */
export interface Refusal {
  refused: { code: string; message: string };
}

export type SubscriptionConfig = Pick<
  GatewayEnv,
  | 'NODE_ENV'
  | 'MAX_BODY_BYTES'
  | 'SHUTDOWN_TIMEOUT_MS'
  | 'SUBSCRIPTION_QUEUE_LIMIT'
  | 'SUBSCRIPTION_OVERFLOW'
  | 'SUBSCRIPTION_MAX_BUFFERED_BYTES'
  | 'SUBSCRIPTION_MAX_PER_CONNECTION'
  | 'SUBSCRIPTION_REVERIFY_MS'
  | 'SUBSCRIPTION_UPSTREAM_RETRY_ATTEMPTS'
  | 'SUBSCRIPTION_UPSTREAM_RETRY_BASE_MS'
  | 'SUBSCRIPTION_UPSTREAM_RETRY_MAX_MS'
  | 'SUBSCRIPTION_UPSTREAM_KEEPALIVE_MS'
  | 'SUBSCRIPTION_UPSTREAM_SOCKETS'
>;

export interface SubscriptionServiceOptions {
  config: SubscriptionConfig;
  logger: Logger;
  metrics: GatewayMetrics;
  verifier?: TokenVerifier;
  /** The same limits HTTP requests get. */
  limits: {
    validationRules: readonly ValidationRule[];
    parseOptions: ParseOptions;
    limits: Pick<QueryLimits, 'maxCost' | 'defaultListSize'>;
  };
  /** Sent on every upstream socket: subgraphs accept sockets only from their gateway. */
  secret?: string;
  /** The client address of a WebSocket upgrade, as the gateway's HTTP routes see it (`req.ip`). */
  clientAddress: (request: IncomingMessage) => string;
  /** The gateway's subgraph data sources by name, for resolving each event's entity fields. */
  services: () => ServiceMap;
  /** The URL the gateway uses for a subgraph (overrides applied), given the supergraph's. */
  subgraphUrl: (name: string, supergraphUrl: string) => string;
  /** Queries and mutations sent over WebSocket or SSE go through the HTTP pipeline (Apollo Server). */
  execute: (request: OperationRequest, session: ClientSession) => Promise<FormattedExecutionResult>;
  /** Partner sessions: the document to run (trusted documents), or the error that refuses it. */
  admit?: (
    request: OperationRequest & { extensions?: unknown },
    session: ClientSession,
  ) => Promise<OperationRequest | Refusal>;
}

/**
 * Federated subscriptions for the gateway, which @apollo/gateway does not do itself: plans
 * them with the supergraph, subscribes on the owning subgraph over graphql-ws, resolves every
 * event's remaining fields across subgraphs, and serves the result over graphql-ws
 * (`/graphql`) and Server-Sent Events (`/graphql/stream`).
 */
export class SubscriptionService {
  readonly auth: ConnectionAuth;
  readonly hub: SubscriptionHub;
  private graph?: GraphPlanner;
  private contract?: GraphQLSchema;
  private version = 0;
  private ws?: WsServer;
  private stopping = false;

  constructor(readonly options: SubscriptionServiceOptions) {
    const { config, logger, metrics, verifier } = options;
    this.auth = new ConnectionAuth({ verifier, reverifyMs: config.SUBSCRIPTION_REVERIFY_MS, logger });
    const pool = new UpstreamPool({
      metrics,
      logger,
      retryAttempts: config.SUBSCRIPTION_UPSTREAM_RETRY_ATTEMPTS,
      retryBaseMs: config.SUBSCRIPTION_UPSTREAM_RETRY_BASE_MS,
      retryMaxMs: config.SUBSCRIPTION_UPSTREAM_RETRY_MAX_MS,
      keepAliveMs: config.SUBSCRIPTION_UPSTREAM_KEEPALIVE_MS,
      socketsPerSubgraph: config.SUBSCRIPTION_UPSTREAM_SOCKETS,
      secret: options.secret,
    });
    this.hub = new SubscriptionHub({
      pool,
      metrics,
      logger,
      services: options.services,
      queueLimit: config.SUBSCRIPTION_QUEUE_LIMIT,
      overflow: config.SUBSCRIPTION_OVERFLOW,
    });
  }

  /**
   * Called on every supergraph the gateway loads. Subscriptions already running keep the plan
   * they started with; new ones are planned with the new supergraph.
   */
  updateSupergraph(coreSupergraphSdl: string, apiSchema: GraphQLSchema, engine?: PlanningEngine): void {
    const { options } = this;
    try {
      this.graph = new GraphPlanner({
        coreSupergraphSdl,
        engine,
        apiSchema,
        subgraphUrl: options.subgraphUrl,
        validationRules: options.limits.validationRules,
        parseOptions: options.limits.parseOptions,
        cost: options.limits.limits,
        version: ++this.version,
      });
    } catch (err) {
      options.logger.error({ err }, 'cannot plan subscriptions with the new supergraph; keeping the previous one');
    }
  }

  /** The public contract's API schema, on every contract the gateway loads (partners are held to it). */
  updateContract(apiSchema: GraphQLSchema): void {
    this.contract = apiSchema;
  }

  /** Whether a partner's operation may run here at all, and which text (see TrustedDocuments). */
  async admit(
    request: OperationRequest & { extensions?: unknown },
    session: ClientSession,
  ): Promise<OperationRequest | GraphQLError> {
    if (!session.partnerClientId || !this.options.admit) return request;
    const admitted = await this.options.admit(request, session);
    return 'refused' in admitted
      ? new GraphQLError(admitted.refused.message, { extensions: { code: admitted.refused.code } })
      : admitted;
  }

  prepare(request: OperationRequest, session?: Pick<ClientSession, 'partnerClientId'>): Prepared {
    if (!this.graph) return { ok: false, errors: [supergraphNotLoaded()], stage: 'execution' };
    if (session?.partnerClientId) {
      // Partners see the contract only: what it does not have does not exist for them.
      if (!this.contract) return { ok: false, errors: [supergraphNotLoaded()], stage: 'execution' };
      let document;
      try {
        document = parse(request.query ?? '', this.options.limits.parseOptions);
      } catch {
        return this.graph.prepare(request); // the planner reports parse errors as it always does
      }
      const errors = validate(this.contract, document, specifiedRules);
      if (errors.length) return { ok: false, errors: [...errors], stage: 'validation' };
    }
    return this.graph.prepare(request);
  }

  /** A subscription: the subscriber's queue to iterate. Queries and mutations: their one result. */
  async run(
    operation: PreparedOperation,
    variables: Record<string, unknown>,
    session: ClientSession,
    transport: SubscriptionTransport,
  ): Promise<SubscriberQueue | FormattedExecutionResult> {
    // While draining, SSE requests can still arrive; nothing may open upstream after stop().
    if (this.stopping) return { errors: formatErrors([shuttingDown()]) };
    if (operation.plan) return this.hub.subscribe(operation, variables, session, transport);
    try {
      return await this.options.execute(
        { query: operation.query, operationName: operation.operationName, variables },
        session,
      );
    } catch (err) {
      this.options.logger.error({ err }, 'operation over a subscription transport failed');
      return { errors: formatErrors([new GraphQLError('Internal server error')]) };
    }
  }

  /** Serves graphql-ws on the gateway's HTTP server, same port and path as HTTP. */
  attach(server: Server, path = '/graphql'): void {
    this.ws = serveGraphqlWs(this, { server, path });
  }

  /** The `/graphql/stream` route: GraphQL over SSE, distinct connections mode. */
  sse(): RequestHandler {
    return sseHandler(this);
  }

  /** Closes client sockets (1001), completes SSE streams, and closes every upstream connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.ws?.close();
    this.hub.close();
  }
}
