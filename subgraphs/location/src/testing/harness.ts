import { createInfra, createLogger, parseEnv, sharedEnvSchema } from '@phub/kit';
import { createTestDatabase, TestIssuer, type GraphQLResponse, postGraphQL } from '@phub/kit/testing';
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

  function gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<GraphQLResponse<T>> {
    return postGraphQL<T>(service.url, query, variables, token);
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
