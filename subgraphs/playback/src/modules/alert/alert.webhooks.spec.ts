import { DEMO_TENANT_ID, Role, verifyWebhook } from '@phub/kit';
import { waitFor, WebhookReceiver } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPLAY_1, heartbeat, STORE_1, STORE_2, startPlayback, type PlaybackHarness } from '../../testing/harness.js';
import { AlertWebhooks } from './alert.webhooks.js';

const CREATE = `mutation($i: CreatePlaybackWebhookEndpointInput!) {
  createPlaybackWebhookEndpoint(input: $i) { secret endpoint { id storeId events createdBy } } }`;
const LOG = `query($id: ID!) { playbackWebhookEndpoint(id: $id) { id deliveries(first: 20) { edges { node {
  id event eventId alertId status attempts lastStatusCode lastError } } } } }`;
const RECORD = `mutation($i: RecordPlaybackInput!) { recordPlayback(input: $i) { accepted } }`;
interface Delivery {
  id: string;
  event: string;
  eventId: string;
  alertId: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
}
interface Body {
  id: string;
  event: string;
  occurredAt: string;
  storeId: string;
  alert: { id: string; kind: string; state: string; displayId: string; storeId: string };
}

describe(AlertWebhooks.name, () => {
  let h: PlaybackHarness;
  let receiver: WebhookReceiver;
  let partner: string;
  beforeAll(async () => {
    h = await startPlayback({
      PLAYBACK_STALE_AFTER_MINUTES: '600',
      PLAYBACK_WEBHOOK_ALLOW_PRIVATE: 'true',
      PLAYBACK_WEBHOOK_RETRY_BASE_SECONDS: '30',
      PLAYBACK_WEBHOOK_TIMEOUT_MS: '2000',
    });
    receiver = await WebhookReceiver.start();
    partner = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      roles: [Role.PARTNER],
      scope: 'playback:read',
      sub: 'client-noc',
    });
  });
  afterAll(async () => {
    await receiver?.stop();
    await h?.stop();
  });

  /** One run of the worker's `playback.webhooks` job. */
  const deliver = () => h.jobs.run('playback.webhooks');
  const log = async (id: string, as = partner) => {
    const res = await h.gql<{ playbackWebhookEndpoint: { deliveries: { edges: { node: Delivery }[] } } }>(
      LOG,
      { id },
      as,
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.playbackWebhookEndpoint.deliveries.edges.map((e) => e.node);
  };
  async function beat(at: number) {
    const res = await h.gql(RECORD, { i: { heartbeats: [heartbeat(at)] } }, await h.token('device'));
    expect(res.errors).toBeUndefined();
    await waitFor(async () => {
      const r = await h.db.query(`SELECT last_seen_at FROM playback.display_state WHERE display_id = $1`, [DISPLAY_1]);
      return (r.rows[0] as { last_seen_at: Date } | undefined)?.last_seen_at?.getTime() === at;
    });
    await h.evaluate();
  }
  const create = (i: Record<string, unknown>, as: string) =>
    h.gql<{
      createPlaybackWebhookEndpoint: {
        secret: string;
        endpoint: { id: string; storeId: string | null; createdBy: string };
      };
    }>(CREATE, { i }, as);

  it('sends a partner a signed DISPLAY_OFFLINE when a display goes offline, retries it after a 500, then acknowledged and back online', async () => {
    const created = await create(
      {
        url: receiver.url('/noc'),
        events: ['DISPLAY_OFFLINE', 'DISPLAY_ONLINE', 'ALERT_ACKNOWLEDGED'],
        description: 'NOC',
      },
      partner,
    );
    expect(created.errors).toBeUndefined();
    const { secret, endpoint } = created.data!.createPlaybackWebhookEndpoint;
    expect(endpoint.createdBy).toBe('client-noc');
    // A store manager's endpoint for their store hears it too; one for store 2 (by HQ) does not.
    const mine = await create(
      { url: receiver.url('/store1'), events: ['DISPLAY_OFFLINE'], storeId: STORE_1 },
      await h.token('manager'),
    );
    expect(mine.errors).toBeUndefined();
    const other = await create(
      { url: receiver.url('/store2'), events: ['DISPLAY_OFFLINE'], storeId: STORE_2 },
      await h.token('hqAdmin'),
    );
    expect(other.errors).toBeUndefined();
    receiver.script.set('/noc', [500]);

    await beat(h.clock.now());
    expect(await log(endpoint.id)).toEqual([]);
    // 90 s without a heartbeat, then the worker's health sweep raises OFFLINE and fans it out in its transaction.
    h.clock.advance(91_000);
    await h.evaluate();
    const [raised] = (
      await h.db.query(`SELECT id FROM playback.alert WHERE display_id = $1 AND kind = 'OFFLINE'`, [DISPLAY_1])
    ).rows as { id: string }[];
    expect(await log(endpoint.id)).toEqual([
      expect.objectContaining({ event: 'DISPLAY_OFFLINE', alertId: raised!.id, status: 'PENDING', attempts: 0 }),
    ]);

    await deliver();
    let [first] = await log(endpoint.id);
    expect(first).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
    expect(receiver.at('/noc')).toHaveLength(1);
    expect(receiver.at('/store1')).toHaveLength(1);
    expect(receiver.at('/store2')).toHaveLength(0);

    // Not before its backoff (30 s), then delivered.
    h.clock.advance(29_000);
    await deliver();
    expect(receiver.at('/noc')).toHaveLength(1);
    h.clock.advance(1_000);
    await deliver();
    [first] = await log(endpoint.id);
    expect(first).toMatchObject({ status: 'DELIVERED', attempts: 2, lastStatusCode: 200, lastError: null });

    const got = receiver.at('/noc');
    expect(got).toHaveLength(2);
    for (const r of got) {
      expect(r.headers['phub-event']).toBe('DISPLAY_OFFLINE');
      expect(r.headers['phub-event-id']).toBe(first!.eventId);
      expect(
        verifyWebhook(secret, r.body, r.headers['phub-signature'] as string, Math.floor(h.clock.now() / 1000)),
      ).toBe(true);
      // Another secret does not verify it.
      expect(
        verifyWebhook(
          `whsec_${'0'.repeat(43)}`,
          r.body,
          r.headers['phub-signature'] as string,
          Math.floor(h.clock.now() / 1000),
        ),
      ).toBe(false);
      expect(JSON.parse(r.body) as Body).toMatchObject({
        id: first!.eventId,
        event: 'DISPLAY_OFFLINE',
        storeId: STORE_1,
        alert: { id: raised!.id, kind: 'OFFLINE', state: 'RAISED', displayId: DISPLAY_1, storeId: STORE_1 },
      });
    }

    // Staff acknowledge it, then heartbeats resume: both reach the partner at the next run, in order.
    const ack = await h.gql(
      `mutation($id: ID!) { acknowledgeAlert(id: $id) { state } }`,
      { id: raised!.id },
      await h.token('staff'),
    );
    expect(ack.errors).toBeUndefined();
    await beat(h.clock.now());
    await deliver();
    const events = receiver
      .at('/noc')
      .slice(2)
      .map((r) => JSON.parse(r.body) as Body);
    expect(events.map((e) => [e.event, e.alert.id, e.alert.state]).sort()).toEqual([
      ['ALERT_ACKNOWLEDGED', raised!.id, 'ACKNOWLEDGED'],
      ['DISPLAY_ONLINE', raised!.id, 'RESOLVED'],
    ]);
    // The store endpoint wanted only DISPLAY_OFFLINE.
    expect(receiver.at('/store1')).toHaveLength(1);
  });

  it('refuses a partner without playback:read and store staff (FORBIDDEN), a manager outside their stores, and hides endpoints from other tenants and partners (NOT_FOUND)', async () => {
    const created = await create({ url: receiver.url('/mine'), events: ['DISPLAY_OFFLINE'] }, partner);
    const id = created.data!.createPlaybackWebhookEndpoint.endpoint.id;

    for (const who of ['partnerNoScope', 'staff'] as const) {
      const refused = await create({ url: receiver.url('/x'), events: ['DISPLAY_OFFLINE'] }, await h.token(who));
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const list = await h.gql(`{ playbackWebhookEndpoints { id } }`, {}, await h.token(who));
      expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const elsewhere = await create(
      { url: receiver.url('/x'), events: ['DISPLAY_OFFLINE'], storeId: STORE_2 },
      await h.token('manager'),
    );
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const otherPartner = await h.issuer.token({
      tid: DEMO_TENANT_ID,
      roles: [Role.PARTNER],
      scope: 'playback:read',
      sub: 'client-other',
    });
    for (const who of [await h.token('otherAdmin'), otherPartner]) {
      const read = await h.gql(`query($id: ID!) { playbackWebhookEndpoint(id: $id) { id } }`, { id }, who);
      expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const del = await h.gql(`mutation($id: ID!) { deletePlaybackWebhookEndpoint(id: $id) }`, { id }, who);
      expect(del.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const listed = await h.gql<{ playbackWebhookEndpoints: { id: string }[] }>(
        `{ playbackWebhookEndpoints { id } }`,
        {},
        who,
      );
      expect(listed.data!.playbackWebhookEndpoints.map((e) => e.id)).not.toContain(id);
    }
    // Still there for its partner.
    const still = await h.gql(`query($id: ID!) { playbackWebhookEndpoint(id: $id) { id } }`, { id }, partner);
    expect(still.errors).toBeUndefined();
  });
});
