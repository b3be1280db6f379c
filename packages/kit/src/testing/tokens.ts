import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Cache } from '../cache.js';
import {
  ACCESS_TOKEN_TYPE,
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_TOKEN_ISSUER,
  type AccessTokenClaims,
} from '../auth/claims.js';
import { TokenVerifier } from '../auth/token-verifier.js';
import type { Role } from '../auth/viewer.js';

/** The shape of a GraphQL response as tests read it. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: (string | number)[] }[];
}

/** One GraphQL request over HTTP, as clients send it: a bearer token when given, and any extra headers. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GraphQLResponse<T>;
}

/**
 * Signs platform access tokens the way the auth service does, with a key its verifier trusts, so a
 * subgraph can be tested on its own with real tokens (signature, claims, revocation all checked).
 */
export class TestIssuer {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly verifier: TokenVerifier,
  ) {}

  static async create(infra: { cache: Cache }): Promise<TestIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test', alg: 'EdDSA', use: 'sig' };
    const verifier = new TokenVerifier({
      issuer: DEFAULT_TOKEN_ISSUER,
      audience: DEFAULT_TOKEN_AUDIENCE,
      keys: { keys: [jwk] },
      cache: infra.cache,
    });
    return new TestIssuer(privateKey, verifier);
  }

  token(claims: Partial<AccessTokenClaims> & { tid: string; roles: Role[] }): Promise<string> {
    return new SignJWT({ stores: [], ...claims, jti: claims.jti ?? randomUUID() })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'test', typ: ACCESS_TOKEN_TYPE })
      .setSubject(claims.sub ?? randomUUID())
      .setIssuer(DEFAULT_TOKEN_ISSUER)
      .setAudience(DEFAULT_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(this.privateKey);
  }
}
