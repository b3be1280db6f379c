import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import { ErrorCode, type Logger } from '@phub/kit/edge';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { GatewayMetrics, SubscriptionTransport } from '../metrics.js';
import type { SubgraphContext } from '../subgraph-client.js';
import { EVENT_SOURCE, type PreparedOperation, type SubscriptionPlan } from './graph-planner.js';
import { GraphQLError } from './graphql.js';
import { SubscriberQueue, type OverflowPolicy } from './subscriber-queue.js';
import { formatErrors, overflowError, unavailableError } from './subscription-errors.js';
import type { UpstreamConnection, UpstreamPool } from './upstream-pool.js';

/** Who a client connection is, as far as upstream calls are concerned. */
export interface ClientSession {
  requestId: string;
  /** `Bearer <token>`, normalised; forwarded to subgraphs and part of every sharing key. */
  authorization?: string;
  forwardedFor?: string;
  /** Set for partner tokens: they are served the public contract only. */
  partnerClientId?: string;
}

export interface SubscriptionHubOptions {
  pool: UpstreamPool;
  metrics: GatewayMetrics;
  logger: Logger;
  /** The gateway's data source for a subgraph (same fetcher, timeouts, headers and metrics as queries). */
  services: () => ServiceMap;
  queueLimit: number;
  overflow: OverflowPolicy;
}

type RequestContext = Parameters<typeof executeQueryPlan>[2];
type UpstreamResult = FormattedExecutionResult<Record<string, unknown>, unknown>;

/**
 * Shares subscriptions at two levels:
 * - one upstream subscription per (subgraph URL, primary operation, its variables, authorization),
 *   on one of the subgraph's few shared graphql-ws connections (or one per authorization, see UpstreamPool);
 * - one feed per (client operation, all variables) on top of it, which resolves each event
 *   once across subgraphs and fans the result out to its subscribers' bounded queues.
 * Everything is reference-counted: the last subscriber to leave closes the feed, the upstream
 * subscription and finally the connection.
 */
export class SubscriptionHub {
  private readonly upstreams = new Map<string, UpstreamSubscription>();

  constructor(readonly options: SubscriptionHubOptions) {}

  subscribe(
    operation: PreparedOperation,
    variables: Record<string, unknown>,
    session: ClientSession,
    transport: SubscriptionTransport,
  ): SubscriberQueue {
    const plan = operation.plan;
    if (!plan) throw new Error('only subscriptions have a subscription plan');
    const { pool, metrics, queueLimit, overflow } = this.options;
    const { primary } = plan;
    const upstreamVariables = pick(variables, primary.variableUsages ?? []);
    const authorization = session.authorization ?? '';
    const upstreamKey = stableKey([plan.upstreamUrl, primary.operation, upstreamVariables, authorization]);
    let upstream = this.upstreams.get(upstreamKey);
    if (!upstream) {
      const connection = pool.acquire(plan.subgraph, plan.upstreamUrl, session.authorization);
      upstream = new UpstreamSubscription(
        upstreamKey,
        plan,
        upstreamVariables,
        connection,
        session.authorization,
        this,
      );
      this.upstreams.set(upstreamKey, upstream);
      upstream.start();
    }
    const feedKey = stableKey([operation.graph.version, operation.operationName ?? '', operation.query, variables]);
    const feed = upstream.feed(feedKey, () => new SharedFeed(feedKey, upstream, operation, variables, session, this));
    const queue = new SubscriberQueue({
      limit: queueLimit,
      overflow,
      subgraph: plan.subgraph,
      transport,
      metrics,
      overflowResult: () => ({ errors: formatErrors([overflowError(queueLimit)]) }),
    });
    feed.add(queue);
    queue.onRelease(() => feed.remove(queue));
    return queue;
  }

  /** Upstream subscriptions open now. */
  get upstreamCount(): number {
    return this.upstreams.size;
  }

  /** Ends every subscription (clients see `complete`) and closes every upstream connection. */
  close(): void {
    for (const upstream of [...this.upstreams.values()]) upstream.finish(undefined);
    this.options.pool.close();
  }

  /** @internal */
  forget(upstream: UpstreamSubscription): void {
    if (this.upstreams.get(upstream.key) === upstream) this.upstreams.delete(upstream.key);
  }
}

/** One subscription on the owning subgraph, feeding every feed that shares it. */
class UpstreamSubscription {
  private readonly feeds = new Map<string, SharedFeed>();
  private unsubscribe?: () => void;
  private done = false;

  constructor(
    readonly key: string,
    readonly plan: SubscriptionPlan,
    private readonly variables: Record<string, unknown>,
    private readonly connection: UpstreamConnection,
    private readonly authorization: string | undefined,
    private readonly hub: SubscriptionHub,
  ) {}

  start(): void {
    const { primary, subgraph } = this.plan;
    const { metrics } = this.hub.options;
    metrics.subscriptionUpstreams.inc({ subgraph });
    this.unsubscribe = this.connection.client.subscribe<Record<string, unknown>>(
      {
        query: primary.operation,
        operationName: primary.operationName,
        variables: this.variables,
        // On a shared socket the client's token travels with its operation; the subgraph checks it there.
        ...(this.connection.multiplexed && this.authorization
          ? { extensions: { authorization: this.authorization } }
          : {}),
      },
      {
        next: (result) => {
          if (this.done) return;
          const receivedAt = process.hrtime.bigint();
          metrics.subscriptionEventsIn.inc({ subgraph });
          for (const feed of this.feeds.values()) feed.onEvent(result, receivedAt);
        },
        error: (err) => this.finish({ errors: upstreamFailure(err, subgraph) }),
        complete: () => this.finish(undefined),
      },
    );
  }

  feed(key: string, create: () => SharedFeed): SharedFeed {
    let feed = this.feeds.get(key);
    if (!feed) {
      feed = create();
      this.feeds.set(key, feed);
    }
    return feed;
  }

  removeFeed(feed: SharedFeed): void {
    if (this.feeds.get(feed.key) === feed) this.feeds.delete(feed.key);
    if (this.feeds.size === 0) this.close();
  }

  /** The subgraph ended the subscription (with `last` if it failed), or the gateway is stopping. */
  finish(last: FormattedExecutionResult | undefined): void {
    if (this.done) return;
    this.close();
    if (last)
      this.hub.options.logger.warn(
        { subgraph: this.plan.subgraph, errors: last.errors },
        'upstream subscription failed',
      );
    for (const feed of [...this.feeds.values()]) feed.end(last);
  }

  /** Nobody listens any more: complete it upstream and let go of the connection. */
  private close(): void {
    if (this.done) return;
    this.done = true;
    this.unsubscribe?.();
    this.hub.forget(this);
    this.hub.options.pool.release(this.connection);
    this.hub.options.metrics.subscriptionUpstreams.dec({ subgraph: this.plan.subgraph });
  }
}

/** One client operation on one upstream subscription: resolves each event once for all its subscribers. */
class SharedFeed {
  private readonly subscribers = new Set<SubscriberQueue>();
  /**
   * Events waiting to be resolved, one after another so every subscriber sees upstream order.
   * Bounded like subscriber queues: a slow subgraph in `rest` must not make the gateway buffer either.
   */
  private readonly pending: { event: UpstreamResult; receivedAt: bigint }[] = [];
  private draining = false;
  /** Set by `end()`: what to finish with once the pending events are out. */
  private ending?: { last: FormattedExecutionResult | undefined };

  constructor(
    readonly key: string,
    private readonly upstream: UpstreamSubscription,
    private readonly operation: PreparedOperation,
    private readonly variables: Record<string, unknown>,
    private readonly session: ClientSession,
    private readonly hub: SubscriptionHub,
  ) {}

  add(queue: SubscriberQueue): void {
    this.subscribers.add(queue);
  }

  remove(queue: SubscriberQueue): void {
    this.subscribers.delete(queue);
    if (this.subscribers.size === 0) this.upstream.removeFeed(this);
  }

  onEvent(event: UpstreamResult, receivedAt: bigint): void {
    const { queueLimit, overflow, metrics } = this.hub.options;
    if (this.ending) return;
    if (this.pending.length >= queueLimit) {
      if (overflow === 'close') return this.overflow();
      this.pending.shift();
      metrics.subscriptionEventsDropped.inc();
    }
    this.pending.push({ event, receivedAt });
    if (!this.draining) void this.drain();
  }

  /** Ends every subscriber once the events already received are delivered (with `last`, if the upstream failed). */
  end(last: FormattedExecutionResult | undefined): void {
    this.ending ??= { last };
    if (!this.draining) this.finish();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    for (let item = this.pending.shift(); item; item = this.pending.shift()) {
      const result = await this.resolve(item.event);
      for (const queue of this.subscribers) queue.push({ result, receivedAt: item.receivedAt });
    }
    this.draining = false;
    if (this.ending) this.finish();
  }

  private finish(): void {
    const last = this.ending?.last;
    for (const queue of [...this.subscribers]) {
      if (last) this.hub.options.metrics.subscriptionsEnded.inc({ reason: 'upstream_failed' });
      queue.end(last);
    }
  }

  /** Events arrive faster than they can be resolved: as a subscriber queue does under `close`. */
  private overflow(): void {
    const { queueLimit, metrics } = this.hub.options;
    this.pending.length = 0;
    this.ending = { last: undefined };
    for (const queue of [...this.subscribers]) {
      metrics.subscriptionsEnded.inc({ reason: 'overflow' });
      queue.end({ errors: formatErrors([overflowError(queueLimit)]) });
    }
  }

  /** Runs the rest of the plan on the event, exactly as a query's entity fetches run. */
  private async resolve(event: UpstreamResult): Promise<FormattedExecutionResult> {
    const plan = this.upstream.plan;
    const { graph, query, operationName } = this.operation;
    const { logger, services } = this.hub.options;
    try {
      if (!event.data) {
        const errors = (event.errors ?? []).map((e) => toGraphQLError(e, plan.subgraph));
        return { data: null, errors: formatErrors(errors.length ? errors : [unavailableError(plan.subgraph)]) };
      }
      // Nothing to add or reshape (see SubscriptionPlan.asIs); the data is never changed after, so feeds may share it.
      if (plan.asIs && !event.errors?.length) return { data: event.data };
      // The plan merges entity fields into the data it is given; every feed needs its own copy.
      const data = structuredClone(event.data);
      const source: GraphQLDataSource = {
        process: async () => ({ data, errors: event.errors as GraphQLError[] | undefined }),
      };
      const context: SubgraphContext = {
        requestId: randomUUID(),
        authorization: this.session.authorization,
      };
      const requestContext = {
        logger,
        request: { query, operationName, variables: this.variables },
        context,
        metrics: {},
      } as unknown as RequestContext;
      const result = await executeQueryPlan(
        plan.perEvent,
        { ...services(), [EVENT_SOURCE]: source },
        requestContext,
        plan.operationContext,
        graph.supergraphSchema,
        graph.api,
      );
      const errors = result.errors?.length
        ? formatErrors(result.errors).map((e) => fromSubgraph(e, plan.subgraph))
        : [];
      return errors.length ? { data: result.data ?? null, errors } : { data: result.data ?? null };
    } catch (err) {
      logger.error({ err, subgraph: plan.subgraph }, 'resolving a subscription event failed');
      return { data: null, errors: formatErrors([new GraphQLError('Internal server error')]) };
    }
  }
}

/** Errors of the primary fetch name our event source; clients should see the subgraph. */
function fromSubgraph(error: GraphQLFormattedError, subgraph: string): GraphQLFormattedError {
  if (error.extensions?.serviceName !== EVENT_SOURCE) return error;
  return { ...error, extensions: { ...error.extensions, serviceName: subgraph } };
}

function toGraphQLError(error: GraphQLFormattedError, subgraph: string): GraphQLError {
  return new GraphQLError(error.message, {
    path: error.path,
    extensions: { ...error.extensions, serviceName: subgraph },
  });
}

/** What the subscribers of a failed upstream subscription are told last. */
function upstreamFailure(err: unknown, subgraph: string): GraphQLFormattedError[] {
  // graphql-ws `error` message: the subgraph refused the operation with GraphQL errors.
  if (Array.isArray(err)) return formatErrors(err.map((e: GraphQLFormattedError) => toGraphQLError(e, subgraph)));
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code === 4401 || code === 4403) {
    const error = new GraphQLError(`Subgraph "${subgraph}" refused the subscription`, {
      extensions: { code: code === 4401 ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN, serviceName: subgraph },
    });
    return formatErrors([error]);
  }
  // Retries exhausted, or a close code that rules out retrying.
  return formatErrors([unavailableError(subgraph)]);
}

function pick(values: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) if (values[name] !== undefined) picked[name] = values[name];
  return picked;
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` share. */
export function stableKey(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
