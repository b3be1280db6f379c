import { formatError, type ErrorCode } from '@phub/kit';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Codes only the gateway produces, on top of the kit's `ErrorCode`; clients may rely on them. */
export const GatewayErrorCode = {
  /** The subgraph could not be reached (refused, reset, 502/503/504). */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** The subgraph did not answer within `SUBGRAPH_TIMEOUT_MS`. */
  SUBGRAPH_TIMEOUT: 'SUBGRAPH_TIMEOUT',
  /** The subgraph answered with something that is not a GraphQL response. */
  SUBGRAPH_BAD_RESPONSE: 'SUBGRAPH_BAD_RESPONSE',
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  TOO_MANY_TOKENS: 'TOO_MANY_TOKENS',
  TOO_MANY_DIRECTIVES: 'TOO_MANY_DIRECTIVES',
} as const;
export type GatewayErrorCode = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];

export function subgraphError(code: GatewayErrorCode | ErrorCode, subgraph: string, message: string): GraphQLError {
  // No URL or upstream body: they describe the inside of the platform, not the client's request.
  return new GraphQLError(message, { extensions: { code, serviceName: subgraph } });
}

// graphql-js reports its own `maxTokens` parse limit as a plain syntax error (and says "more that").
const TOKEN_LIMIT = /Document contains more tha[nt] (\d+) tokens/;
const LIMIT_CODES = new Set<unknown>([
  GatewayErrorCode.QUERY_TOO_DEEP,
  GatewayErrorCode.TOO_MANY_ALIASES,
  GatewayErrorCode.TOO_MANY_DIRECTIVES,
]);
// "Did you mean …?" would let anyone map the schema without introspection.
const SUGGESTION = /\s*Did you mean .+\?$/;

/** The kit's formatting (stable codes, internals masked) plus the gateway's own codes. */
export function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // Apollo Server stamps GRAPHQL_VALIDATION_FAILED on every validation error; a limit rule's own code wins.
  const limitCode = (error as { originalError?: { extensions?: { code?: unknown } } }).originalError?.extensions?.code;
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && LIMIT_CODES.has(limitCode)) {
    return { ...formatted, extensions: { ...formatted.extensions, code: limitCode } };
  }
  const tokens = formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT.exec(formatted.message);
  if (tokens) {
    return {
      message: `The query has more than ${tokens[1]} tokens`,
      extensions: { code: GatewayErrorCode.TOO_MANY_TOKENS },
    };
  }
  const result = formatError(formatted, error);
  return { ...result, message: result.message.replace(SUGGESTION, '') };
}
