import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
} from '@phub/kit';
import {
  createTestDatabase,
  ManualClock,
  TestIssuer,
  waitFor,
  type GraphQLResponse,
  postGraphQL,
  openJobSource,
} from '@phub/kit/testing';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { WebSocket } from 'ws';
import { playbackEnvSchema } from '../env.js';
import { ConsumedTopic } from '../events.js';
import { createPlaybackService, playback } from '../index.js';
import { PLAYBACK_HEALTH_SWEEP_JOB } from '../modules/health/health.job.js';

export { TestIssuer, type GraphQLResponse };

export const OTHER_TENANT = '11111111-1111-4111-8111-111111111111';
export const STORE_1 = '00000000-0000-4000-8000-0000000005a1';
export const STORE_2 = '00000000-0000-4000-8000-0000000005a2';
export const OTHER_STORE = '11111111-1111-4111-8111-0000000005a1';
/** Displays location tells playback about: two in the demo tenant's stores, one in another tenant. */
export const DISPLAY_1 = '00000000-0000-4000-8000-000000000d11';
export const DISPLAY_2 = '00000000-0000-4000-8000-000000000d21';
export const OTHER_DISPLAY = '11111111-1111-4111-8111-000000000d11';
export const CAMPAIGN_A = '00000000-0000-4000-8000-0000000ca001';
export const CAMPAIGN_B = '00000000-0000-4000-8000-0000000ca002';
export const CREATIVE_X = '00000000-0000-4000-8000-0000000c0001';
export const CREATIVE_Y = '00000000-0000-4000-8000-0000000c0002';
/** The harness clock starts here. */
export const T0 = Date.parse('2030-03-10T10:00:00.000Z');

export const CLAIMS = {
  hqAdmin: { tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] },
  hqEditor: { tid: DEMO_TENANT_ID, roles: [Role.HQ_EDITOR] },
  hqViewer: { tid: DEMO_TENANT_ID, roles: [Role.HQ_VIEWER] },
  manager: { tid: DEMO_TENANT_ID, roles: [Role.STORE_MANAGER], stores: [STORE_1] },
  staff: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE_1] },
  staffStore2: { tid: DEMO_TENANT_ID, roles: [Role.STORE_STAFF], stores: [STORE_2] },
  partner: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'playback:read' },
  partnerNoScope: { tid: DEMO_TENANT_ID, roles: [Role.PARTNER], scope: 'queue:read' },
  device: { tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: DISPLAY_1, stores: [STORE_1] },
  otherAdmin: { tid: OTHER_TENANT, roles: [Role.HQ_ADMIN] },
} satisfies Record<string, Partial<AccessTokenClaims> & { tid: string; roles: Role[] }>;
export type Who = keyof typeof CLAIMS;

export const play = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  displayId: DISPLAY_1,
  campaignId: CAMPAIGN_A,
  creativeId: CREATIVE_X,
  playlistVersion: 'v1',
  startedAt: new Date(T0 - 20_000).toISOString(),
  endedAt: new Date(T0 - 10_000).toISOString(),
  durationMs: 10_000,
  ...over,
});

export const heartbeat = (at: number, over: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  displayId: DISPLAY_1,
  at: new Date(at).toISOString(),
  currentCreativeId: CREATIVE_X,
  playlistVersion: 'v1',
  appVersion: '1.0.0',
  uptimeSeconds: 100,
  ...over,
});

export interface TestSubscription<T> {
  events: T[];
  errors: unknown[];
  next(timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** A running playback subgraph on a fresh database of the real Postgres, time on a ManualClock. */
export async function startPlayback(envOverrides: Record<string, string> = {}) {
  const database = await createTestDatabase();
  const logger = createLogger('playback-test', 'silent');
  const shared = parseEnv(sharedEnvSchema, { DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
  const infra = await createInfra({ env: shared, logger, standalone: false, targets: ['playback'] });
  const issuer = await TestIssuer.create(infra);
  const clock = new ManualClock(T0);
  const env = parseEnv(playbackEnvSchema, envOverrides);
  // A master key of this test's own (webhook secrets), so the repository's DATA_DIR is never touched.
  const keyDir = await mkdtemp(join(tmpdir(), 'phub-playback-'));
  const envelope = new Envelope(LocalMasterKey.loadOrCreate(keyDir));
  const service = createPlaybackService(infra, {
    port: 0,
    host: '127.0.0.1',
    verifier: issuer.verifier,
    env,
    clock,
    envelope,
  });
  await service.start();
  // The worker's playback jobs beside it, on the same database, pub/sub, clock and master key (as `--target=all` runs them).
  const jobs = await openJobSource(playback.jobSource({ clock, env, envelope }), { infra, logger });
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

  /** A request to a plain route of the service (`/ingest`, `/reports/plays.csv`). */
  function http(path: string, init: { method?: string; body?: unknown; bearer?: string } = {}) {
    return fetch(service.url.replace(/\/graphql$/, '') + path, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  }

  function subscribe<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    bearer: string,
  ): TestSubscription<GraphQLResponse<T>> {
    const client = createClient({
      url: service.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${bearer}` },
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

  /** Location's display events, as location would publish them. */
  async function publishDisplay(id: string, tenantId: string, storeId: string, name = 'Screen') {
    await infra.bus.publish(ConsumedTopic.display, [
      {
        key: id,
        value: {
          type: 'DisplayUpserted',
          occurredAt: new Date().toISOString(),
          display: {
            id,
            tenantId,
            storeId,
            name,
            tags: [],
            orientation: 'LANDSCAPE',
            zoneId: null,
            archivedAt: null,
          },
        },
      },
    ]);
  }

  /** Location's store events (playback keeps each store's time zone and opening hours). */
  async function publishStore(
    id: string,
    tenantId: string,
    timezone: string,
    openingHours: { day: string; opens: string; closes: string }[] = [],
    names: { name: string; code: string; regionId: string | null } = { name: 'Store', code: 'S', regionId: null },
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
            ...names,
            timezone,
            openingHours,
            tags: [],
            archivedAt: null,
          },
        },
      },
    ]);
  }

  /** What campaign will publish when a display's resolved playlist changes. */
  async function publishPlaylist(
    displayId: string,
    version: string,
    at: number,
    tenantId = DEMO_TENANT_ID,
    items?: number,
  ) {
    await infra.bus.publish(ConsumedTopic.playlist, [
      { key: displayId, value: { displayId, tenantId, version, occurredAt: new Date(at).toISOString(), items } },
    ]);
  }

  /** What campaign publishes when a campaign changes (playback keeps its creatives). */
  async function publishCampaign(id: string, creativeIds: string[], tenantId = DEMO_TENANT_ID) {
    const at = new Date().toISOString();
    await infra.bus.publish(ConsumedTopic.campaign, [
      {
        key: id,
        value: {
          type: 'CampaignCreated',
          occurredAt: at,
          campaign: {
            id,
            tenantId,
            name: 'Campaign',
            status: 'LIVE',
            storeId: null,
            ownerId: 'someone',
            priority: 0,
            weight: 1,
            creativeIds,
            pausedStoreIds: [],
            updatedAt: at,
          },
        },
      },
    ]);
  }

  async function count(table: string, where = 'TRUE'): Promise<number> {
    const res = await db.query(`SELECT count(*)::int AS n FROM "playback"."${table}" WHERE ${where}`);
    return (res.rows[0] as { n: number }).n;
  }

  await publishDisplay(DISPLAY_1, DEMO_TENANT_ID, STORE_1);
  await publishDisplay(DISPLAY_2, DEMO_TENANT_ID, STORE_2);
  await publishDisplay(OTHER_DISPLAY, OTHER_TENANT, OTHER_STORE);
  await waitFor(async () => (await count('known_display')) === 3, { message: 'the display projection' });

  return {
    service,
    infra,
    issuer,
    clock,
    jobs,
    /** One run of the worker's health sweep (`playback.health-sweep`), as the worker runs it. */
    evaluate: () => jobs.run(PLAYBACK_HEALTH_SWEEP_JOB),
    db,
    token,
    gql,
    http,
    subscribe,
    publishDisplay,
    publishStore,
    publishPlaylist,
    publishCampaign,
    count,
    async stop() {
      for (const c of clients) await c.dispose();
      await jobs.close();
      await service.stop();
      await db.end();
      await infra.close();
      await database.drop();
      await rm(keyDir, { recursive: true, force: true });
    },
  };
}
export type PlaybackHarness = Awaited<ReturnType<typeof startPlayback>>;
