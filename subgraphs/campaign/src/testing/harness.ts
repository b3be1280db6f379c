import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createInfra,
  createLogger,
  createRedisPubSub,
  PostgresBus,
  RedisCache,
  parseEnv,
  sharedEnvSchema,
  type Infra,
} from '@phub/kit';
import {
  createTestDatabase,
  TEST_REDIS_URL,
  TestIssuer,
  waitFor,
  type GraphQLResponse,
  postGraphQL,
} from '@phub/kit/testing';
import { Redis } from 'ioredis';
import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import { type Clock, Envelope, LocalMasterKey } from '@phub/kit';
import { campaignEnvSchema } from '../env.js';
import { createCampaignService } from '../index.js';
import { ALL_DEMO_DISPLAYS, publishDemoFleet } from './fleet.js';

export { TestIssuer, type GraphQLResponse };

/** A live subscription: events arrive in `events`; `next()` waits for the next unread one. */
export interface TestSubscription<T> {
  events: T[];
  errors: unknown[];
  next(timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/**
 * Infra on a fresh database; with `redisPrefix`, cache and pub/sub are the real Redis under that key
 * prefix (replicas of one test share it), the bus stays in-process.
 */
async function testInfra(databaseUrl: string, redisPrefix?: string): Promise<Infra> {
  const logger = createLogger('campaign-test', 'silent');
  const env = parseEnv(sharedEnvSchema, { DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
  const infra = await createInfra({ env, logger, standalone: false, targets: ['campaign'] });
  if (!redisPrefix) return infra;
  const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  const publisher = client.duplicate();
  const subscriber = client.duplicate();
  return {
    ...infra,
    cache: new RedisCache(client, redisPrefix),
    pubsub: createRedisPubSub(publisher, subscriber, logger),
    async close() {
      await infra.close();
      const keys = await client.keys(`${redisPrefix}*`);
      if (keys.length) await client.del(...keys);
      await Promise.all([client.quit(), publisher.quit(), subscriber.quit()]);
    },
  };
}

export interface HarnessOptions {
  clock?: Clock;
  /** Publish location's demo fleet on the bus and wait for the projection (default true). */
  fleet?: boolean;
  demoData?: boolean;
  /** Real Redis for cache and pub/sub (under a random key prefix) instead of in-process ones. */
  redis?: boolean;
  /** Campaign settings besides the harness's own (e.g. CAMPAIGN_WEBHOOK_ALLOW_PRIVATE). */
  env?: Record<string, string>;
}

/**
 * A running campaign subgraph on a fresh database of the real Postgres, with demo creatives and
 * campaigns, and (unless `fleet: false`) location's demo fleet published on the in-memory bus.
 */
export async function startCampaign(options: HarnessOptions = {}) {
  const database = await createTestDatabase();
  const assetDir = await mkdtemp(join(tmpdir(), 'phub-campaign-'));
  const redisPrefix = options.redis ? `phub-test-${randomUUID()}:` : undefined;
  const infra = await testInfra(database.url, redisPrefix);
  const issuer = await TestIssuer.create(infra);
  const serviceEnv = parseEnv(campaignEnvSchema, { ...options.env, ASSET_DIR: assetDir });
  // A master key of this test's own (webhook secrets), so the repository's DATA_DIR is never touched.
  const envelope = new Envelope(LocalMasterKey.loadOrCreate(join(assetDir, 'keys')));
  const service = createCampaignService(infra, {
    port: 0,
    host: '127.0.0.1',
    demoData: options.demoData ?? true,
    verifier: issuer.verifier,
    env: serviceEnv,
    clock: options.clock,
    envelope,
  });
  await service.start();
  const clients: Client[] = [];
  const replicas: { stop(): Promise<void> }[] = [];

  function gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
    url = service.url,
  ): Promise<GraphQLResponse<T>> {
    return postGraphQL<T>(url, query, variables, token);
  }

  /** Subscribes over graphql-ws with the token in connectionParams. */
  function subscribe<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    token: string,
    url = service.url,
  ): TestSubscription<GraphQLResponse<T>> {
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
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

  /**
   * Waits until every consumer has handled what was published on the bus so far and the playlists those
   * events changed have been published: a projection's outcome, without sleeping or polling the graph.
   */
  async function settled() {
    const bus = infra.bus;
    if (!(bus instanceof PostgresBus)) throw new Error(`settled() reads the Postgres bus's lag, not ${bus.kind}`);
    await waitFor(async () => (await bus.lag()) === 0, { message: 'every published event handled' });
    await service.idle();
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

  /** A second replica on the same database (and Redis, with `redis`), trusting the same issuer. */
  async function startReplica(): Promise<{ url: string }> {
    const replicaInfra = await testInfra(database.url, redisPrefix);
    const replica = createCampaignService(replicaInfra, {
      port: 0,
      host: '127.0.0.1',
      verifier: issuer.verifier,
      env: serviceEnv,
      clock: options.clock,
      envelope,
    });
    await replica.start();
    replicas.push({
      stop: async () => {
        await replica.stop();
        await replicaInfra.close();
      },
    });
    return { url: replica.url };
  }

  return {
    service,
    infra,
    /** The subgraph's settings (the worker's campaign jobs are opened with the same). */
    env: serviceEnv,
    /** The master key the subgraph seals with (the worker's job source needs the same). */
    envelope,
    issuer,
    gql,
    subscribe,
    settled,
    waitForFleet,
    startReplica,
    databaseUrl: database.url,
    async stop() {
      for (const client of clients) await client.dispose();
      for (const replica of replicas) await replica.stop();
      await service.stop();
      await infra.close();
      await database.drop();
      await rm(assetDir, { recursive: true, force: true });
    },
  };
}
export type CampaignHarness = Awaited<ReturnType<typeof startCampaign>>;
