import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  ACCESS_TOKEN_TYPE,
  createInfra,
  createLogger,
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_TOKEN_ISSUER,
  parseEnv,
  sharedEnvSchema,
  TokenVerifier,
  type AccessTokenClaims,
  type Infra,
  type Role,
} from '@phub/kit';
import { createTestDatabase, waitFor } from '@phub/kit/testing';
import { createClient, type Client } from 'graphql-ws';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { WebSocket } from 'ws';
import type { Clock } from '../clock.js';
import { campaignEnvSchema } from '../env.js';
import { createCampaignService } from '../index.js';
import { ALL_DEMO_DISPLAYS, publishDemoFleet } from './fleet.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: (string | number)[] }[];
}

/** Signs platform access tokens the way the auth service does, with a key this harness trusts. */
export class TestIssuer {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly verifier: TokenVerifier,
  ) {}

  static async create(infra: Infra): Promise<TestIssuer> {
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

/** A live subscription: events arrive in `events`; `next()` waits for the next unread one. */
export interface TestSubscription<T> {
  events: T[];
  errors: unknown[];
  next(timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/**
 * A running campaign subgraph on a fresh database of the real Postgres, with demo creatives and
 * campaigns, and (unless `fleet: false`) location's demo fleet published on the in-memory bus.
 */
export async function startCampaign(options: { clock?: Clock; fleet?: boolean; demoData?: boolean } = {}) {
  const database = await createTestDatabase();
  const assetDir = await mkdtemp(join(tmpdir(), 'phub-campaign-'));
  const logger = createLogger('campaign-test', 'silent');
  const env = parseEnv(sharedEnvSchema, { DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const infra = await createInfra({ env, logger, standalone: false, targets: ['campaign'] });
  const issuer = await TestIssuer.create(infra);
  const service = createCampaignService(infra, {
    port: 0,
    host: '127.0.0.1',
    demoData: options.demoData ?? true,
    verifier: issuer.verifier,
    env: parseEnv(campaignEnvSchema, { ASSET_DIR: assetDir }),
    clock: options.clock,
  });
  await service.start();
  const clients: Client[] = [];

  async function gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<GraphQLResponse<T>> {
    const res = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLResponse<T>;
  }

  /** Subscribes over graphql-ws with the token in connectionParams. */
  function subscribe<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    token: string,
  ): TestSubscription<GraphQLResponse<T>> {
    const client = createClient({
      url: service.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    clients.push(client);
    const events: GraphQLResponse<T>[] = [];
    const errors: unknown[] = [];
    let read = 0;
    const dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => void events.push(value as GraphQLResponse<T>),
        error: (err) => void errors.push(err),
        complete: () => {},
      },
    );
    return {
      events,
      errors,
      async next(timeoutMs = 10_000) {
        await waitFor(() => events.length > read || errors.length > 0, { timeoutMs, message: 'a subscription event' });
        if (events.length <= read) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        return events[read++]!;
      },
      async close() {
        dispose();
        await client.dispose();
      },
    };
  }

  let admin: string | undefined;
  async function waitForFleet(count = ALL_DEMO_DISPLAYS.length) {
    admin ??= await issuer.token({ tid: '00000000-0000-4000-8000-00000000d3e0', roles: ['HQ_ADMIN'] });
    await waitFor(
      async () =>
        (await gql<{ campaignReach: number }>(`{ campaignReach(targeting: {}) }`, {}, admin)).data?.campaignReach ===
        count,
      { message: `${count} displays in the projection` },
    );
    await service.idle();
  }

  if (options.fleet ?? true) {
    await publishDemoFleet(infra.bus);
    await waitForFleet();
  }

  return {
    service,
    infra,
    issuer,
    gql,
    subscribe,
    waitForFleet,
    databaseUrl: database.url,
    async stop() {
      for (const client of clients) await client.dispose();
      await service.stop();
      await infra.close();
      await database.drop();
      await rm(assetDir, { recursive: true, force: true });
    },
  };
}
export type CampaignHarness = Awaited<ReturnType<typeof startCampaign>>;
