import { ErrorCode, formatError, withoutSuggestions } from '@phub/kit/edge';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Codes only the gateway produces, on top of the kit's `ErrorCode`; clients may rely on them. */
export const GatewayErrorCode = {
  /** The subgraph could not be reached (refused, reset, 502/503/504). */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** The subgraph did not answer within `SUBGRAPH_TIMEOUT_MS`. */
  SUBGRAPH_TIMEOUT: 'SUBGRAPH_TIMEOUT',
  /** The subgraph answered with something that is not a GraphQL response. */
  SUBGRAPH_BAD_RESPONSE: 'SUBGRAPH_BAD_RESPONSE',
  // Query limits: the kit's codes, the same on every subgraph.
  QUERY_TOO_DEEP: ErrorCode.QUERY_TOO_DEEP,
  TOO_MANY_ALIASES: ErrorCode.TOO_MANY_ALIASES,
  TOO_MANY_TOKENS: ErrorCode.TOO_MANY_TOKENS,
  TOO_MANY_DIRECTIVES: ErrorCode.TOO_MANY_DIRECTIVES,
  QUERY_TOO_COSTLY: ErrorCode.QUERY_TOO_COSTLY,
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

export function subgraphError(code: GatewayErrorCode | ErrorCode, subgraph: string, message: string): GraphQLError {
  // No URL or upstream body: they describe the inside of the platform, not the client's request.
  return new GraphQLError(message, { extensions: { code, serviceName: subgraph } });
}

/** The kit's formatting (stable codes, limit codes, internals masked) without field suggestions. */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // "Did you mean …?" would let anyone map the schema without introspection.
  return withoutSuggestions(formatError(formatted, error));
}
