import { DEFAULT_TOKEN_AUDIENCE, DEFAULT_TOKEN_ISSUER, optionalString, parseEnv } from '@phub/kit';
import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The auth service's own settings (the shared ones live in the kit's `sharedEnvSchema`). */
export const authEnvSchema = z.object({
  AUTH_ISSUER: z.string().min(1).default(DEFAULT_TOKEN_ISSUER),
  AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_TOKEN_AUDIENCE),
  AUTH_SIGNING_ALG: z.enum(['EdDSA', 'ES256']).default('EdDSA'),
  /**
   * AWS KMS key (id, ARN or alias) that encrypts private signing keys at rest; unset: a master key
   * file under DATA_DIR, fine for one machine but not for replicas that do not share DATA_DIR.
   */
  KMS_KEY_ID: optionalString,
  /** Access tokens: people, display players, partners. */
  AUTH_ACCESS_TOKEN_TTL: seconds(15 * 60),
  AUTH_DEVICE_ACCESS_TOKEN_TTL: seconds(60 * 60),
  AUTH_CLIENT_ACCESS_TOKEN_TTL: seconds(60 * 60),
  /** A person's session ends this long after login, however often it is refreshed. */
  AUTH_REFRESH_TOKEN_TTL: seconds(30 * 24 * 60 * 60),
  AUTH_DEVICE_REFRESH_TOKEN_TTL: seconds(365 * 24 * 60 * 60),
  /** Signing keys: a new one takes over after this long; checked hourly by the worker's `auth.maintenance` job. */
  AUTH_KEY_ROTATION_INTERVAL: seconds(30 * 24 * 60 * 60),
  AUTH_PAIRING_CODE_TTL: seconds(10 * 60),
  /** How often auth checks that the shared cache still holds the revocation list (reloads it when not). */
  AUTH_REVOCATION_CHECK_INTERVAL: seconds(5),
  AUTH_INVITATION_TTL: seconds(7 * 24 * 60 * 60),
  /**
   * Login throttling, within one window: failures per account from one client IP (so a stranger's
   * guesses do not lock the owner out everywhere), failures per account from all addresses together
   * (a ceiling against distributed guessing), attempts per client IP.
   */
  AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT: count(5),
  AUTH_LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL: count(100),
  AUTH_LOGIN_MAX_ATTEMPTS_PER_IP: count(50),
  AUTH_LOGIN_WINDOW: seconds(15 * 60),
  /** Anonymous pairing and client-credential requests per client IP and window. */
  AUTH_PUBLIC_MAX_REQUESTS_PER_IP: count(120),
  /** scrypt cost N (power of two); r=8, p=1. 2^15 uses 32 MiB per hash. */
  AUTH_SCRYPT_COST: z.coerce
    .number()
    .int()
    .refine((n) => n >= 1024 && (n & (n - 1)) === 0, 'must be a power of two, at least 1024')
    .default(32_768),
});
export type AuthEnv = z.infer<typeof authEnvSchema>;

/** Parses the auth settings, reporting every problem at once (kit ConfigError). */
export function loadAuthEnv(source: NodeJS.ProcessEnv = process.env): AuthEnv {
  return parseEnv(authEnvSchema, source);
}

/** Revocation entries must outlive every access token they could stop. */
export const maxAccessTokenTtl = (env: AuthEnv) =>
  Math.max(env.AUTH_ACCESS_TOKEN_TTL, env.AUTH_DEVICE_ACCESS_TOKEN_TTL, env.AUTH_CLIENT_ACCESS_TOKEN_TTL);
