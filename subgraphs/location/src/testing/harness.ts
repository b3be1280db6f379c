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
import { createTestDatabase } from '@phub/kit/testing';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createLocationService } from '../index.js';

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

/** A running location subgraph on a fresh database of the real Postgres, with demo data. */
export async function startLocation() {
  const database = await createTestDatabase();
  const logger = createLogger('location-test', 'silent');
  const env = parseEnv(sharedEnvSchema, { DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const infra = await createInfra({ env, logger, standalone: false, targets: ['location'] });
  const issuer = await TestIssuer.create(infra);
  const service = createLocationService(infra, {
    port: 0,
    host: '127.0.0.1',
    demoData: true,
    verifier: issuer.verifier,
  });
  await service.start();

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

  return {
    service,
    infra,
    issuer,
    gql,
    databaseUrl: database.url,
    async stop() {
      await service.stop();
      await infra.close();
      await database.drop();
    },
  };
}
export type LocationHarness = Awaited<ReturnType<typeof startLocation>>;
