import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  DomainError,
  Envelope,
  ErrorCode,
  KmsMasterKey,
  LocalMasterKey,
  MASTER_KEY_FILE,
  TokenVerifier,
  defineSubgraph,
  every,
  tokenLifetimesFromEnv,
  unauthenticated,
  type SubgraphContext,
  type SubgraphInstance,
} from '@phub/kit';
import DataLoader from 'dataloader';
import { CLIENT_IP_HEADER, type AuthRequestContext } from './context.js';
import { seedDemoData } from './demo/demo-data.js';
import { authEnvSchema, type AuthEnv } from './env.js';
import { stampClientIp } from './http-meta.js';
import { AuthMetrics } from './metrics.js';
import { AuthInitial1764000000200 } from './migrations/1764000000200-auth-initial.js';
import { AuthRevocation1764000000210 } from './migrations/1764000000210-auth-revocation.js';
import { AuthPairingKind1764000000520 } from './migrations/1764000000520-auth-pairing-kind.js';
import { ApiClient } from './modules/api-client/api-client.entity.js';
import { ApiClientResolver } from './modules/api-client/api-client.resolver.js';
import { mountTokenEndpoint } from './modules/api-client/api-client.routes.js';
import { mountSessionEndpoints } from './modules/session/session.routes.js';
import { ApiClientUsageRow } from './modules/api-client/api-client-usage.entity.js';
import { ApiClientUsageResolver } from './modules/api-client/api-client-usage.resolver.js';
import { mountUsageReports } from './modules/api-client/api-client-usage.routes.js';
import { ApiClientUsageService } from './modules/api-client/api-client-usage.service.js';
import { AuthApiClientUsage1764000000530 } from './migrations/1764000000530-auth-api-client-usage.js';
import { AuthAuditSource1764000000957 } from './migrations/1764000000957-auth-audit-source.js';
import { ApiClientService } from './modules/api-client/api-client.service.js';
import { AuditEvent } from './modules/audit/audit.entity.js';
import { AuditFeed } from './modules/audit/audit.feed.js';
import { AuditResolver } from './modules/audit/audit.resolver.js';
import { AuditService } from './modules/audit/audit.service.js';
import { KnownDisplay } from './modules/display/display.entity.js';
import { DisplayDirectory } from './modules/display/display.service.js';
import { authMaintenanceJob } from './modules/job/job.definitions.js';
import { JobResolver } from './modules/job/job.resolver.js';
import { JobService } from './modules/job/job.service.js';
import { PairingCode } from './modules/pairing/pairing.entity.js';
import { PairingResolver } from './modules/pairing/pairing.resolver.js';
import { PairingService } from './modules/pairing/pairing.service.js';
import { Revocation } from './modules/revocation/revocation.entity.js';
import { RevocationList } from './modules/revocation/revocation.service.js';
import { RefreshToken, Session } from './modules/session/session.entity.js';
import { SessionResolver } from './modules/session/session.resolver.js';
import { SessionRevoker, SessionService } from './modules/session/session.service.js';
import { SigningKey } from './modules/signing-key/signing-key.entity.js';
import { SigningKeyResolver } from './modules/signing-key/signing-key.resolver.js';
import { JWKS_PATH, mountJwks } from './modules/signing-key/signing-key.routes.js';
import { TrustedDocument } from './modules/trusted-document/trusted-document.entity.js';
import { TrustedDocumentResolver } from './modules/trusted-document/trusted-document.resolver.js';
import { mountTrustedDocuments } from './modules/trusted-document/trusted-document.routes.js';
import { TrustedDocumentService } from './modules/trusted-document/trusted-document.service.js';
import { AuthTrustedDocuments1764000000220 } from './migrations/1764000000220-auth-trusted-documents.js';
import { SigningKeyService } from './modules/signing-key/signing-key.service.js';
import { Tenant } from './modules/tenant/tenant.entity.js';
import { TenantResolver } from './modules/tenant/tenant.resolver.js';
import { TenantService } from './modules/tenant/tenant.service.js';
import { User } from './modules/user/user.entity.js';
import { UserResolver } from './modules/user/user.resolver.js';
import { userNotFound } from './modules/user/user.errors.js';
import { UserService } from './modules/user/user.service.js';
import { canSeeUser } from './modules/user/user.visibility.js';
import { PasswordHasher } from './security/password.js';
import { RateLimiter } from './security/rate-limit.js';

export { authEnvSchema, loadAuthEnv, type AuthEnv } from './env.js';
export { AuthTopic, type DeviceEvent, type UserEvent } from './events.js';
export { DEMO_PASSWORD, DEMO_USERS, demoUserId } from './demo/demo-data.js';
export { PARTNER_SCOPES } from './modules/api-client/api-client.input.js';
export { JWKS_PATH } from './modules/signing-key/signing-key.routes.js';

/** Auth's own test seam: private signing keys are sealed by this instead of KMS or DATA_DIR's master key. */
interface AuthOptions {
  envelope?: Envelope;
}

/** Every service of the subgraph, wired once per start. */
function createServices(ctx: AuthSetup) {
  const { dataSource: ds, infra, env, clock, metrics, logger, nudgeOutbox, options } = ctx;
  const now = () => clock.now();
  const envelope = options.envelope ?? new Envelope(masterKey(ctx));
  const audit = new AuditService(ds, now);
  const hasher = new PasswordHasher(env.AUTH_SCRYPT_COST);
  const limiter = new RateLimiter(infra.cache, metrics);
  const revocations = new RevocationList(ds, infra.cache, now, logger);
  const revoker = new SessionRevoker(revocations, env, now, metrics);
  const keys = new SigningKeyService(ds, env, now, audit, metrics, logger, envelope);
  const displays = new DisplayDirectory(ds, revoker, audit, logger);
  const auditFeed = new AuditFeed(ds, logger);
  const sessions = new SessionService(ds, env, now, keys, hasher, limiter, revoker, displays, audit, metrics);
  const users = new UserService(ds, env, now, hasher, revoker, audit, nudgeOutbox);
  const clients = new ApiClientService(ds, env, now, keys, revoker, limiter, audit, metrics);
  const pairing = new PairingService(ds, env, now, displays, sessions, revoker, limiter, audit, metrics, nudgeOutbox);
  const tenants = new TenantService(ds, audit);
  const documents = new TrustedDocumentService(ds, audit);
  const jobs = new JobService(ds, audit);
  const usage = new ApiClientUsageService(ds);
  return {
    usage,
    audit,
    auditFeed,
    hasher,
    revocations,
    keys,
    displays,
    sessions,
    users,
    tenants,
    clients,
    pairing,
    documents,
    jobs,
  };
}
type AuthSetup = SubgraphContext<AuthEnv, AuthMetrics, AuthOptions>;

/**
 * Private signing keys are sealed by a master key: KMS, or a file under DATA_DIR (0600, made on auth's first
 * start). The worker rotates keys with auth's master key or not at all: one of its own would seal keys that
 * auth cannot open, so without KMS it needs auth's DATA_DIR (the same process, or the same volume).
 */
function masterKey({ env, infra, worker }: AuthSetup) {
  if (env.KMS_KEY_ID) return new KmsMasterKey(env.KMS_KEY_ID);
  if (worker && !existsSync(join(infra.env.DATA_DIR, MASTER_KEY_FILE))) {
    throw new ConfigError([
      `KMS_KEY_ID: required for the worker's auth jobs (signing-key rotation), unless the worker shares auth's ` +
        `DATA_DIR (${join(infra.env.DATA_DIR, MASTER_KEY_FILE)} is missing: auth has not started there)`,
    ]);
  }
  return LocalMasterKey.loadOrCreate(infra.env.DATA_DIR);
}
type AuthServices = ReturnType<typeof createServices>;
type Auth = SubgraphInstance<AuthEnv, AuthMetrics, AuthServices>;

const started = (auth: Auth): AuthServices => {
  const services = auth.running();
  if (!services) {
    throw new DomainError(ErrorCode.UNAVAILABLE, 'The auth service is not started; tokens cannot be verified yet');
  }
  return services;
};

export interface MaintenanceReport {
  keyRotated: boolean;
  sessionsPurged: number;
  pairingCodesPurged: number;
  revocationsPurged: number;
  /** Signing keys whose data key was moved from a retired master key to the current one. */
  dataKeysRewrapped: number;
}

/**
 * Periodic upkeep, the worker's `auth.maintenance` job: rotates the signing key when it is due, deletes
 * sessions and pairing codes that ended over a week ago, and re-wraps data keys of a retired master key.
 */
async function runMaintenance(s: AuthServices): Promise<MaintenanceReport> {
  return {
    keyRotated: Boolean(await s.keys.rotateIfDue()),
    sessionsPurged: await s.sessions.purgeEnded(),
    pairingCodesPurged: await s.pairing.purgeEnded(),
    revocationsPurged: await s.revocations.purgeExpired(),
    // After a master-key rotation, replicas that still sealed with the old key catch up here.
    dataKeysRewrapped: await s.keys.rewrapDataKeys(),
  };
}

/** The auth subgraph: tenants, people, sessions, partner API clients, display pairing, JWKS. */
export const auth = defineSubgraph({
  name: 'auth',
  schema: 'auth',
  port: { variable: 'AUTH_PORT', default: 4001 },
  env: authEnvSchema,
  entities: [
    Tenant,
    User,
    Session,
    RefreshToken,
    SigningKey,
    ApiClient,
    PairingCode,
    KnownDisplay,
    AuditEvent,
    Revocation,
    TrustedDocument,
    ApiClientUsageRow,
  ],
  migrations: [
    AuthInitial1764000000200,
    AuthRevocation1764000000210,
    AuthTrustedDocuments1764000000220,
    AuthPairingKind1764000000520,
    AuthApiClientUsage1764000000530,
    AuthAuditSource1764000000957,
  ],
  outbox: true,
  metrics: () => new AuthMetrics(),
  services: (ctx: AuthSetup) => createServices(ctx),
  // Before serving: the cache may have restarted while auth was down.
  beforeServing: async (s) => {
    await s.revocations.reload();
    await s.keys.ensureKeys();
    await s.keys.rotateIfDue();
  },
  resolvers: [
    [TenantResolver, (s) => new TenantResolver(s.tenants)],
    [UserResolver, (s) => new UserResolver(s.users)],
    [SessionResolver, (s) => new SessionResolver(s.sessions)],
    [ApiClientResolver, (s) => new ApiClientResolver(s.clients)],
    [ApiClientUsageResolver, (s) => new ApiClientUsageResolver(s.usage)],
    [PairingResolver, (s) => new PairingResolver(s.pairing)],
    [SigningKeyResolver, (s) => new SigningKeyResolver(s.keys)],
    [AuditResolver, (s) => new AuditResolver(s.audit)],
    [TrustedDocumentResolver, (s) => new TrustedDocumentResolver(s.documents)],
    [JobResolver, (s) => new JobResolver(s.jobs)],
  ],
  context: ({ requestId, logger, viewer, headers }, s): AuthRequestContext => ({
    requestId,
    logger,
    viewer,
    meta: { clientIp: headers[CLIENT_IP_HEADER] ?? 'unknown', userAgent: headers['user-agent'] ?? null },
    loaders: {
      // Display players have no business with people; everyone else sees their own tenant only.
      user: new DataLoader((ids: readonly string[]) =>
        viewer && canSeeUser({ viewer })
          ? s.users.loadMany(viewer.tenantId, ids)
          : Promise.resolve(ids.map(() => null)),
      ),
    },
    disclosed: new Set(),
  }),
  references: {
    // An unresolvable reference is an error, not null: the gateway reports value-completion
    // failures of a null entity only in `extensions`, leaving `{"data":null}` without an error.
    User: async (ref, ctx) => {
      if (!ctx.viewer) throw unauthenticated();
      const user = await ctx.loaders.user.load(ref.id);
      if (!user) throw userNotFound(ref.id);
      return user;
    },
  },
  routes: ({ app }, s, { logger, clock }) => {
    stampClientIp(app);
    mountJwks(app, s.keys);
    mountTokenEndpoint(app, s.clients, logger);
    mountSessionEndpoints(app, s.sessions, () => clock.now(), logger);
    mountTrustedDocuments(app, s.documents);
    mountUsageReports(app, s.usage);
  },
  consumers: (s) => [s.displays, s.auditFeed],
  loops: (s, { env, logger }) => [
    // Not a job: it refills the shared cache within seconds (verifiers refuse tokens while the list is missing
    // there), idempotent and cheap, which a durable queue would only slow down.
    every(
      env.AUTH_REVOCATION_CHECK_INTERVAL * 1000,
      () => s.revocations.ensureLoaded(),
      (err) => logger.warn({ err }, 'revocation list check failed'),
    ),
  ],
  // Run by the worker (signing keys are rotated by whichever replica takes the run; auth reloads them).
  jobs: (s) => [authMaintenanceJob(() => runMaintenance(s))],
  demoData: { seed: (s, { dataSource, logger }) => seedDemoData(dataSource, s.hasher, logger) },
  // Tokens are verified with this instance's keys directly (no HTTP), against the shared cache's revocations.
  verifier: (a) =>
    new TokenVerifier({
      issuer: a.env.AUTH_ISSUER,
      audience: a.env.AUTH_AUDIENCE,
      keys: (header, token) => started(a).keys.keyResolver()(header, token),
      cache: a.infra.cache,
      requireLoadedRevocations: true,
      // Same process as the durable list: a flushed cache is refilled on the spot.
      onRevocationListMissing: async () => {
        await started(a).revocations.ensureLoaded();
      },
      maxLifetimeSeconds: tokenLifetimesFromEnv(a.env),
      now: () => a.clock.now(),
    }),
  handle: (a) => ({
    /** For subgraphs running in the same process: no JWKS round trip. */
    verifier: a.verifier,
    /** `GET` here for the JWKS every verifier uses. */
    get jwksUrl() {
      return a.url.replace(/\/graphql$/, JWKS_PATH);
    },
    runMaintenance: async () => {
      const s = a.running();
      if (!s) throw new Error('auth is not started');
      return runMaintenance(s);
    },
  }),
});

/** Auth's jobs (signing-key rotation and clean-up), for the worker target. */
export const authJobs = auth.jobSource();

export const AUTH_SCHEMA = auth.schema;
export const authEntities = auth.entities;
export const authMigrations = auth.migrations;
export const buildAuthSchema = auth.buildSchema;
export const createAuthService = auth.create;
export type AuthService = ReturnType<typeof createAuthService>;
