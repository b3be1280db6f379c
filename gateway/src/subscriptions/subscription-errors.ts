import { ErrorCode } from '@phub/kit/edge';
import type { GraphQLFormattedError } from 'graphql';
import { formatGatewayError, GatewayErrorCode } from '../errors.js';
import { GraphQLError } from './graphql.js';

/** Codes of errors only subscriptions produce, on top of the kit's and the gateway's. */
export const SubscriptionErrorCode = {
  /** The subscriber fell more than SUBSCRIPTION_QUEUE_LIMIT events behind (SUBSCRIPTION_OVERFLOW=close). */
  SUBSCRIPTION_OVERFLOW: 'SUBSCRIPTION_OVERFLOW',
  /** One connection asked for more than SUBSCRIPTION_MAX_PER_CONNECTION subscriptions at once. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
} as const;

/**
 * WebSocket close codes the gateway sends on `/graphql`, after graphql-ws's conventions
 * (4xxx mirror HTTP statuses; 1xxx are the WebSocket standard's).
 */
export const CloseCode = {
  /** The token in `connection_init` is malformed, invalid, expired or revoked, or expired/was revoked later. */
  UNAUTHORIZED: 4401,
  /** Tokens cannot be verified right now (key set unreachable); graphql-ws clients retry. */
  TRY_AGAIN_LATER: 1013,
  /** The client stopped reading: more than SUBSCRIPTION_MAX_BUFFERED_BYTES wait in its socket. */
  POLICY_VIOLATION: 1008,
  /** The gateway is shutting down. */
  GOING_AWAY: 1001,
} as const;

export function overflowError(limit: number): GraphQLError {
  return new GraphQLError(`The subscriber fell more than ${limit} events behind; subscribe again to resume`, {
    extensions: { code: SubscriptionErrorCode.SUBSCRIPTION_OVERFLOW },
  });
}

export function tooManySubscriptions(limit: number): GraphQLError {
  return new GraphQLError(`At most ${limit} subscriptions may be open on one connection`, {
    extensions: { code: SubscriptionErrorCode.TOO_MANY_SUBSCRIPTIONS },
  });
}

export function unavailableError(subgraph: string): GraphQLError {
  return new GraphQLError(`Subgraph "${subgraph}" is unavailable`, {
    extensions: { code: GatewayErrorCode.SUBGRAPH_UNAVAILABLE, serviceName: subgraph },
  });
}

export function shuttingDown(): GraphQLError {
  return new GraphQLError('The gateway is shutting down; connect again', {
    extensions: { code: ErrorCode.UNAVAILABLE },
  });
}

export function supergraphNotLoaded(): GraphQLError {
  return new GraphQLError('The gateway has no supergraph loaded yet', { extensions: { code: ErrorCode.UNAVAILABLE } });
}

/** Where an error came from, which decides the code Apollo Server would have stamped on it. */
export type ErrorStage = 'parse' | 'validation' | 'execution';

const STAGE_CODES: Record<ErrorStage, string | undefined> = {
  parse: 'GRAPHQL_PARSE_FAILED',
  validation: 'GRAPHQL_VALIDATION_FAILED',
  execution: undefined,
};

/**
 * Formats errors exactly as Apollo Server formats the gateway's HTTP responses (same codes,
 * same masking), so a client sees the same error over HTTP, WebSocket and SSE.
 */
export function formatErrors(
  errors: readonly GraphQLError[],
  stage: ErrorStage = 'execution',
): GraphQLFormattedError[] {
  return errors.map((error) => {
    const json = error.toJSON();
    const code = STAGE_CODES[stage] ?? json.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR;
    // Like Apollo Server: the error that failed validation is passed as the original of the stamped one.
    const original = stage === 'execution' ? error : { originalError: error };
    return formatGatewayError({ ...json, extensions: { ...json.extensions, code } }, original);
  });
}
