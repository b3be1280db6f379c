/** Why the engine refused its input; the subgraph maps these to its GraphQL errors. */
export type PlaylistEngineReason = 'INVALID_DISPLAY' | 'INVALID_INSTANT' | 'INVALID_RANGE' | 'PREVIEW_TOO_LONG';

/**
 * A refusal of bad input. `code` uses the platform's closed set (`@phub/kit` ErrorCode), so the subgraph
 * can rethrow it as `new DomainError(e.code, e.message, e.details)`; the engine stays free of that import.
 */
export class PlaylistEngineError extends Error {
  readonly code = 'BAD_USER_INPUT' as const;

  constructor(
    readonly reason: PlaylistEngineReason,
    message: string,
    readonly details: Readonly<Record<string, string | number | null>> = {},
  ) {
    super(message);
    this.name = 'PlaylistEngineError';
  }
}
