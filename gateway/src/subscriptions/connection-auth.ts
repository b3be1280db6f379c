import { bearerToken, DomainError, ErrorCode, type Logger, type TokenVerifier, type Viewer } from '@phub/kit/edge';
import type { SubscriptionEndReason } from '../metrics.js';

/** A long-lived connection's credentials, as verified when it opened. */
export interface ConnectionIdentity {
  /** `Bearer <token>`: what subgraphs receive, whichever way the client sent the token. */
  authorization?: string;
  token?: string;
  viewer: Viewer | null;
}

export interface ConnectionAuthOptions {
  verifier?: TokenVerifier;
  /** How often a live connection's token is verified again (revocation lives in the shared cache). */
  reverifyMs: number;
  logger: Logger;
}

// setTimeout holds at most ~24.8 days; longer expiries re-arm.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Authenticates WebSocket and SSE connections like HTTP requests (the same optional verifier),
 * and ends them when their token expires or is revoked: an HTTP request is checked once, but a
 * subscription may outlive its token by hours.
 */
export class ConnectionAuth {
  constructor(private readonly options: ConnectionAuthOptions) {}

  /**
   * The token from `connection_init` (`authorization: "Bearer …"` or `accessToken`) or else the
   * `Authorization` header. Rejects with a DomainError: UNAUTHENTICATED for a malformed, invalid,
   * expired or revoked token, UNAVAILABLE when tokens cannot be verified right now. No token is
   * anonymous, as over HTTP: the subgraphs decide what anonymous callers may do.
   */
  async open(input: {
    authorization?: string;
    connectionParams?: Record<string, unknown> | null;
  }): Promise<ConnectionIdentity> {
    const token = bearerToken({
      headers: { authorization: input.authorization },
      connectionParams: input.connectionParams ?? undefined,
    });
    if (token === null) return { viewer: null };
    const viewer = this.options.verifier ? await this.options.verifier.verify(token) : null;
    return { authorization: `Bearer ${token}`, token, viewer };
  }

  /**
   * Calls `end` once when the token expires (a timer at its `exp`) or stops verifying (checked
   * every `reverifyMs`, which catches revocation). Returns the function that stops watching.
   * Without a verifier the gateway knows nothing about tokens, and subgraphs stay in charge.
   */
  watch(identity: ConnectionIdentity, end: (reason: SubscriptionEndReason, message: string) => void): () => void {
    const { verifier, reverifyMs, logger } = this.options;
    const { viewer, token } = identity;
    if (!verifier || !viewer || !token) return () => undefined;
    let ended = false;
    let expiry: NodeJS.Timeout | undefined;
    const finish = (reason: SubscriptionEndReason, message: string) => {
      if (ended) return;
      stop();
      end(reason, message);
    };
    const arm = () => {
      const left = viewer.expiresAt * 1000 - Date.now();
      if (left <= 0) return finish('token_expired', 'Access token has expired');
      expiry = setTimeout(arm, Math.min(left, MAX_TIMER_MS)).unref();
    };
    const recheck = setInterval(() => {
      verifier.verify(token).then(
        () => undefined,
        (err: unknown) => {
          if (err instanceof DomainError && err.code === ErrorCode.UNAUTHENTICATED) {
            finish(/expired/.test(err.message) ? 'token_expired' : 'token_revoked', err.message);
          } else {
            // The key set or the cache is unreachable: keep serving, as a fresh connection could not be told otherwise.
            logger.warn({ reason: (err as Error).message }, 'could not re-verify a subscription token');
          }
        },
      );
    }, reverifyMs).unref();
    const stop = () => {
      ended = true;
      clearTimeout(expiry);
      clearInterval(recheck);
    };
    arm();
    return stop;
  }
}

/** How a failed `open()` is reported: HTTP status for SSE, close code for WebSocket. */
export function refusal(err: unknown): { code: string; message: string; status: number } {
  if (err instanceof DomainError) {
    const status = err.code === ErrorCode.UNAUTHENTICATED ? 401 : err.code === ErrorCode.UNAVAILABLE ? 503 : 400;
    return { code: err.code, message: err.message, status };
  }
  throw err;
}
