import {
  authChecker,
  authenticate,
  buildFederatedSchema,
  CreateOutbox1764000000000,
  DomainError,
  Envelope,
  ErrorCode,
  KmsMasterKey,
  LocalMasterKey,
  GraphQLServer,
  OutboxMessage,
  OutboxRelay,
  openDatabase,
  TokenVerifier,
  tokenLifetimesFromEnv,
  unauthenticated,
  type BusSubscription,
  type Infra,
  type Service,
} from '@phub/kit';
import DataLoader from 'dataloader';
import type { GraphQLSchema } from 'graphql';
import type { JWTVerifyGetKey } from 'jose';
import type { ContainerType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { CLIENT_IP_HEADER, type AuthRequestContext } from './context.js';
import { seedDemoData } from './demo/demo-data.js';
import { loadAuthEnv, type AuthEnv } from './env.js';
import { stampClientIp } from './http-meta.js';
import { AuthMetrics } from './metrics.js';
import { AuthInitial1764000000200 } from './migrations/1764000000200-auth-initial.js';
import { AuthRevocation1764000000210 } from './migrations/1764000000210-auth-revocation.js';
import { ApiClient } from './modules/api-client/api-client.entity.js';
import { ApiClientResolver } from './modules/api-client/api-client.resolver.js';
import { mountTokenEndpoint } from './modules/api-client/api-client.routes.js';
import { ApiClientService } from './modules/api-client/api-client.service.js';
import { AuditEvent } from './modules/audit/audit.entity.js';
import { AuditResolver } from './modules/audit/audit.resolver.js';
import { AuditService } from './modules/audit/audit.service.js';
import { KnownDisplay } from './modules/display/display.entity.js';
import { DisplayDirectory } from './modules/display/display.service.js';
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

export const AUTH_SCHEMA = 'auth';
export const authEntities = [
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
  OutboxMessage,
];
export const authMigrations = [CreateOutbox1764000000000, AuthInitial1764000000200, AuthRevocation1764000000210];

const RESOLVERS = [
  TenantResolver,
  UserResolver,
  SessionResolver,
  ApiClientResolver,
  PairingResolver,
  SigningKeyResolver,
  AuditResolver,
] as const;

/** Every service of the subgraph, wired once per running instance. */
function createServices(
  ds: DataSource,
  infra: Infra,
  env: AuthEnv,
  envelope: Envelope,
  clock: () => number,
  onCommit: () => void,
) {
  const logger = infra.logger.child({ service: 'auth' });
  const metrics = new AuthMetrics();
  const audit = new AuditService(ds, clock);
  const hasher = new PasswordHasher(env.AUTH_SCRYPT_COST);
  const limiter = new RateLimiter(infra.cache, metrics);
  const revocations = new RevocationList(ds, infra.cache, clock, logger);
  const revoker = new SessionRevoker(revocations, env, clock, metrics);
  const keys = new SigningKeyService(ds, env, clock, audit, metrics, logger, envelope);
  const displays = new DisplayDirectory(ds, revoker, audit, logger);
  const sessions = new SessionService(ds, env, clock, keys, hasher, limiter, revoker, displays, audit, metrics);
  const users = new UserService(ds, env, clock, hasher, revoker, audit, onCommit);
  const tenants = new TenantService(ds, audit);
  const clients = new ApiClientService(ds, env, clock, keys, revoker, limiter, audit, metrics);
  const pairing = new PairingService(ds, env, clock, displays, sessions, revoker, limiter, audit, metrics, onCommit);
  return {
    logger,
    metrics,
    audit,
    hasher,
    limiter,
    revocations,
    revoker,
    keys,
    displays,
    sessions,
    users,
    tenants,
    clients,
    pairing,
  };
}
type AuthServices = ReturnType<typeof createServices>;

/** Resolvers get their services from here (type-graphql's container hook). */
function containerFor(services: AuthServices | null): ContainerType {
  if (!services) {
    // The schema printer runs without a database and calls no resolver.
    return {
      get: () => {
        throw new Error('auth schema built without services cannot execute operations');
      },
    };
  }
  const instances = new Map<unknown, unknown>([
    [TenantResolver, new TenantResolver(services.tenants)],
    [UserResolver, new UserResolver(services.users)],
    [SessionResolver, new SessionResolver(services.sessions)],
    [ApiClientResolver, new ApiClientResolver(services.clients)],
    [PairingResolver, new PairingResolver(services.pairing)],
    [SigningKeyResolver, new SigningKeyResolver(services.keys)],
    [AuditResolver, new AuditResolver(services.audit)],
  ]);
  return { get: (cls) => instances.get(cls) };
}

function buildSchemaWith(services: AuthServices | null): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [...RESOLVERS],
      container: containerFor(services),
      authChecker,
      validate: { forbidUnknownValues: false },
    },
    {
      User: {
        // An unresolvable reference is an error, not null: the gateway reports value-completion
        // failures of a null entity only in `extensions`, leaving `{"data":null}` without an error.
        __resolveReference: async (ref: { id: string }, ctx: AuthRequestContext) => {
          if (!ctx.viewer) throw unauthenticated();
          const user = await ctx.loaders.user.load(ref.id);
          if (!user) throw userNotFound(ref.id);
          return user;
        },
      },
    },
  );
}

/** The subgraph schema, for printing SDL (`pnpm compose`); needs no database. */
export function buildAuthSchema(): Promise<GraphQLSchema> {
  return buildSchemaWith(null);
}

export interface AuthServiceOptions {
  port: number;
  host?: string;
  /** Seed the demo tenant and its people when they are absent (never overwrites). */
  demoData?: boolean;
  /** Auth's own settings; parsed from the process environment when omitted. */
  env?: AuthEnv;
  /** Clock in milliseconds, for tests. */
  clock?: () => number;
  /** Encrypts private signing keys at rest; defaults to a local master key under DATA_DIR. */
  envelope?: Envelope;
}

export interface MaintenanceReport {
  keyRotated: boolean;
  sessionsPurged: number;
  pairingCodesPurged: number;
  revocationsPurged: number;
}

export interface AuthService extends Service {
  readonly url: string;
  /** `GET` here for the JWKS every verifier uses. */
  readonly jwksUrl: string;
  /**
   * Verifies tokens with this instance's keys directly (no HTTP), against the shared
   * cache's revocations: for subgraphs running in the same process.
   */
  readonly verifier: TokenVerifier;
  /**
   * Periodic upkeep, also run every AUTH_KEY_CHECK_INTERVAL: rotates the signing key when it is
   * due and deletes sessions and pairing codes that ended over a week ago.
   */
  runMaintenance(): Promise<MaintenanceReport>;
}

/** The auth subgraph: tenants, people, sessions, partner API clients, display pairing, JWKS. */
export function createAuthService(infra: Infra, options: AuthServiceOptions): AuthService {
  const env = options.env ?? loadAuthEnv();
  const clock = options.clock ?? Date.now;
  let dataSource: DataSource | undefined;
  let services: AuthServices | undefined;
  let relay: OutboxRelay | undefined;
  let server: GraphQLServer<AuthRequestContext> | undefined;
  let subscription: BusSubscription | undefined;
  let rotationTimer: NodeJS.Timeout | undefined;
  let revocationTimer: NodeJS.Timeout | undefined;

  const keyResolver: JWTVerifyGetKey = (header, token) => {
    if (!services) {
      throw new DomainError(ErrorCode.UNAVAILABLE, 'The auth service is not started; tokens cannot be verified yet');
    }
    return services.keys.keyResolver()(header, token);
  };
  const verifier = new TokenVerifier({
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    keys: keyResolver,
    cache: infra.cache,
    requireLoadedRevocations: true,
    // Same process as the durable list: a flushed cache is refilled on the spot.
    onRevocationListMissing: async () => {
      if (!services) {
        throw new DomainError(ErrorCode.UNAVAILABLE, 'The auth service is not started; tokens cannot be verified yet');
      }
      await services.revocations.ensureLoaded();
    },
    maxLifetimeSeconds: tokenLifetimesFromEnv(env),
    now: clock,
  });

  const runMaintenance = async (): Promise<MaintenanceReport> => {
    if (!services) throw new Error('auth is not started');
    return {
      keyRotated: Boolean(await services.keys.rotateIfDue()),
      sessionsPurged: await services.sessions.purgeEnded(),
      pairingCodesPurged: await services.pairing.purgeEnded(),
      revocationsPurged: await services.revocations.purgeExpired(),
    };
  };

  return {
    name: 'auth',
    verifier,
    get url() {
      if (!server) throw new Error('auth is not started');
      return server.url;
    },
    get jwksUrl() {
      return this.url.replace(/\/graphql$/, JWKS_PATH);
    },
    runMaintenance,

    async start() {
      const logger = infra.logger.child({ service: 'auth' });
      dataSource = await openDatabase({
        url: infra.databaseUrl,
        schema: AUTH_SCHEMA,
        entities: authEntities,
        migrations: authMigrations,
        logger,
      });
      const ds = dataSource;
      relay = new OutboxRelay(ds, infra.bus, logger);
      // Private signing keys are sealed by a master key: KMS, or a file under DATA_DIR (0600, made on first start).
      const envelope =
        options.envelope ??
        new Envelope(
          env.KMS_KEY_ID ? new KmsMasterKey(env.KMS_KEY_ID) : LocalMasterKey.loadOrCreate(infra.env.DATA_DIR),
        );
      const wired = createServices(ds, infra, env, envelope, clock, () => relay?.nudge());
      services = wired;
      // Before serving: the cache may have restarted while auth was down.
      await wired.revocations.reload();
      await wired.keys.ensureKeys();
      await wired.keys.rotateIfDue();
      if (options.demoData) await seedDemoData(ds, wired.hasher, logger);
      subscription = await wired.displays.subscribe(infra.bus);
      relay.start();

      server = new GraphQLServer<AuthRequestContext>({
        name: 'auth',
        schema: await buildSchemaWith(wired),
        logger,
        metrics: wired.metrics,
        readiness: [{ name: 'postgres', check: () => ds.query('SELECT 1') }, ...infra.readiness],
        shutdownTimeoutMs: infra.env.SHUTDOWN_TIMEOUT_MS,
        context: async (input): Promise<AuthRequestContext> => {
          const viewer = await authenticate(input, verifier);
          return {
            requestId: input.requestId,
            logger: input.logger,
            viewer,
            meta: {
              clientIp: input.headers[CLIENT_IP_HEADER] ?? 'unknown',
              userAgent: input.headers['user-agent'] ?? null,
            },
            loaders: {
              // Display players have no business with people; everyone else sees their own tenant only.
              user: new DataLoader((ids: readonly string[]) =>
                viewer && canSeeUser({ viewer })
                  ? wired.users.loadMany(viewer.tenantId, ids)
                  : Promise.resolve(ids.map(() => null)),
              ),
            },
            disclosed: new Set(),
          };
        },
      });
      // Before start(), so these run ahead of the /graphql route it adds.
      stampClientIp(server.http.app);
      mountJwks(server.http.app, wired.keys);
      mountTokenEndpoint(server.http.app, wired.clients, logger);
      await server.start(options.port, options.host);

      rotationTimer = setInterval(() => {
        void runMaintenance().catch((err: unknown) => logger.warn({ err }, 'auth maintenance failed'));
      }, env.AUTH_KEY_CHECK_INTERVAL * 1000);
      rotationTimer.unref();
      // Verifiers elsewhere refuse tokens while the list is missing from the cache; refill it soon.
      revocationTimer = setInterval(() => {
        void wired.revocations
          .ensureLoaded()
          .catch((err: unknown) => logger.warn({ err }, 'revocation list check failed'));
      }, env.AUTH_REVOCATION_CHECK_INTERVAL * 1000);
      revocationTimer.unref();
    },

    async stop() {
      if (rotationTimer) clearInterval(rotationTimer);
      if (revocationTimer) clearInterval(revocationTimer);
      await server?.stop();
      await subscription?.close();
      await relay?.stop();
      await dataSource?.destroy();
      services = undefined;
    },
  };
}
