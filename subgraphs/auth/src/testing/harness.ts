import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createLogger,
  createMemoryPubSub,
  DEMO_TENANT_ID,
  Envelope,
  isSealedSecret,
  LocalMasterKey,
  MemoryBus,
  parseEnv,
  RedisCache,
  Role,
  sharedEnvSchema,
  systemClock,
  type Clock,
  type Infra,
} from '@phub/kit';
import { createTestDatabase, TEST_REDIS_URL } from '@phub/kit/testing';
import { Redis } from 'ioredis';
import { importJWK, SignJWT, type JWK } from 'jose';
import pg from 'pg';
import { vi } from 'vitest';
import { DEMO_PASSWORD } from '../demo/demo-data.js';
import { LOCATION_DISPLAY_TOPIC } from '../events.js';
import { createAuthService, loadAuthEnv } from '../index.js';
import { PasswordHasher } from '../security/password.js';

export interface GraphQLError {
  message: string;
  extensions?: { code?: string; [k: string]: unknown };
  path?: (string | number)[];
}
export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GraphQLError[];
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
}

/** A clock the tests move by hand; the service reads every "now" from it. */
export class TestClock implements Clock {
  private offsetMs = 0;
  readonly now = () => Date.now() + this.offsetMs;
  // Auth schedules nothing through its clock (its loops run on real intervals); timers keep real time.
  readonly setTimer = (delayMs: number, fn: () => void) => systemClock.setTimer(delayMs, fn);
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export const TEST_SCRYPT_COST = 1024;

const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken refreshToken expiresAt user { id email roles storeIds } }
}`;

/**
 * A running auth subgraph on a fresh database of the real Postgres, the real Redis as its
 * cache (under a prefix of its own), an in-process bus, and real HTTP on a free port.
 */
export async function startAuth(options: { env?: Record<string, string>; demoData?: boolean } = {}) {
  const database = await createTestDatabase();
  const logger = createLogger('auth-test', 'silent');
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
  const cachePrefix = `phub:test:${randomBytes(6).toString('hex')}:`;
  const bus = new MemoryBus({ retryDelayMs: 10 });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'phub-auth-test-'));
  const infra: Infra = {
    // DATA_DIR holds the master key that seals signing keys: one of its own per harness.
    env: parseEnv(sharedEnvSchema, { DATABASE_URL: database.url, LOG_LEVEL: 'silent', DATA_DIR: dataDir }),
    logger,
    databaseUrl: database.url,
    bus,
    pubsub: createMemoryPubSub(),
    cache: new RedisCache(redis, cachePrefix),
    readiness: [],
    close: async () => {
      await bus.close();
    },
  };
  const clock = new TestClock();
  const env = loadAuthEnv({
    AUTH_SCRYPT_COST: String(TEST_SCRYPT_COST),
    AUTH_LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
    AUTH_PUBLIC_MAX_REQUESTS_PER_IP: '100000',
    ...options.env,
  });
  const create = () =>
    createAuthService(infra, {
      port: 0,
      host: '127.0.0.1',
      demoData: options.demoData ?? true,
      env,
      clock,
    });
  let service = create();
  await service.start();
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  let baseUrl = service.url.replace(/\/graphql$/, '');

  /** Stops the service and starts a new one on the same database and cache (a process restart). */
  async function restart(): Promise<void> {
    await service.stop();
    service = create();
    await service.start();
    baseUrl = service.url.replace(/\/graphql$/, '');
  }

  /** Deletes every cache key of this harness: what FLUSHALL does, without touching other tests' keys. */
  async function flushCache(): Promise<void> {
    const keys = await redis.keys(`${cachePrefix}*`);
    if (keys.length) await redis.del(...keys);
  }

  async function gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    auth?: string | { token?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>> {
    const opts = typeof auth === 'string' ? { token: auth } : (auth ?? {});
    const res = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as Omit<GraphQLResponse<T>, 'status'>;
    return { status: res.status, ...body };
  }

  /** The data of a call that must succeed. */
  async function ok<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    auth?: string,
  ): Promise<T> {
    const res = await gql<T>(query, variables, auth);
    if (res.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
    return res.data as T;
  }

  async function login(email: string, password = DEMO_PASSWORD): Promise<Tokens & { user: { id: string } }> {
    const data = await ok<{ login: Tokens & { user: { id: string } } }>(LOGIN, { email, password });
    return data.login;
  }

  /** A person with `roles` in the admin's tenant, signed in. */
  async function person(adminToken: string, roles: Role[], storeIds: string[] = []) {
    const email = `${roles.join('-').toLowerCase()}-${randomUUID().slice(0, 8)}@example.test`;
    const password = 'correct horse battery staple';
    const created = await ok<{ createUser: { user: { id: string } } }>(
      `mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }`,
      { input: { email, displayName: email, roles, storeIds, password } },
      adminToken,
    );
    const tokens = await login(email, password);
    return { id: created.createUser.user.id, email, password, ...tokens };
  }

  /** A partner API client of the admin's tenant and a client-credentials token for it. */
  async function partner(adminToken: string, scopes: string[] = ['location:read']) {
    const created = await ok<{ createApiClient: { apiClient: { id: string }; clientSecret: string } }>(
      `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { apiClient { id } clientSecret } }`,
      { input: { name: `partner ${randomUUID().slice(0, 8)}`, scopes } },
      adminToken,
    );
    const { id } = created.createApiClient.apiClient;
    const secret = created.createApiClient.clientSecret;
    return { clientId: id, clientSecret: secret, accessToken: await partnerToken(id, secret) };
  }

  /** A client-credentials token over GraphQL. */
  async function partnerToken(clientId: string, clientSecret: string): Promise<string> {
    const issued = await ok<{ issueClientToken: { accessToken: string } }>(
      `mutation($input: IssueClientTokenInput!) { issueClientToken(input: $input) { accessToken } }`,
      { input: { clientId, clientSecret } },
    );
    return issued.issueClientToken.accessToken;
  }

  /** Publishes a location display event, as the location subgraph's outbox would, and waits for the projection. */
  async function publishDisplay(display: {
    id?: string;
    tenantId: string;
    storeId: string;
    archived?: boolean;
    occurredAt?: string;
  }): Promise<string> {
    const id = display.id ?? randomUUID();
    const occurredAt = display.occurredAt ?? new Date(clock.now()).toISOString();
    await bus.publish(LOCATION_DISPLAY_TOPIC, [
      {
        key: id,
        value: {
          type: display.archived ? 'DisplayArchived' : 'DisplayUpserted',
          occurredAt,
          display: {
            id,
            tenantId: display.tenantId,
            storeId: display.storeId,
            name: `Display ${id.slice(0, 4)}`,
            tags: [],
            orientation: 'LANDSCAPE',
            zoneId: null,
            archivedAt: display.archived ? occurredAt : null,
          },
        },
      },
    ]);
    await vi.waitFor(
      async () => {
        const { rows } = await db.query('SELECT archived_at, occurred_at FROM auth.display WHERE id = $1', [id]);
        if (!rows[0] || Boolean(rows[0].archived_at) !== Boolean(display.archived))
          throw new Error('not projected yet');
        if (new Date(rows[0].occurred_at as string).getTime() < new Date(occurredAt).getTime()) {
          throw new Error('not projected yet');
        }
      },
      { timeout: 5_000, interval: 10 },
    );
    return id;
  }

  /** A display player paired to `displayId` by `claimerToken`: its device credential. */
  async function pairDevice(claimerToken: string, displayId: string) {
    const { requestPairingCode: req } = await ok<{ requestPairingCode: { code: string; secret: string } }>(
      `mutation { requestPairingCode { code secret } }`,
    );
    await ok(
      `mutation($code: String!, $displayId: ID!) { claimPairingCode(code: $code, displayId: $displayId) { status } }`,
      { code: req.code, displayId },
      claimerToken,
    );
    const { pollPairing } = await ok<{
      pollPairing: { status: string; credential: Tokens & { displayId: string } };
    }>(
      `mutation($code: String!, $secret: String!) {
        pollPairing(code: $code, secret: $secret) { status credential { displayId accessToken refreshToken expiresAt } }
      }`,
      { code: req.code, secret: req.secret },
    );
    return pollPairing.credential;
  }

  /** Another tenant with an HQ admin of its own (tenants are created by operators, not through the graph). */
  async function tenant(slug: string) {
    const tenantId = randomUUID();
    await db.query('INSERT INTO auth.tenant (id, slug, name) VALUES ($1, $2, $3)', [tenantId, slug, `Tenant ${slug}`]);
    const email = `admin@${slug}.test`;
    const hash = await new PasswordHasher(TEST_SCRYPT_COST).hash(DEMO_PASSWORD);
    await db.query(
      `INSERT INTO auth."user" (tenant_id, email, display_name, password_hash, status, roles)
       VALUES ($1, $2, $3, $4, 'ACTIVE', $5)`,
      [tenantId, email, `Admin of ${slug}`, hash, [Role.HQ_ADMIN]],
    );
    return { tenantId, admin: await login(email) };
  }

  return {
    get service() {
      return service;
    },
    infra,
    env,
    clock,
    db,
    redis,
    cachePrefix,
    get baseUrl() {
      return baseUrl;
    },
    restart,
    flushCache,
    gql,
    ok,
    login,
    person,
    partner,
    partnerToken,
    publishDisplay,
    pairDevice,
    tenant,
    async stop() {
      await service.stop();
      await infra.close();
      await db.end();
      const keys = await redis.keys(`${cachePrefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
export type AuthHarness = Awaited<ReturnType<typeof startAuth>>;

/** The `extensions.code` of the first error, or 'OK'. */
export const outcome = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.code ?? 'OK';

/** Signs a token with the service's active private key, for tests that need one it would never issue. */
export async function forgeWithServiceKey(
  h: AuthHarness,
  claims: Record<string, unknown>,
  options: { expiresAt?: number; header?: Record<string, unknown> } = {},
): Promise<string> {
  const { rows } = await h.db.query<{ kid: string; algorithm: string; private_jwk: unknown }>(
    `SELECT kid, algorithm, private_jwk FROM auth.signing_key WHERE status = 'ACTIVE'`,
  );
  const active = rows[0]!;
  const key = await importJWK(await openPrivateJwk(h, active.kid, active.private_jwk), active.algorithm);
  const now = Math.floor(h.clock.now() / 1000);
  return new SignJWT({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN], stores: [], ...claims })
    .setProtectedHeader({ alg: active.algorithm, kid: active.kid, typ: 'at+jwt', ...options.header })
    .setIssuer(h.env.AUTH_ISSUER)
    .setAudience(h.env.AUTH_AUDIENCE)
    .setSubject(String(claims.sub ?? randomUUID()))
    .setJti(randomUUID())
    .setIssuedAt(now - 60)
    .setExpirationTime(options.expiresAt ?? now + 300)
    .sign(key);
}

/** A stored private signing key in the clear, with the harness's master key (what only auth can do). */
export async function openPrivateJwk(h: AuthHarness, kid: string, stored: unknown): Promise<JWK> {
  if (!isSealedSecret(stored)) throw new Error(`signing key ${kid} is not sealed`);
  const envelope = new Envelope(LocalMasterKey.loadOrCreate(h.infra.env.DATA_DIR));
  return JSON.parse((await envelope.open(stored, `auth.signing_key:${kid}`)).toString('utf8')) as JWK;
}
