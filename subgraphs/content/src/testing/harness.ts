import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createInfra,
  createLogger,
  DEMO_TENANT_ID,
  Egress,
  Envelope,
  LocalMasterKey,
  parseEnv,
  Role,
  sharedEnvSchema,
  type AccessTokenClaims,
} from '@phub/kit';
import { createTestDatabase, ManualClock, postGraphQL, TestIssuer, type GraphQLResponse } from '@phub/kit/testing';
import { aemCreativeRequestedEventV1, aemRenditionEventV1, type AemRenditionEventV1 } from '@phub/contracts';
import pg from 'pg';
import { contentEnvSchema } from '../env.js';
import { createContentService } from '../index.js';

export { type GraphQLResponse };

export const OTHER_TENANT = '11111111-1111-4111-8111-111111111111';
export const STORE_1 = '00000000-0000-4000-8000-0000000005a1';
export const DISPLAY_1 = '00000000-0000-4000-8000-000000000d11';
export const T0 = Date.parse('2030-03-12T10:00:00.000Z');

export const CLAIMS = {
  hqAdmin: { tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] },
  hqEditor: { tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR] },
  hqViewer: { tid: DEMO_TENANT_ID, roles: [Role.HQ_VIEWER] },
  manager: { tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [STORE_1] },
  staff: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE_1] },
  partner: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'content:read content:write' },
  device: { tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: DISPLAY_1, stores: [STORE_1] },
  otherAdmin: { tid: OTHER_TENANT, roles: [Role.HQ_ADMIN] },
} satisfies Record<string, Partial<AccessTokenClaims> & { tid: string; roles: Role[] }>;
export type Who = keyof typeof CLAIMS;

/**
 * A running content subgraph on a fresh database of the real Postgres, time on a ManualClock, AEM secrets sealed
 * by a master key of the test's own, and AEM reads through `egress` (direct unless the test gives a proxy).
 */
export async function startContent(envOverrides: Record<string, string> = {}, egress = new Egress({})) {
  const database = await createTestDatabase();
  const logger = createLogger('content-test', 'silent');
  const infra = await createInfra({
    env: parseEnv(sharedEnvSchema, { DATABASE_URL: database.url, LOG_LEVEL: 'silent' }),
    logger,
    standalone: false,
    targets: ['content'],
  });
  const issuer = await TestIssuer.create(infra);
  const clock = new ManualClock(T0);
  const keyDir = await mkdtemp(join(tmpdir(), 'phub-content-'));
  const service = createContentService(infra, {
    envelope: new Envelope(LocalMasterKey.loadOrCreate(keyDir)),
    egress,
    port: 0,
    host: '127.0.0.1',
    verifier: issuer.verifier,
    env: parseEnv(contentEnvSchema, {
      CONTENT_AEM_ALLOW_HTTP: 'true',
      CONTENT_AEM_TIMEOUT_MS: '1500',
      CONTENT_AEM_RETRY_BASE_MS: '5',
      // The copies' local folder (no S3_BUCKET), removed with the test's key folder.
      ASSET_DIR: join(keyDir, 'assets'),
      ...envOverrides,
    }),
    clock,
  });
  await service.start();
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const tokens = new Map<Who, string>();

  async function token(who: Who): Promise<string> {
    let t = tokens.get(who);
    if (!t) tokens.set(who, (t = await issuer.token(CLAIMS[who])));
    return t;
  }

  function gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, bearer?: string) {
    return postGraphQL<T>(service.url, query, variables, bearer);
  }

  /** As `gql`, as a named caller, failing the test on any error. */
  async function as<T = Record<string, unknown>>(who: Who, query: string, variables: Record<string, unknown> = {}) {
    const res = await gql<T>(query, variables, await token(who));
    if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data!;
  }

  return {
    service,
    infra,
    clock,
    db,
    issuer,
    token,
    gql,
    as,
    async stop() {
      await db.end();
      await service.stop();
      await infra.close();
      await egress.close();
      await database.drop();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}
export type ContentHarness = Awaited<ReturnType<typeof startContent>>;

/** Campaign asking for an AEM creative, as it does over the bus; the new creative's id. */
export async function requestAemCreative(
  h: ContentHarness,
  request: { sourceId: string; aemPath: string; template?: 'HEADLINE_BODY_IMAGE_PRICE' | null },
): Promise<string> {
  const creativeId = crypto.randomUUID();
  await h.infra.bus.publish(aemCreativeRequestedEventV1.topic, [
    {
      key: creativeId,
      value: {
        tenantId: DEMO_TENANT_ID,
        creativeId,
        sourceId: request.sourceId,
        aemPath: request.aemPath,
        template: request.template ?? null,
        occurredAt: new Date().toISOString(),
      },
    },
  ]);
  return creativeId;
}

/** Every `content.aem-rendition.v1` the service announces, as campaign would receive them. */
export async function collectRenditions(h: ContentHarness) {
  const events: AemRenditionEventV1[] = [];
  const subscription = await h.infra.bus.subscribe({
    groupId: `test.aem-renditions.${crypto.randomUUID()}`,
    topics: [aemRenditionEventV1.topic],
    fromBeginning: true,
    handler: async (m) => void events.push(aemRenditionEventV1.schema.parse(m.value)),
  });
  return {
    of: (creativeId: string) => events.filter((e) => e.creativeId === creativeId),
    close: () => subscription.close(),
  };
}

/** An AEM as a Cloud Service source (bearer token `aemaacs-token`) added by an HQ admin; its id. */
export async function addBearerSource(h: ContentHarness, baseUrl: string): Promise<string> {
  const { createContentSource } = await h.as<{ createContentSource: { id: string } }>(
    'hqAdmin',
    `mutation { createContentSource(input: { name: "Cloud", baseUrl: "${baseUrl}", authKind: BEARER, secret: "aemaacs-token" }) { id } }`,
  );
  return createContentSource.id;
}
