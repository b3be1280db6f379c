import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, type Viewer } from '../auth/viewer.js';
import { Envelope, LocalMasterKey } from '../crypto/envelope.js';
import { openDatabase } from '../db.js';
import { createLogger } from '../logger.js';
import { outboundMetrics } from '../metrics.js';
import { createTestDatabase, ManualClock, WebhookReceiver } from '../testing/index.js';
import { Visibility } from '../visibility/visibility.js';
import { WebhookEgress } from './webhook.egress.js';
import { WebhookDeliveryRecord, WebhookDeliveryStatus, WebhookEndpointRecord } from './webhook.entity.js';
import { createWebhookTables, dropWebhookTables } from './webhook.migration.js';
import { defaultKeyLocation, WebhookSecrets } from './webhook.secrets.js';
import { webhookBackoffMs, WebhookHub, type WebhookEvent } from './webhook.service.js';
import { verifyWebhook } from './webhook.signature.js';

class Tables1700000000000 implements MigrationInterface {
  name = 'Tables1700000000000';
  up = (runner: QueryRunner) => createWebhookTables(runner);
  down = (runner: QueryRunner) => dropWebhookTables(runner);
}

const TENANT = '00000000-0000-4000-8000-00000000aa01';
const OTHER = '00000000-0000-4000-8000-00000000aa02';
const STORE = '00000000-0000-4000-8000-00000000bb01';
const viewer = (v: Partial<Viewer>): Visibility =>
  new Visibility(
    {
      kind: 'user',
      subject: 'u1',
      tenantId: TENANT,
      roles: [],
      storeIds: [],
      scopes: [],
      tokenId: 't',
      expiresAt: 0,
      ...v,
    },
    { domain: 'playback' },
  );
const admin = viewer({ roles: [Role.HQ_ADMIN] });

describe(WebhookHub.name, () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let ds: DataSource;
  let keyDir: string;
  let receiver: WebhookReceiver;
  let egress: WebhookEgress;
  let hub: WebhookHub;
  const clock = new ManualClock(Date.parse('2031-01-01T00:00:00Z'));
  let nudges = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    keyDir = await mkdtemp(join(tmpdir(), 'phub-webhooks-'));
    ds = await openDatabase({
      url: db.url,
      schema: 'hooks',
      entities: [WebhookEndpointRecord, WebhookDeliveryRecord],
      migrations: [Tables1700000000000],
      logger: createLogger('webhooks-test', 'silent'),
    });
    receiver = await WebhookReceiver.start();
    egress = new WebhookEgress({ allowPrivate: true, timeoutMs: 2_000 });
    const envelope = new Envelope(LocalMasterKey.loadOrCreate(keyDir));
    let secrets: Promise<WebhookSecrets> | undefined;
    hub = new WebhookHub({
      family: 'playback',
      events: ['DISPLAY_OFFLINE', 'DISPLAY_ONLINE'],
      dataSource: ds,
      clock,
      retry: { maxAttempts: 4, retryBaseMs: 10_000, retryCapMs: 15_000, leaseMs: 60_000 },
      urls: { allowPrivate: true },
      egress,
      secrets: () => (secrets ??= WebhookSecrets.open(ds, envelope, defaultKeyLocation('hooks'))),
      storeExists: async (tenantId) => tenantId === TENANT,
      nudge: () => void (nudges += 1),
    });
  });
  afterAll(async () => {
    await egress?.close();
    await receiver?.stop();
    await ds?.destroy();
    await db?.drop();
    await rm(keyDir, { recursive: true, force: true });
  });

  const event = (over: Partial<WebhookEvent> = {}): WebhookEvent => ({
    tenantId: TENANT,
    storeId: STORE,
    event: 'DISPLAY_OFFLINE',
    eventId: '00000000-0000-4000-8000-0000000000e1',
    subjectId: '00000000-0000-4000-8000-0000000000d1',
    payload: { display: 'd1', status: 'OFFLINE' },
    ...over,
  });
  const log = async (endpointId: string) =>
    (await hub.deliveries({ id: endpointId } as WebhookEndpointRecord, null, 50)).edges.map((e) => e.node);

  it.each([
    [1, 10_000],
    [2, 15_000],
    [3, 15_000],
  ])('waits base·2^(n−1), capped, after %i failed attempts: %i ms', (attempt, ms) => {
    expect(webhookBackoffMs(attempt, 10_000, 15_000)).toBe(ms);
  });

  /** The process-wide `phub_outbound_deliveries_total` of this family, by outcome. */
  const counted = async () => {
    const by: Record<string, number> = {};
    for (const v of (await outboundMetrics.deliveries.get()).values) {
      if (v.labels.channel === 'webhook' && v.labels.family === 'playback') by[v.labels.outcome!] = v.value;
    }
    return by;
  };

  it('fans an event out once per matching endpoint, signs it with the sealed secret, backs off up to the cap and gives up', async () => {
    const before = await counted();
    const tenantWide = await hub.create(admin, { url: receiver.url('/all'), events: ['DISPLAY_OFFLINE'] });
    const store = await hub.create(admin, { storeId: STORE, url: receiver.url('/store'), events: ['DISPLAY_OFFLINE'] });
    const online = await hub.create(admin, { url: receiver.url('/online'), events: ['DISPLAY_ONLINE'] });
    // The secret is sealed at rest with the data key that the master key wraps (webhook_key).
    const [row] = (await ds.query(`SELECT secret FROM hooks.webhook_endpoint WHERE id = $1`, [
      tenantWide.endpoint.id,
    ])) as { secret: string }[];
    expect(row!.secret).toMatch(/^v1:/);
    expect(row!.secret).not.toContain(tenantWide.secret);
    expect(await ds.query(`SELECT id FROM hooks.webhook_key`)).toEqual([{ id: 'webhook-secrets' }]);

    // The same event twice (a bus message handled again) is one delivery per endpoint.
    expect(await hub.fanOutNow([event()])).toBe(2);
    expect(await hub.fanOutNow([event()])).toBe(0);
    // A tenant-wide event reaches only tenant-wide endpoints; another tenant's, none of these.
    expect(await hub.fanOutNow([event({ eventId: '00000000-0000-4000-8000-0000000000e2', storeId: null })])).toBe(1);
    expect(await hub.fanOutNow([event({ eventId: '00000000-0000-4000-8000-0000000000e3', tenantId: OTHER })])).toBe(0);
    expect(nudges).toBe(2);
    expect(await log(online.endpoint.id)).toEqual([]);

    receiver.script.set('/store', [500, 503, 500, 500]);
    expect(await hub.dispatchDue()).toEqual({ delivered: 2, retrying: 1, failed: 0 });
    for (const r of receiver.at('/all')) {
      expect(verifyWebhook(tenantWide.secret, r.body, r.headers['phub-signature'] as string, clock.now() / 1000)).toBe(
        true,
      );
      expect(verifyWebhook(store.secret, r.body, r.headers['phub-signature'] as string, clock.now() / 1000)).toBe(
        false,
      );
    }
    // Retries at +10 s, then +15 s (capped), +15 s; the fourth failure is the last.
    for (const wait of [10_000, 15_000, 15_000]) {
      clock.advance(wait - 1);
      expect(await hub.dispatchDue()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
      clock.advance(1);
      await hub.dispatchDue();
    }
    const [failed] = await log(store.endpoint.id);
    expect(failed).toMatchObject({
      status: WebhookDeliveryStatus.FAILED,
      attempts: 4,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
    });
    expect(receiver.at('/store')).toHaveLength(4);
    // Every attempt is counted for ops (the failed-delivery alert reads `outcome="failed"`).
    const after = await counted();
    const grew = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    expect([grew('delivered'), grew('retrying'), grew('failed')]).toEqual([2, 3, 1]);

    // Redelivery of the failed one: same event and body, a new delivery that names it; nudged at once.
    const copy = await hub.redeliver(admin, failed!.id);
    expect(copy).toMatchObject({ eventId: failed!.eventId, status: 'PENDING', attempts: 0, redeliveryOf: failed!.id });
    expect(nudges).toBe(3);
    expect(await hub.dispatchDue()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    const last = receiver.at('/store').at(-1)!;
    expect(last.headers['phub-delivery']).toBe(copy.id);
    expect(last.headers['phub-event-id']).toBe(failed!.eventId);
    expect(last.body).toBe(receiver.at('/store')[0]!.body);
  });

  it.each<[string, string, Visibility, string | null]>([
    ['HQ admin, tenant-wide', 'OK', admin, null],
    ['store manager, own store', 'OK', viewer({ roles: [Role.STORE_MANAGER], storeIds: [STORE] }), STORE],
    ['store manager, tenant-wide', 'FORBIDDEN', viewer({ roles: [Role.STORE_MANAGER], storeIds: [STORE] }), null],
    ['store staff', 'FORBIDDEN', viewer({ roles: [Role.STORE_STAFF], storeIds: [STORE] }), STORE],
    ['HQ viewer', 'FORBIDDEN', viewer({ roles: [Role.HQ_VIEWER] }), null],
    ['other tenant’s admin, a store it lacks', 'NOT_FOUND', viewer({ tenantId: OTHER, roles: [Role.HQ_ADMIN] }), STORE],
  ])('%s registering: %s', async (_name, outcome, scope, storeId) => {
    const attempt = hub.create(scope, { storeId, url: receiver.url('/x'), events: ['DISPLAY_ONLINE'] });
    if (outcome === 'OK') await expect(attempt).resolves.toMatchObject({ endpoint: { storeId } });
    else await expect(attempt).rejects.toMatchObject({ code: outcome });
  });

  it('shows a partner only its own endpoints, and another tenant none (NOT_FOUND for reads, changes and redelivery)', async () => {
    const mine = viewer({ kind: 'partner', subject: 'crm', roles: [Role.PARTNER], scopes: ['playback:read'] });
    const theirs = viewer({ kind: 'partner', subject: 'erp', roles: [Role.PARTNER], scopes: ['playback:read'] });
    const other = viewer({ tenantId: OTHER, roles: [Role.HQ_ADMIN] });
    const { endpoint } = await hub.create(mine, { url: receiver.url('/crm'), events: ['DISPLAY_ONLINE'] });
    await hub.fanOutNow([event({ event: 'DISPLAY_ONLINE', eventId: '00000000-0000-4000-8000-0000000000e9' })]);
    const [delivery] = await log(endpoint.id);
    expect((await hub.list(mine)).map((e) => e.id)).toEqual([endpoint.id]);
    expect((await hub.list(theirs)).map((e) => e.id)).not.toContain(endpoint.id);
    expect((await hub.list(admin)).map((e) => e.id)).toContain(endpoint.id);
    for (const who of [theirs, other]) {
      await expect(hub.get(who, endpoint.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(hub.update(who, { id: endpoint.id, active: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(hub.remove(who, endpoint.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(hub.redeliver(who, delivery!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await hub.get(mine, endpoint.id)).active).toBe(true);
  });

  it('refuses unknown events and empty lists as BAD_USER_INPUT', async () => {
    await expect(hub.create(admin, { url: receiver.url('/y'), events: ['TICKET_CALLED'] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(hub.create(admin, { url: receiver.url('/y'), events: [] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });
});
