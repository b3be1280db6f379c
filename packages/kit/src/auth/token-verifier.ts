import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  type RemoteJWKSet,
} from 'jose';
import type { Cache } from '../cache.js';
import { DomainError, ErrorCode, unauthenticated } from '../errors.js';
import {
  ACCESS_TOKEN_ALGORITHMS,
  ACCESS_TOKEN_TYPE,
  revokedSessionKey,
  revokedTokenKey,
  viewerFromClaims,
} from './claims.js';
import type { Viewer } from './viewer.js';

/** Tokens are a few hundred bytes; anything this large is not ours and is not parsed. */
const MAX_TOKEN_LENGTH = 8 * 1024;

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /**
   * Where verification keys come from: the auth service's JWKS URL (fetched and cached),
   * a fixed key set (tests, pinned keys), or a key resolver (the auth service itself).
   */
  keys: string | URL | JSONWebKeySet | JWTVerifyGetKey;
  /** Revocation list (`revoked:sid:*`, `revoked:jti:*`), shared with the auth service. */
  cache: Cache;
  /** Allowed signing algorithms; defaults to the asymmetric ones the platform uses. */
  algorithms?: readonly string[];
  clockToleranceSeconds?: number;
  /** Remote key set tuning: keep keys this long, refetch an unknown `kid` at most this often. */
  jwks?: { cacheMaxAgeMs?: number; cooldownMs?: number; timeoutMs?: number };
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Verifies platform access tokens (signature, alg allow-list, `typ`, iss, aud, exp,
 * revocation) and turns them into a Viewer. Every failure is UNAUTHENTICATED with a
 * message saying what was wrong, except an unreachable key set, which is UNAVAILABLE.
 */
export class TokenVerifier {
  private readonly getKey: JWTVerifyGetKey;
  private readonly remote?: RemoteJWKSet;
  private readonly algorithms: string[];

  constructor(private readonly options: TokenVerifierOptions) {
    const { keys } = options;
    this.algorithms = [...(options.algorithms ?? ACCESS_TOKEN_ALGORITHMS)];
    if (this.algorithms.some((alg) => alg === 'none' || alg.startsWith('HS'))) {
      throw new Error('TokenVerifier: only asymmetric algorithms may be allowed');
    }
    if (typeof keys === 'string' || keys instanceof URL) {
      this.remote = createRemoteJWKSet(new URL(keys), {
        cacheMaxAge: options.jwks?.cacheMaxAgeMs ?? 10 * 60_000,
        cooldownDuration: options.jwks?.cooldownMs ?? 5_000,
        timeoutDuration: options.jwks?.timeoutMs ?? 5_000,
      });
      this.getKey = this.remote;
    } else if (typeof keys === 'function') {
      this.getKey = keys;
    } else {
      this.getKey = createLocalJWKSet(keys);
    }
  }

  /** Resolves to the token's Viewer, or rejects with a DomainError (UNAUTHENTICATED / UNAVAILABLE). */
  async verify(token: string): Promise<Viewer> {
    if (!token || token.length > MAX_TOKEN_LENGTH) throw unauthenticated('Access token is malformed');
    let payload: unknown;
    try {
      const now = this.options.now?.() ?? Date.now();
      ({ payload } = await jwtVerify(token, this.getKey, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.algorithms,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
        clockTolerance: this.options.clockToleranceSeconds ?? 5,
        currentDate: new Date(now),
      }));
    } catch (err) {
      throw describeFailure(err);
    }
    const result = viewerFromClaims(payload);
    if ('problems' in result) {
      throw unauthenticated(`Access token claims are invalid: ${result.problems.join('; ')}`);
    }
    const { viewer } = result;
    const keys = [revokedTokenKey(viewer.tokenId)];
    if (viewer.sessionId) keys.push(revokedSessionKey(viewer.sessionId));
    const revoked = await Promise.all(keys.map((k) => this.options.cache.get<unknown>(k)));
    if (revoked.some((r) => r !== undefined)) throw unauthenticated('Access token has been revoked');
    return viewer;
  }

  /** Drops cached remote keys, e.g. after a rotation was announced. */
  async reloadKeys(): Promise<void> {
    await this.remote?.reload();
  }
}

function describeFailure(err: unknown): DomainError {
  if (err instanceof errors.JWTExpired) return unauthenticated('Access token has expired');
  if (err instanceof errors.JOSEAlgNotAllowed) return unauthenticated('Access token algorithm is not allowed');
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return unauthenticated('Access token signature is invalid');
  }
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return unauthenticated('Access token was signed with an unknown key');
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    return unauthenticated(`Access token "${err.claim}" claim is invalid (${err.reason})`);
  }
  if (
    err instanceof errors.JWKSTimeout ||
    err instanceof errors.JWKSInvalid ||
    (err instanceof errors.JOSEError && err.code === 'ERR_JOSE_GENERIC')
  ) {
    return new DomainError(ErrorCode.UNAVAILABLE, 'Tokens cannot be verified right now: the key set is unreachable');
  }
  if (err instanceof errors.JOSEError) return unauthenticated('Access token is malformed');
  if (err instanceof DomainError) return err;
  // fetch failures (connection refused, DNS) surface as TypeError from undici.
  return new DomainError(ErrorCode.UNAVAILABLE, 'Tokens cannot be verified right now: the key set is unreachable');
}
