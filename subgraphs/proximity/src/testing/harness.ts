import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeEventV1 } from '@phub/contracts';
import {
  createInfra,
  createLogger,
  DEMO_TENANT_ID,
  Envelope,
  LocalMasterKey,
  parseEnv,
  Role,
  sharedEnvSchema,
  type AccessTokenClaims,
  type DeliveredMessage,
} from '@phub/kit';
import { createTestDatabase, postGraphQL, TestIssuer, waitFor, type GraphQLResponse } from '@phub/kit/testing';
import pg from 'pg';
import { proximityEnvSchema } from '../env.js';
import { createProximityService, MIST_WEBHOOK_PATH, proximity, signMist } from '../index.js';

export const OTHER_TENANT = '11111111-1111-4111-8111-111111111111';
export const STORE_1 = '00000000-0000-4000-8000-0000000005a1';
export const STORE_2 = '00000000-0000-4000-8000-0000000005a2';
export const OTHER_STORE = '11111111-1111-4111-8111-0000000005a1';
export const ZONE_1 = '00000000-0000-4000-8000-0000000000a1';
export const ZONE_2 = '00000000-0000-4000-8000-0000000000a2';
export const SECRET = 'test-mist-secret-0123456789';

export const CLAIMS = {
  hqAdmin: { tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] },
  hqEditor: { tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR] },
  hqViewer: { tid: DEMO_TENANT_ID, roles: [Role.HQ_VIEWER] },
  manager: { tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [STORE_1] },
  staff: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE_1] },
  staffStore2: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE_2] },
  partnerRead: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'proximity:read' },
  partnerNoScope: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'queue:read' },
  partnerVisitorWrite: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'visitor:write' },
  device: { tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: '00000000-0000-4000-8000-000000000d11', stores: [STORE_1] },
  otherAdmin: { tid: OTHER_TENANT, roles: [Role.HQ_ADMIN] },
  otherManager: { tid: OTHER_TENANT, roles: [Role.STORE_MANAGER], stores: [OTHER_STORE] },
} satisfies Record<string, Partial<AccessTokenClaims> & { tid: string; roles: Role[] }>;
export type Who = keyof typeof CLAIMS;

/** A Mist zone event as Mist sends it (epoch seconds). */
export const zoneEvent = (o: Record<string, unknown> = {}) => ({
  site_id: 'site-1',
  map_id: 'map-1',
  zone_id: 'mist-zone-1',
  trigger: 'enter',
  timestamp: 1_780_000_000,
  type: 'wifi',
  mac: '5684dae9ac8b',
  ...o,
});

/**
 * A running proximity subgraph on a fresh database of the real Postgres (the bus kept in it), a master key of
 * the test's own, and location's stores published on the bus: two in the demo tenant, one in another.
 */
export async function startProximity(envOverrides: Record<string, string> = {}) {
  const database = await createTestDatabase();
  const logger = createLogger('proximity-test', 'silent');
  const env = parseEnv(sharedEnvSchema, { DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const infra = await createInfra({ env, logger, standalone: false, targets: ['proximity'] });
  const issuer = await TestIssuer.create(infra);
  const keyDir = await mkdtemp(join(tmpdir(), 'phub-proximity-'));
  const envelope = new Envelope(LocalMasterKey.loadOrCreate(keyDir));
  const service = createProximityService(infra, {
    envelope,
    port: 0,
    host: '127.0.0.1',
    verifier: issuer.verifier,
    env: parseEnv(proximityEnvSchema, envOverrides),
  });
  await service.start();
  const occurredAt = new Date().toISOString();
  const store = (id: string, tenantId: string) => ({
    key: id,
    value: {
      type: 'StoreUpserted',
      occurredAt,
      store: { id, tenantId, name: id, timezone: 'Europe/London', tags: [] },
    },
  });
  await infra.bus.publish(storeEventV1.topic, [
    store(STORE_1, DEMO_TENANT_ID),
    store(STORE_2, DEMO_TENANT_ID),
    store(OTHER_STORE, OTHER_TENANT),
  ]);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  await waitFor(async () => {
    const r = await db.query(`SELECT count(*)::int AS n FROM "proximity"."known_store"`);
    return (r.rows[0] as { n: number }).n === 3 ? true : undefined;
  });
  const tokens = new Map<Who, string>();
  const base = service.url.replace(/\/graphql$/, '');

  const h = {
    service,
    infra,
    db,
    issuer,
    async token(who: Who): Promise<string> {
      let t = tokens.get(who);
      if (!t) tokens.set(who, (t = await issuer.token(CLAIMS[who])));
      return t;
    },
    async as<T = Record<string, unknown>>(
      who: Who | 'anonymous',
      query: string,
      variables: Record<string, unknown> = {},
    ): Promise<GraphQLResponse<T>> {
      return postGraphQL<T>(service.url, query, variables, who === 'anonymous' ? undefined : await h.token(who));
    },
    /** Posts a Mist message (signed with `secret` unless a signature is given) for a tenant. */
    async post(
      message: unknown,
      options: { tenantId?: string; secret?: string; signature?: string | null; raw?: string } = {},
    ): Promise<{ status: number; body: Record<string, unknown> }> {
      const body = options.raw ?? JSON.stringify(message);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Mist-webhook' };
      const signature = options.signature === undefined ? signMist(options.secret ?? SECRET, body) : options.signature;
      if (signature !== null) headers['X-Mist-Signature-v2'] = signature;
      const res = await fetch(`${base}${MIST_WEBHOOK_PATH}/${options.tenantId ?? DEMO_TENANT_ID}`, {
        method: 'POST',
        headers,
        body,
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    /** Sets the demo tenant's secret and maps site-1 → store 1 (mist-zone-1 → zone 1, mist-zone-2 → zone 2). */
    async configure(): Promise<void> {
      const secret = await h.as('hqAdmin', `mutation($s: String!) { setMistWebhookSecret(secret: $s) { secretSet } }`, {
        s: SECRET,
      });
      if (secret.errors) throw new Error(JSON.stringify(secret.errors));
      const site = await h.as('hqAdmin', `mutation($i: MapMistSiteInput!) { mapMistSite(input: $i) { mistSiteId } }`, {
        i: {
          mistSiteId: 'site-1',
          storeId: STORE_1,
          zones: [
            { mistZoneId: 'mist-zone-1', zoneId: ZONE_1 },
            { mistZoneId: 'mist-zone-2', zoneId: ZONE_2 },
          ],
        },
      });
      if (site.errors) throw new Error(JSON.stringify(site.errors));
    },
    /** Runs one of the subgraph's jobs as the worker would (its own pool; the subgraph's settings by default). */
    async runJob(name: string, source: Record<string, string> = envOverrides): Promise<void> {
      const jobs = await proximity
        .jobSource({ envelope })
        .open({ infra, logger, source, send: () => Promise.reject(new Error('the proximity jobs send nothing')) });
      try {
        const job = jobs.jobs.find((j) => j.name === name);
        if (!job) throw new Error(`no job ${name}`);
        await job.run({
          id: randomUUID(),
          data: {},
          attempt: 1,
          signal: new AbortController().signal,
          logger,
        } as never);
      } finally {
        await jobs.close();
      }
    },
    /** Every presence moment relayed to the bus so far (read by a consumer group of the test's own). */
    moments: (): Record<string, unknown>[] => [...seen],
    async stop(): Promise<void> {
      await subscription.close();
      await service.stop();
      await db.end();
      await infra.close();
      await database.drop();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
  const seen: Record<string, unknown>[] = [];
  const subscription = await infra.bus.subscribe({
    groupId: `proximity-test-${Date.now()}`,
    topics: ['presence.moment.v1'],
    fromBeginning: true,
    // At-least-once: a redelivered message is the same event, counted once.
    handler: async (message: DeliveredMessage) => {
      const value = message.value as Record<string, unknown>;
      const key = JSON.stringify(value);
      if (!seen.some((m) => JSON.stringify(m) === key)) seen.push(value);
    },
  });
  return h;
}
export type ProximityHarness = Awaited<ReturnType<typeof startProximity>>;
