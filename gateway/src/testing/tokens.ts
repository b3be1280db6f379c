import {
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_TOKEN_ISSUER,
  MemoryCache,
  revokedTokenKey,
  Role,
  TokenVerifier,
} from '@phub/kit';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { randomUUID } from 'node:crypto';

/** Signs platform access tokens with a throwaway key; `verifier` accepts them, as the gateway's would. */
export class TestTokens {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly verifier: TokenVerifier,
    /** The revocation list the verifier reads. */
    readonly cache: MemoryCache,
  ) {}

  static async create(): Promise<TestTokens> {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'EdDSA', use: 'sig' };
    const cache = new MemoryCache();
    const verifier = new TokenVerifier({
      issuer: DEFAULT_TOKEN_ISSUER,
      audience: DEFAULT_TOKEN_AUDIENCE,
      keys: { keys: [jwk] },
      cache,
      // Expiry tests wait for the real `exp`; no grace period after it.
      clockToleranceSeconds: 0,
    });
    return new TestTokens(privateKey, verifier, cache);
  }

  /** An HQ viewer's token, valid for `expiresIn` seconds. */
  sign(options: { expiresIn?: number; subject?: string } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ tid: 'tenant-1', roles: [Role.HQ_VIEWER], stores: [], sid: `session-${randomUUID()}` })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'test-key', typ: 'at+jwt' })
      .setSubject(options.subject ?? 'user-1')
      .setJti(randomUUID())
      .setIssuer(DEFAULT_TOKEN_ISSUER)
      .setAudience(DEFAULT_TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresIn ?? 300))
      .sign(this.privateKey);
  }

  /** A partner API client's token (client credentials), as auth issues them. */
  signPartner(clientId: string, scopes: string[] = ['location:read']): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ tid: 'tenant-1', roles: [Role.PARTNER], stores: [], sid: clientId, scope: scopes.join(' ') })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'test-key', typ: 'at+jwt' })
      .setSubject(clientId)
      .setJti(randomUUID())
      .setIssuer(DEFAULT_TOKEN_ISSUER)
      .setAudience(DEFAULT_TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(this.privateKey);
  }

  /** Marks the token revoked in the shared cache, as the auth service does on logout. */
  async revoke(token: string): Promise<void> {
    await this.cache.set(revokedTokenKey(String(decodeJwt(token).jti)), true, 3600);
  }
}
