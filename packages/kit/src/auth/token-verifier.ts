import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  type RemoteJWKSet,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { MemoryCache, type Cache } from '../cache.js';
import { DomainError, ErrorCode, unauthenticated } from '../errors.js';
import {
  ACCESS_TOKEN_ALGORITHMS,
  ACCESS_TOKEN_TYPE,
  DEFAULT_ACCESS_TOKEN_TTL,
  DEFAULT_CLIENT_ACCESS_TOKEN_TTL,
  DEFAULT_DEVICE_ACCESS_TOKEN_TTL,
  REVOCATION_LIST_LOADED_KEY,
  revokedSessionKey,
  revokedTokenKey,
  viewerFromClaims,
  type TokenLifetimes,
} from './claims.js';
import type { Viewer } from './viewer.js';

/** Tokens are a few hundred bytes; anything this large is not ours and is not parsed. */
const MAX_TOKEN_LENGTH = 8 * 1024;

/** Slack on top of a lifetime for the issuer's rounding and a little clock skew. */
const LIFETIME_SKEW_SECONDS = 60;

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
  /**
   * Refuse tokens (UNAVAILABLE) while the cache lacks the auth service's "revocation list loaded"
   * marker: after a flush or restart of the cache, an absent revocation entry proves nothing until
   * auth has reloaded the list from Postgres. Defaults to true with a remote key set and a shared
   * cache (Redis: the auth service runs elsewhere and keeps the list loaded there); false for fixed
   * key sets (tests, pinned keys) and for an in-process cache, which auth elsewhere cannot fill.
   */
  requireLoadedRevocations?: boolean;
  /**
   * Called when the marker is missing, before refusing; the auth service's own verifier reloads
   * the list here, so a flushed cache costs one reload instead of refused requests.
   */
  onRevocationListMissing?: () => Promise<void>;
  /**
   * Longest accepted lifetime (`exp - iat`, seconds) by kind of holder: a token signed with our key
   * but living longer than auth ever issues (a forged ten-year token) is refused. Defaults to the
   * auth service's default TTLs; pass `tokenLifetimesFromEnv(env)` when they are configured.
   */
  maxLifetimeSeconds?: Partial<TokenLifetimes>;
  /** Allowed signing algorithms; defaults to the asymmetric ones the platform uses. */
  algorithms?: readonly string[];
  clockToleranceSeconds?: number;
  /** Remote key set tuning: keep keys this long, refetch an unknown `kid` at most this often. */
  jwks?: { cacheMaxAgeMs?: number; cooldownMs?: number; timeoutMs?: number };
  /**
   * Tokens whose signature and claims were checked are remembered this long (ms; 0: never) so that a client's
   * repeated requests cost a map lookup instead of a signature check. Expiry and revocation are still checked on
   * every call. A key withdrawn from the key set keeps accepting the tokens it had verified this long at most,
   * well within how long a remote key set itself is kept (10 minutes), and auth withdraws keys only once their
   * tokens have expired; reloadKeys forgets them at once. Default 60 s.
   */
  verifiedTtlMs?: number;
  /** How many verified tokens are remembered at most (least recently used go first). Default 10,000. */
  verifiedMax?: number;
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
  private readonly requireLoaded: boolean;
  private readonly lifetimes: TokenLifetimes;
  private readonly verified?: LRUCache<string, Viewer>;

  constructor(private readonly options: TokenVerifierOptions) {
    const { keys } = options;
    this.requireLoaded =
      options.requireLoadedRevocations ??
      ((typeof keys === 'string' || keys instanceof URL) && !(options.cache instanceof MemoryCache));
    this.lifetimes = {
      user: options.maxLifetimeSeconds?.user ?? DEFAULT_ACCESS_TOKEN_TTL,
      device: options.maxLifetimeSeconds?.device ?? DEFAULT_DEVICE_ACCESS_TOKEN_TTL,
      partner: options.maxLifetimeSeconds?.partner ?? DEFAULT_CLIENT_ACCESS_TOKEN_TTL,
    };
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
    const ttl = options.verifiedTtlMs ?? 60_000;
    if (ttl > 0) {
      this.verified = new LRUCache<string, Viewer>({
        max: options.verifiedMax ?? 10_000,
        ttl,
        // The entry's age is read from the same clock tokens are checked against.
        perf: { now: () => this.options.now?.() ?? Date.now() },
      });
    }
  }

  /** Resolves to the token's Viewer, or rejects with a DomainError (UNAUTHENTICATED / UNAVAILABLE). */
  async verify(token: string): Promise<Viewer> {
    if (!token || token.length > MAX_TOKEN_LENGTH) throw unauthenticated('Access token is malformed');
    const now = this.options.now?.() ?? Date.now();
    const known = this.verified?.get(token);
    // A remembered token still expires on time (jwtVerify's own tolerance), and is checked for revocation below.
    if (known && known.expiresAt + this.tolerance() > now / 1000) {
      await this.checkRevocation(known);
      return copyOf(known);
    }
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.algorithms,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['exp', 'iat', 'jti', 'sub'],
        clockTolerance: this.tolerance(),
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
    const { iat } = payload as { iat: number };
    if (viewer.expiresAt - iat > this.lifetimes[viewer.kind] + LIFETIME_SKEW_SECONDS) {
      throw unauthenticated('Access token lives longer than tokens of its kind may');
    }
    await this.checkRevocation(viewer);
    this.verified?.set(token, copyOf(viewer));
    return viewer;
  }

  private tolerance(): number {
    return this.options.clockToleranceSeconds ?? 5;
  }

  private async checkRevocation(viewer: Viewer, reloaded = false): Promise<void> {
    const { cache } = this.options;
    const keys = [revokedTokenKey(viewer.tokenId)];
    if (viewer.sessionId) keys.push(revokedSessionKey(viewer.sessionId));
    if (this.requireLoaded) keys.push(REVOCATION_LIST_LOADED_KEY);
    const found = await Promise.all(keys.map((k) => cache.get<unknown>(k)));
    const marker = this.requireLoaded ? found.pop() : true;
    if (found.some((r) => r !== undefined)) throw unauthenticated('Access token has been revoked');
    if (marker !== undefined) return;
    if (this.options.onRevocationListMissing && !reloaded) {
      await this.options.onRevocationListMissing();
      return this.checkRevocation(viewer, true);
    }
    throw new DomainError(
      ErrorCode.UNAVAILABLE,
      'Tokens cannot be verified right now: the revocation list is being reloaded',
    );
  }

  /** Drops cached remote keys, e.g. after a rotation was announced. */
  async reloadKeys(): Promise<void> {
    this.verified?.clear();
    await this.remote?.reload();
  }
}

/** Each caller gets its own viewer: none can change what another request of the same token sees. */
const copyOf = (viewer: Viewer): Viewer => ({
  ...viewer,
  roles: [...viewer.roles],
  storeIds: [...viewer.storeIds],
  scopes: [...viewer.scopes],
});

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
