import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The closed set of error codes clients can rely on (`extensions.code`). */
export const ErrorCode = {
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_REQUEST',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  CONFLICT: 'CONFLICT',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  /** Query limits (see limits.ts), the same on the gateway and on every subgraph. */
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  TOO_MANY_TOKENS: 'TOO_MANY_TOKENS',
  TOO_MANY_DIRECTIVES: 'TOO_MANY_DIRECTIVES',
  QUERY_TOO_COSTLY: 'QUERY_TOO_COSTLY',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An expected failure of the domain; mapped to a GraphQL error with a stable code. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (entity: string, id: string) =>
  new DomainError(ErrorCode.NOT_FOUND, `${entity} ${id} was not found`, { entity, id });
export const badInput = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, message, details);
export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError(ErrorCode.CONFLICT, message, details);
export const forbidden = (message = 'You are not allowed to do this') => new DomainError(ErrorCode.FORBIDDEN, message);
export const unauthenticated = (message = 'Authentication is required') =>
  new DomainError(ErrorCode.UNAUTHENTICATED, message);

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

function flattenValidation(errors: ValidationErrorLike[], prefix = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidation(e.children ?? [], field)];
  });
}

/**
 * graphql-js may be loaded twice (its ESM and CJS builds, by different
 * dependants), so errors are recognised by shape, not by `instanceof GraphQLError`.
 */
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError || (error instanceof Error && error.name === 'GraphQLError');
}

function rootCause(error: unknown): unknown {
  let current = error;
  while (isGraphQLError(current) && current.originalError) current = current.originalError;
  return current;
}

// Codes that limit rules put on their validation errors (Apollo Server stamps GRAPHQL_VALIDATION_FAILED over them).
const LIMIT_RULE_CODES = new Set<unknown>([
  ErrorCode.QUERY_TOO_DEEP,
  ErrorCode.TOO_MANY_ALIASES,
  ErrorCode.TOO_MANY_DIRECTIVES,
  ErrorCode.QUERY_TOO_COSTLY,
]);
// graphql-js reports its own `maxTokens` parse limit as a plain syntax error (and says "more that").
const TOKEN_LIMIT = /Document contains more tha[nt] (\d+) tokens/;
// "Did you mean …?" would let anyone map the schema without introspection.
const SUGGESTION = /\s*Did you mean .+\?$/;

/** Drops graphql-js's field suggestions from a formatted error (production, and always at the gateway). */
export function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = formatted.message.replace(SUGGESTION, '');
  return message === formatted.message ? formatted : { ...formatted, message };
}

// Node socket errors of a dependency that is down or unreachable.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);
// Postgres: connection exceptions (class 08), server shutting down or starting, out of connections.
const POSTGRES_UNAVAILABLE = /^(08...|57P0[1-3]|53300)$/;
const OUTAGE_MESSAGES = [
  /Connection terminated/i, // pg: the server went away mid-query
  /timeout exceeded when trying to connect/i, // pg-pool
  /Connection is closed/i, // ioredis
  /Reached the max retries per request limit/i, // ioredis MaxRetriesPerRequestError
  /Stream isn't writeable/i, // ioredis with the offline queue off
];

/**
 * Whether an error means Postgres or Redis cannot be reached right now (not that the request is
 * wrong): clients should retry, so it is UNAVAILABLE rather than INTERNAL_SERVER_ERROR.
 * Looks through TypeORM's `driverError`, `cause` and AggregateError (node tries every address).
 */
export function isDependencyOutage(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE.test(code))) return true;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (OUTAGE_MESSAGES.some((m) => m.test(error.message))) return true;
  const nested = [
    (error as { driverError?: unknown }).driverError,
    error.cause,
    ...(error instanceof AggregateError ? error.errors : []),
  ];
  return nested.some((inner) => isDependencyOutage(inner, depth + 1));
}

/**
 * The one place where thrown errors become client-facing GraphQL errors.
 * Domain errors keep their code; validation failures become BAD_USER_INPUT;
 * limit rules keep their own codes; Postgres or Redis being down is UNAVAILABLE; anything
 * unexpected is masked as INTERNAL_SERVER_ERROR (and logged by the caller).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const limitCode = (error as { originalError?: { extensions?: { code?: unknown } } } | null)?.originalError?.extensions
    ?.code;
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && LIMIT_RULE_CODES.has(limitCode)) {
    return { ...formatted, extensions: { ...formatted.extensions, code: limitCode } };
  }
  const tokens = formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && TOKEN_LIMIT.exec(formatted.message);
  if (tokens) {
    return {
      message: `The query has more than ${tokens[1]} tokens`,
      extensions: { code: ErrorCode.TOO_MANY_TOKENS },
    };
  }
  const original = rootCause(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { ...original.details, code: original.code },
    };
  }
  // type-graphql's ArgumentValidationError carries class-validator results.
  const validationErrors = (original as { extensions?: { validationErrors?: ValidationErrorLike[] } } | null)
    ?.extensions?.validationErrors;
  if (Array.isArray(validationErrors)) {
    const errors = validationErrors;
    const fields = flattenValidation(errors ?? []);
    const summary = fields.map((f) => `${f.field}: ${f.messages.join(', ')}`).join('; ');
    return {
      message: summary ? `Invalid input: ${summary}` : 'Invalid input',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.BAD_USER_INPUT, fields },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) return formatted;
  if (isGraphQLError(original)) return formatted;
  if (isDependencyOutage(original)) {
    return {
      message: 'A service this request needs is unavailable; try again shortly',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.UNAVAILABLE },
    };
  }
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
