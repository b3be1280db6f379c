import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createInfra,
  createLogger,
  createRedisPubSub,
  DEMO_TENANT_ID,
  Envelope,
  LocalMasterKey,
  type Infra,
  parseEnv,
  Role,
  sharedEnvSchema,
  type AccessTokenClaims,
} from '@phub/kit';
import {
  createTestDatabase,
  ManualClock,
  TEST_REDIS_URL,
  TestIssuer,
  waitFor,
  type GraphQLResponse,
  postGraphQL,
} from '@phub/kit/testing';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import pg from 'pg';
import { WebSocket } from 'ws';
import { queueEnvSchema } from '../env.js';
import { ConsumedTopic } from '../events.js';
import { createQueueService, queue } from '../index.js';

export { TestIssuer, type GraphQLResponse };

export const OTHER_TENANT = '11111111-1111-4111-8111-111111111111';
export const STORE_1 = '00000000-0000-4000-8000-0000000005a1';
export const STORE_2 = '00000000-0000-4000-8000-0000000005a2';
export const OTHER_STORE = '11111111-1111-4111-8111-0000000005a1';
export const DISPLAY_1 = '00000000-0000-4000-8000-000000000d11';
/** Kiosk tablets (paired like displays, with the KIOSK role) of store 1 and store 2. */
export const KIOSK_1 = '00000000-0000-4000-8000-000000000e11';
export const KIOSK_2 = '00000000-0000-4000-8000-000000000e12';
export const STAFF_USER = '00000000-0000-4000-8000-00000000a001';
export const MANAGER_USER = '00000000-0000-4000-8000-00000000a002';
/** The harness clock starts here: a Tuesday, 10:00 in London. */
export const T0 = Date.parse('2030-03-12T10:00:00.000Z');
/** Monday to Saturday 09:00–18:00, store-local. */
export const STORE_HOURS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'].map((day) => ({
  day,
  opens: '09:00',
  closes: '18:00',
}));

export const CLAIMS = {
  hqAdmin: { tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] },
  hqEditor: { tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR] },
  hqViewer: { tid: DEMO_TENANT_ID, roles: [Role.HQ_VIEWER] },
  manager: { tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [STORE_1], sub: MANAGER_USER },
  staff: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE_1], sub: STAFF_USER },
  staffStore2: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE_2] },
  partnerRead: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'queue:read' },
  partnerWrite: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'queue:write' },
  partnerNoScope: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'location:read' },
  device: { tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: DISPLAY_1, stores: [STORE_1] },
  kiosk: { tid: DEMO_TENANT_ID, roles: [Role.KIOSK], did: KIOSK_1, sub: KIOSK_1, stores: [STORE_1] },
  kioskStore2: { tid: DEMO_TENANT_ID, roles: [Role.KIOSK], did: KIOSK_2, sub: KIOSK_2, stores: [STORE_2] },
  otherAdmin: { tid: OTHER_TENANT, roles: [Role.HQ_ADMIN] },
  otherManager: { tid: OTHER_TENANT, roles: [Role.STORE_MANAGER], stores: [OTHER_STORE] },
} satisfies Record<string, Partial<AccessTokenClaims> & { tid: string; roles: Role[] }>;
export type Who = keyof typeof CLAIMS;

export interface TestSubscription<T> {
  events: T[];
  errors: unknown[];
  next(timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** Infra on the given database with the real Redis for cache and pub/sub (under a random key prefix). */
async function testInfra(databaseUrl: string): Promise<Infra> {
  const logger = createLogger('queue-test', 'silent');
  const env = parseEnv(sharedEnvSchema, { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
  const infra = await createInfra({ env, logger, standalone: false, targets: ['queue'] });
  const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  const publisher = client.duplicate();
  const subscriber = client.duplicate();
  return {
    ...infra,
    pubsub: createRedisPubSub(publisher, subscriber, logger),
    async close() {
      await infra.close();
      await Promise.all([client.quit(), publisher.quit(), subscriber.quit()]);
    },
  };
}

/**
 * A running queue subgraph on a fresh database of the real Postgres, pub/sub on the real Redis, time on
 * a ManualClock, and location's stores published on the bus: two in the demo tenant, one in another.
 */
export async function startQueue(envOverrides: Record<string, string> = {}, { demoData = false } = {}) {
  const database = await createTestDatabase();
  const infra = await testInfra(database.url);
  const issuer = await TestIssuer.create(infra);
  const clock = new ManualClock(T0);
  // A master key of this test's own, so the repository's DATA_DIR is never touched.
  const keyDir = await mkdtemp(join(tmpdir(), 'phub-queue-'));
  const envelope = new Envelope(LocalMasterKey.loadOrCreate(keyDir));
  const service = createQueueService(infra, {
    envelope,
    port: 0,
    host: '127.0.0.1',
    verifier: issuer.verifier,
    env: parseEnv(queueEnvSchema, envOverrides),
    clock,
    demoData,
  });
  await service.start();
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const clients: Client[] = [];
  const tokens = new Map<Who, string>();

  async function token(who: Who): Promise<string> {
    let t = tokens.get(who);
    if (!t) {
      t = await issuer.token(CLAIMS[who]);
      tokens.set(who, t);
    }
    return t;
  }

  function gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    bearer?: string,
  ): Promise<GraphQLResponse<T>> {
    return postGraphQL<T>(service.url, query, variables, bearer);
  }

  /** As `gql`, but as a named caller, and fails the test on any error. */
  async function as<T = Record<string, unknown>>(
    who: Who | null,
    query: string,
    variables: Record<string, unknown> = {},
  ) {
    const res = await gql<T>(query, variables, who ? await token(who) : undefined);
    if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data!;
  }

  function subscribe<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    bearer?: string,
  ): TestSubscription<GraphQLResponse<T>> {
    const client = createClient({
      url: service.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: bearer ? { authorization: `Bearer ${bearer}` } : {},
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

  /** Location's store events (the queue keeps each store's tenant, time zone and opening hours). */
  async function publishStore(
    id: string,
    tenantId: string,
    timezone: string,
    openingHours: { day: string; opens: string; closes: string }[] = STORE_HOURS,
  ) {
    await infra.bus.publish(ConsumedTopic.store, [
      {
        key: id,
        value: {
          type: 'StoreUpserted',
          occurredAt: new Date().toISOString(),
          store: {
            id,
            tenantId,
            regionId: null,
            name: 'Store',
            code: 'S',
            timezone,
            openingHours,
            tags: [],
            archivedAt: null,
          },
        },
      },
    ]);
  }

  async function count(table: string, where = 'TRUE', params: unknown[] = []): Promise<number> {
    const res = await db.query(`SELECT count(*)::int AS n FROM "queue"."${table}" WHERE ${where}`, params);
    return (res.rows[0] as { n: number }).n;
  }

  /** A line in a store, created as that store's configurer; returns its id. */
  async function createLine(
    storeId = STORE_1,
    over: Record<string, unknown> = {},
    who: Who = storeId === OTHER_STORE ? 'otherAdmin' : 'hqAdmin',
  ): Promise<string> {
    const data = await as<{ createLine: { id: string } }>(
      who,
      `mutation($i: CreateLineInput!) { createLine(input: $i) { id } }`,
      { i: { storeId, name: `Line ${randomUUID().slice(0, 6)}`, prefix: 'A', ...over } },
    );
    return data.createLine.id;
  }

  async function createDesk(storeId = STORE_1, lineIds: string[] = [], who: Who = 'hqAdmin'): Promise<string> {
    const data = await as<{ createDesk: { id: string } }>(
      who,
      `mutation($i: CreateDeskInput!) { createDesk(input: $i) { id } }`,
      { i: { storeId, name: `Desk ${randomUUID().slice(0, 6)}`, lineIds } },
    );
    return data.createDesk.id;
  }

  /** A waiting ticket added at the desk by staff; returns its id. */
  async function addTicket(lineId: string, over: Record<string, unknown> = {}, who: Who = 'staff'): Promise<string> {
    const data = await as<{ addTicket: { id: string } }>(
      who,
      `mutation($i: AddTicketInput!) { addTicket(input: $i) { id } }`,
      { i: { lineId, ...over } },
    );
    return data.addTicket.id;
  }

  const opened: { close(): Promise<void> }[] = [];
  /**
   * The queue's worker jobs (SMS, webhooks) as the worker opens them, with `source` as their settings, on this
   * harness's clock and master key; `run(name)` runs one the way the job runner would, once.
   */
  async function openJobs(source: Record<string, string> = {}) {
    const logger = createLogger('queue-jobs-test', 'silent');
    const jobs = await queue.jobSource({ clock, envelope }).open({
      infra,
      logger,
      source,
      // The queue's jobs enqueue nothing themselves (the subgraph nudges them through pg-boss's own tables).
      send: () => Promise.reject(new Error('the queue jobs do not send jobs')),
    });
    opened.push(jobs);
    return {
      names: jobs.jobs.map((j) => j.name),
      definitions: jobs.jobs,
      async run(name: string) {
        const job = jobs.jobs.find((j) => j.name === name);
        if (!job) throw new Error(`no job ${name}`);
        await job.run({ id: randomUUID(), data: {}, attempt: 1, signal: new AbortController().signal, logger });
      },
    };
  }

  await publishStore(STORE_1, DEMO_TENANT_ID, 'Europe/London');
  await publishStore(STORE_2, DEMO_TENANT_ID, 'America/New_York');
  await publishStore(OTHER_STORE, OTHER_TENANT, 'Europe/London');
  // Counted by their events' time: the demo data's stand-in stores are dated at the epoch until location speaks.
  await waitFor(
    async () =>
      (await count('known_store', `"id" = ANY($1) AND "occurred_at" > 'epoch'`, [[STORE_1, STORE_2, OTHER_STORE]])) ===
      3,
    { message: 'the store projection' },
  );

  return {
    service,
    infra,
    /** The master key the subgraph seals with (the worker's job source needs the same). */
    envelope,
    database,
    issuer,
    clock,
    db,
    token,
    gql,
    as,
    subscribe,
    publishStore,
    count,
    createLine,
    createDesk,
    addTicket,
    openJobs,
    async stop() {
      for (const c of clients) await c.dispose();
      for (const o of opened) await o.close();
      await service.stop();
      await db.end();
      await infra.close();
      await database.drop();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}
export type QueueHarness = Awaited<ReturnType<typeof startQueue>>;
