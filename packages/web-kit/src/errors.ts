/** What the dashboard says for each `extensions.code` the platform uses (packages/kit ErrorCode and the gateway's). */
const MESSAGES: Record<string, { title: string; hint: string }> = {
  UNAUTHENTICATED: { title: 'You are signed out', hint: 'Your session has ended. Sign in again to continue.' },
  FORBIDDEN: { title: 'Not allowed', hint: 'Your role does not allow this. Ask an HQ administrator if you need it.' },
  NOT_FOUND: { title: 'Not found', hint: 'It may have been archived or removed, or the link is wrong.' },
  BAD_USER_INPUT: { title: 'Please check your input', hint: 'Some values are not valid.' },
  BAD_REQUEST: { title: 'The request was refused', hint: 'The dashboard sent something the platform does not accept.' },
  CONFLICT: {
    title: 'Conflicting change',
    hint: 'It changed meanwhile, or this step is not possible in its status. Reload and try again.',
  },
  RATE_LIMITED: { title: 'Too many attempts', hint: 'Wait a minute before trying again.' },
  PAYLOAD_TOO_LARGE: { title: 'Too large', hint: 'The request or file is larger than the platform accepts.' },
  SUBGRAPH_UNAVAILABLE: {
    title: 'A service is unavailable',
    hint: 'Part of the platform is not answering. Try again shortly.',
  },
  SUBGRAPH_TIMEOUT: {
    title: 'A service timed out',
    hint: 'Part of the platform took too long to answer. Try again shortly.',
  },
  SUBGRAPH_BAD_RESPONSE: { title: 'A service answered badly', hint: 'Try again; report it if it persists.' },
  UNAVAILABLE: { title: 'Unavailable', hint: 'The platform cannot do this right now. Try again shortly.' },
  TOO_MANY_SUBSCRIPTIONS: { title: 'Too many live updates', hint: 'Close other dashboard tabs and reload.' },
  GRAPHQL_VALIDATION_FAILED: {
    title: 'Dashboard and platform disagree',
    hint: 'The dashboard may be out of date: reload the page.',
  },
  GRAPHQL_PARSE_FAILED: {
    title: 'Dashboard and platform disagree',
    hint: 'The dashboard may be out of date: reload the page.',
  },
  INTERNAL_SERVER_ERROR: { title: 'Something went wrong', hint: 'The platform hit an unexpected error. Try again.' },
  NETWORK_ERROR: {
    title: 'Cannot reach the platform',
    hint: 'Check your connection; the dashboard retries when you try again.',
  },
};

const FALLBACK = { title: 'Something went wrong', hint: 'Try again.' };

export interface ErrorView {
  code: string;
  title: string;
  hint: string;
  /** The platform's own messages (useful detail for BAD_USER_INPUT, CONFLICT…) */
  details: string[];
}

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown> | null;
}

/** Shape of urql's CombinedError without importing it: a pure function, testable in node. */
export interface CombinedErrorLike {
  networkError?: Error;
  graphQLErrors?: readonly GraphQLErrorLike[];
  message: string;
}

export function errorCode(error: CombinedErrorLike | Error): string {
  const gql = 'graphQLErrors' in error ? error.graphQLErrors : undefined;
  const code = gql?.find((e) => typeof e.extensions?.code === 'string')?.extensions?.code;
  if (typeof code === 'string') return code;
  if ('networkError' in error && error.networkError) return 'NETWORK_ERROR';
  const own = (error as { code?: unknown }).code;
  return typeof own === 'string' ? own : 'INTERNAL_SERVER_ERROR';
}

/** The message shown for an error, by its code (a page may say it its own way), with the platform's messages as detail. */
export function describeError(
  error: CombinedErrorLike | Error,
  overrides: Partial<Record<string, { title: string; hint: string }>> = {},
): ErrorView {
  const code = errorCode(error);
  const known = overrides[code] ?? MESSAGES[code] ?? FALLBACK;
  const gql = 'graphQLErrors' in error ? (error.graphQLErrors ?? []) : [];
  const details = gql.length
    ? [...new Set(gql.map((e) => e.message))]
    : 'networkError' in error && error.networkError
      ? [error.networkError.message]
      : [error.message];
  return { code, ...known, details: details.filter((d) => d && d !== known.hint) };
}

/** Field-level messages of a BAD_USER_INPUT (`extensions.fields`), by field path. */
export function fieldErrors(error: CombinedErrorLike | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of error?.graphQLErrors ?? []) {
    const fields = e.extensions?.fields;
    if (!Array.isArray(fields)) continue;
    for (const f of fields as { field?: string; messages?: string[] }[]) {
      if (f.field) out[f.field] = (f.messages ?? []).join(', ');
    }
  }
  return out;
}
