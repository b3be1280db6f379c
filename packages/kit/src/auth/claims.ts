import { z } from 'zod';
import { DEVICE_ROLES, Role, type Viewer } from './viewer.js';

/** Defaults shared by the issuer (`auth`) and every verifier, so a bare setup agrees with itself. */
export const DEFAULT_TOKEN_ISSUER = 'urn:phub:auth';
export const DEFAULT_TOKEN_AUDIENCE = 'urn:phub:api';

/** RFC 9068 media type of access tokens; refresh or ID tokens signed with the same key are not accepted. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** Asymmetric algorithms the platform signs with. Anything else (`none`, HS*) is refused. */
export const ACCESS_TOKEN_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type AccessTokenAlgorithm = (typeof ACCESS_TOKEN_ALGORITHMS)[number];

/** Cache keys that mark a session (token family) or a single token as revoked, for every subgraph. */
export const revokedSessionKey = (sessionId: string) => `revoked:sid:${sessionId}`;
export const revokedTokenKey = (tokenId: string) => `revoked:jti:${tokenId}`;
/**
 * Set by the auth service once the cache holds its whole (durable) revocation list. When it is
 * missing the cache was flushed or restarted, and an absent `revoked:*` key proves nothing.
 */
export const REVOCATION_LIST_LOADED_KEY = 'revoked:loaded';

/** Default access-token lifetimes (seconds), the same as the auth service's defaults. */
export const DEFAULT_ACCESS_TOKEN_TTL = 15 * 60;
export const DEFAULT_DEVICE_ACCESS_TOKEN_TTL = 60 * 60;
export const DEFAULT_CLIENT_ACCESS_TOKEN_TTL = 60 * 60;

/** The longest lifetime (exp - iat) a verifier accepts, by kind of holder. */
export interface TokenLifetimes {
  user: number;
  device: number;
  partner: number;
}

/** The claims of a platform access token (besides iss, aud, iat and exp, which jose checks). */
export interface AccessTokenClaims {
  sub: string;
  /** tenant id */
  tid: string;
  roles: Role[];
  /** stores granted to store roles; a device's own store */
  stores: string[];
  /** display id, for device credentials */
  did?: string;
  /** space-separated partner scopes (RFC 8693 `scope`) */
  scope?: string;
  jti: string;
  /** session / refresh-token family; partners: the API client */
  sid?: string;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  tid: z.string().min(1),
  roles: z.array(z.enum(Role)).min(1),
  stores: z.array(z.string()).default([]),
  did: z.string().min(1).optional(),
  scope: z.string().optional(),
  jti: z.string().min(1),
  sid: z.string().min(1).optional(),
  exp: z.number(),
});

/** Turns verified claims into a Viewer; returns a list of problems when the claims are not ours. */
export function viewerFromClaims(payload: unknown): { viewer: Viewer } | { problems: string[] } {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'claims'}: ${i.message}`) };
  }
  const c = parsed.data;
  const device = c.roles.some((r) => DEVICE_ROLES.includes(r));
  const kind = device ? 'device' : c.roles.includes(Role.PARTNER) ? 'partner' : 'user';
  if (kind === 'device' && !c.did) return { problems: ['did: a device token must name its display'] };
  return {
    viewer: {
      kind,
      subject: c.sub,
      tenantId: c.tid,
      roles: c.roles,
      storeIds: c.stores,
      displayId: c.did,
      scopes: c.scope ? c.scope.split(' ').filter(Boolean) : [],
      tokenId: c.jti,
      sessionId: c.sid,
      expiresAt: c.exp,
    },
  };
}

/** Settings a service needs to verify platform tokens; add to its env schema. */
export const tokenVerifierEnvSchema = z.object({
  AUTH_JWKS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().optional()),
  AUTH_ISSUER: z.string().min(1).default(DEFAULT_TOKEN_ISSUER),
  AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_TOKEN_AUDIENCE),
  /** The same variables the auth service issues with: verifiers refuse tokens that live longer. */
  AUTH_ACCESS_TOKEN_TTL: z.coerce.number().int().positive().default(DEFAULT_ACCESS_TOKEN_TTL),
  AUTH_DEVICE_ACCESS_TOKEN_TTL: z.coerce.number().int().positive().default(DEFAULT_DEVICE_ACCESS_TOKEN_TTL),
  AUTH_CLIENT_ACCESS_TOKEN_TTL: z.coerce.number().int().positive().default(DEFAULT_CLIENT_ACCESS_TOKEN_TTL),
});
export type TokenVerifierEnv = z.infer<typeof tokenVerifierEnvSchema>;

/** The lifetimes a verifier accepts, from the token settings. */
export const tokenLifetimesFromEnv = (
  env: Pick<
    TokenVerifierEnv,
    'AUTH_ACCESS_TOKEN_TTL' | 'AUTH_DEVICE_ACCESS_TOKEN_TTL' | 'AUTH_CLIENT_ACCESS_TOKEN_TTL'
  >,
): TokenLifetimes => ({
  user: env.AUTH_ACCESS_TOKEN_TTL,
  device: env.AUTH_DEVICE_ACCESS_TOKEN_TTL,
  partner: env.AUTH_CLIENT_ACCESS_TOKEN_TTL,
});
