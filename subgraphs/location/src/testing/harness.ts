import { createInfra, createLogger, parseEnv, sharedEnvSchema } from '@phub/kit';
import { createTestDatabase, TestIssuer, type GraphQLResponse } from '@phub/kit/testing';
import { createLocationService } from '../index.js';

export { TestIssuer, type GraphQLResponse };

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
