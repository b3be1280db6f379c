import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { ErrorCode, estimateCost, type Clock, type Logger } from '@phub/kit/edge';
import { GraphQLError } from 'graphql';
import type { GatewayMetrics } from '../metrics.js';
import type { SubgraphContext } from '../subgraph-client.js';
import type { RateLimitDecision, RateLimitPolicy, RateLimitStore } from './rate-limiter.js';
import type { UsageOutcome } from './usage.js';

export interface RateLimitOptions {
  store: RateLimitStore;
  policy: RateLimitPolicy;
  metrics: GatewayMetrics;
  logger: Logger;
  clock: Clock;
  defaultListSize: number;
  /** A store slower than this counts as down: the request goes on (fail open). */
  timeoutMs: number;
  /** Each partner request's outcome and cost, for its client's usage (see usage.ts). */
  usage?: (clientId: string, outcome: UsageOutcome, cost: number) => void;
}

/**
 * RateLimit-* as draft-ietf-httpapi-ratelimit-headers-06 names them: RateLimit-Limit / -Remaining / -Reset
 * describe the tighter of the client's two buckets, RateLimit-Policy both (`w` = window in seconds).
 */
export function rateLimitHeaders(decision: RateLimitDecision, policy: RateLimitPolicy): [string, string][] {
  return [
    ['ratelimit-limit', String(decision.limit)],
    ['ratelimit-remaining', String(decision.remaining)],
    ['ratelimit-reset', String(decision.resetSeconds)],
    [
      'ratelimit-policy',
      `${policy.requests.limit};w=${policy.requests.windowSeconds};comment="requests", ` +
        `${policy.cost.limit};w=${policy.cost.windowSeconds};comment="cost"`,
    ],
  ];
}

/**
 * Per-client token buckets for partner tokens (first-party apps are bounded by the query limits and
 * their own sign-in limits): one request and the operation's estimated cost per call, taken once the
 * operation is known and before anything is planned. Over the limit: HTTP 429, `Retry-After`, code RATE_LIMITED.
 *
 * If the store (Redis) is down or slow the request goes on: partners keep working through a cache
 * outage, every subgraph still applies the cost limits, and `phub_gateway_rate_limit_store_failures_total`
 * pages whoever runs it (see k8s/README.md). Failing closed would turn a Redis blip into a partner outage.
 */
export function rateLimitPlugin(options: RateLimitOptions): ApolloServerPlugin<SubgraphContext> {
  const { store, policy, metrics, logger, clock } = options;
  let lastWarning = 0;

  const take = async (client: string, cost: number): Promise<RateLimitDecision | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        store.take(client, cost, clock.now()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer in ${options.timeoutMs} ms`)), options.timeoutMs);
        }),
      ]);
    } catch (err) {
      metrics.rateLimitStoreFailures.inc();
      // One line a minute is enough to see it; the counter has the rest.
      if (Date.now() - lastWarning > 60_000) {
        lastWarning = Date.now();
        logger.warn({ err: (err as Error).message }, 'rate limit store unavailable: partner requests pass unlimited');
      }
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async requestDidStart({ contextValue }) {
      const client = contextValue.partnerClientId;
      if (!client) return;
      let decision: RateLimitDecision | undefined;
      let taken = false;
      let cost = 0;
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          cost = estimateCost(
            schema,
            document,
            operationName ?? undefined,
            request.variables ?? {},
            options.defaultListSize,
          );
          taken = true;
          decision = await take(client, cost);
          if (decision && !decision.allowed) {
            metrics.partnerRequests.inc({ outcome: 'limited' });
            options.usage?.(client, 'limited', 0);
            const headers = new HeaderMap([
              ...rateLimitHeaders(decision, policy),
              ['retry-after', String(decision.retryAfterSeconds)],
            ]);
            throw new GraphQLError(`Rate limit exceeded for this client; retry in ${decision.retryAfterSeconds} s`, {
              extensions: {
                code: ErrorCode.RATE_LIMITED,
                retryAfterSeconds: decision.retryAfterSeconds,
                http: { status: 429, headers },
              },
            });
          }
        },
        async willSendResponse(ctx: GraphQLRequestContext<SubgraphContext>) {
          // A document that never got as far as an operation (parse or validation errors) still costs a request.
          if (!taken) decision = await take(client, 0);
          if (decision?.allowed === false) return;
          const body = ctx.response.body;
          const failed = body?.kind === 'single' && (body.singleResult.errors?.length ?? 0) > 0;
          metrics.partnerRequests.inc({ outcome: failed ? 'error' : 'ok' });
          metrics.partnerCost.inc(cost);
          options.usage?.(client, failed ? 'error' : 'ok', cost);
          if (decision)
            for (const [name, value] of rateLimitHeaders(decision, policy)) ctx.response.http.headers.set(name, value);
        },
      };
    },
  };
}
