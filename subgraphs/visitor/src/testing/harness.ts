import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AccessTokenClaims,
  createInfra,
  createLogger,
  DEMO_TENANT_ID,
  Envelope,
  LocalMasterKey,
  parseEnv,
  Role,
  sharedEnvSchema,
} from '@phub/kit';
import { createTestDatabase, type GraphQLResponse, ManualClock, postGraphQL, TestIssuer } from '@phub/kit/testing';
import pg from 'pg';
import { visitorEnvSchema } from '../env.js';
import { createVisitorService, visitor } from '../index.js';

export { type GraphQLResponse };

export const OTHER_TENANT = '11111111-1111-4111-8111-111111111111';
export const STORE_1 = '00000000-0000-4000-8000-0000000005a1';
export const STORE_2 = '00000000-0000-4000-8000-0000000005a2';
export const OTHER_STORE = '11111111-1111-4111-8111-0000000005a1';
export const DISPLAY_1 = '00000000-0000-4000-8000-000000000d11';
export const KIOSK_1 = '00000000-0000-4000-8000-000000000e11';
export const T0 = Date.parse('2030-03-12T10:00:00.000Z');

export const CLAIMS = {
  hqAdmin: { tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] },
  hqEditor: { tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR] },
  hqViewer: { tid: DEMO_TENANT_ID, roles: [Role.HQ_VIEWER] },
  manager: { tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [STORE_1] },
  staff: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE_1] },
  staffStore2: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE_2] },
  partnerRead: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'visitor:read' },
  partnerWrite: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'visitor:write' },
  partnerNoScope: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'queue:read' },
  device: { tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: DISPLAY_1, stores: [STORE_1] },
  kiosk: { tid: DEMO_TENANT_ID, roles: [Role.KIOSK], did: KIOSK_1, sub: KIOSK_1, stores: [STORE_1] },
  otherAdmin: { tid: OTHER_TENANT, roles: [Role.HQ_ADMIN] },
  otherStaff: { tid: OTHER_TENANT, roles: [Role.STORE_STAFF], stores: [OTHER_STORE] },
} satisfies Record<string, Partial<AccessTokenClaims> & { tid: string; roles: Role[] }>;
export type Who = keyof typeof CLAIMS;

/** A running visitor subgraph on a fresh database of the real Postgres, a master key of its own, a ManualClock. */
export async function startVisitor(envOverrides: Record<string, string> = {}) {
  const database = await createTestDatabase();
  const logger = createLogger('visitor-test', 'silent');
  const env = parseEnv(sharedEnvSchema, { DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const infra = await createInfra({ env, logger, standalone: false, targets: ['visitor'] });
  const issuer = await TestIssuer.create(infra);
  const clock = new ManualClock(T0);
  const keyDir = await mkdtemp(join(tmpdir(), 'phub-visitor-'));
  const envelope = new Envelope(LocalMasterKey.loadOrCreate(keyDir));
  const service = createVisitorService(infra, {
    envelope,
    port: 0,
    host: '127.0.0.1',
    verifier: issuer.verifier,
    env: parseEnv(visitorEnvSchema, envOverrides),
    clock,
    demoData: false,
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

  /** As `gql`, as a named caller; fails the test on any error. */
  async function as<T = Record<string, unknown>>(who: Who, query: string, variables: Record<string, unknown> = {}) {
    const res = await gql<T>(query, variables, await token(who));
    if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data!;
  }

  /** The first error's code and reason, for bad-input tests. */
  async function failure(who: Who, query: string, variables: Record<string, unknown> = {}) {
    const res = await gql(query, variables, await token(who));
    const error = res.errors?.[0];
    return { code: error?.extensions?.code, reason: error?.extensions?.reason, data: res.data };
  }

  const CHECK_IN = `mutation($i: CheckInVisitorInput!) { checkInVisitor(input: $i) { checkInId visitorId momentEmitted } }`;
  /** A check-in at a store (staff of store 1 by default); returns the receipt. */
  async function checkIn(input: Record<string, unknown>, who: Who = 'staff') {
    const { checkInVisitor } = await as<{
      checkInVisitor: { checkInId: string; visitorId: string; momentEmitted: boolean };
    }>(who, CHECK_IN, { i: { storeId: STORE_1, source: 'DESK', ...input } });
    return checkInVisitor;
  }

  async function rows<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await db.query(sql, params)).rows as T[];
  }

  return {
    service,
    infra,
    envelope,
    clock,
    db,
    token,
    gql,
    as,
    failure,
    checkIn,
    CHECK_IN,
    rows,
    /** The subgraph's jobs as the worker opens them (same clock and master key; the subgraph's settings by default). */
    async openJobs(source: Record<string, string> = envOverrides) {
      return visitor.jobSource({ clock, envelope }).open({
        infra,
        logger,
        source,
        send: () => Promise.reject(new Error('the visitor jobs send nothing')),
      });
    },
    runJob: async (jobs: { jobs: { name: string; run: (r: never) => Promise<void> }[] }, name: string) => {
      const job = jobs.jobs.find((j) => j.name === name)!;
      await job.run({ id: randomUUID(), data: {}, attempt: 1, signal: new AbortController().signal, logger } as never);
    },
    async stop() {
      await service.stop();
      await db.end();
      await infra.close();
      await database.drop();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}
export type VisitorHarness = Awaited<ReturnType<typeof startVisitor>>;
