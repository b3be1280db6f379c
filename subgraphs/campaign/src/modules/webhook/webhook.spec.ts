import { campaignEventV1 } from '@phub/contracts';
import { createLogger, DEMO_TENANT_ID, Role, verifyWebhook } from '@phub/kit';
import { ManualClock, openJobSource, waitFor, WebhookReceiver } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaign } from '../../index.js';
import { act, createCampaign } from '../../testing/campaigns.js';
import { startCampaign, type CampaignHarness } from '../../testing/harness.js';

const OTHER_TENANT = '00000000-0000-4000-8000-0000000000b2';
const SETTINGS = {
  CAMPAIGN_WEBHOOK_ALLOW_PRIVATE: 'true',
  CAMPAIGN_WEBHOOK_RETRY_BASE_SECONDS: '30',
  CAMPAIGN_WEBHOOK_TIMEOUT_MS: '2000',
};
const CREATE = `mutation($i: CreateCampaignWebhookEndpointInput!) {
  createCampaignWebhookEndpoint(input: $i) { secret endpoint { id storeId events createdBy } } }`;
const LOG = `query($id: ID!) { campaignWebhookEndpoint(id: $id) { id deliveries(first: 20) { edges { node {
  id event eventId campaignId status attempts lastStatusCode lastError redeliveryOf } } } } }`;
interface Delivery {
  id: string;
  event: string;
  eventId: string;
  campaignId: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  redeliveryOf: string | null;
}

describe('campaign webhooks for partners', () => {
  let h: CampaignHarness;
  let receiver: WebhookReceiver;
  let jobs: Awaited<ReturnType<typeof openJobSource>>;
  const clock = new ManualClock(Date.parse('2031-03-10T10:00:00Z'));
  const token = (claims: { tid?: string; roles: Role[]; scope?: string; sub?: string }) =>
    h.issuer.token({ tid: DEMO_TENANT_ID, ...claims });
  let admin: string;
  let partner: string;

  beforeAll(async () => {
    h = await startCampaign({ clock, fleet: false, demoData: true, env: SETTINGS });
    receiver = await WebhookReceiver.start();
    // The worker's campaign jobs, as it opens them: same settings, master key and clock.
    jobs = await openJobSource(campaign.jobSource({ env: h.env, envelope: h.envelope, clock }), {
      infra: h.infra,
      logger: createLogger('campaign-webhooks-test', 'silent'),
    });
    admin = await token({ roles: [Role.HQ_ADMIN] });
    partner = await token({ roles: [Role.PARTNER], scope: 'campaign:read', sub: 'client-crm' });
  });
  afterAll(async () => {
    await jobs?.close();
    await receiver?.stop();
    await h?.stop();
  });

  const run = () =>
    jobs.job('campaign.webhooks').run({
      id: 'test',
      data: {},
      attempt: 1,
      signal: new AbortController().signal,
      logger: createLogger('campaign-webhooks-test', 'silent'),
    });
  const log = async (id: string, as = partner) => {
    const res = await h.gql<{ campaignWebhookEndpoint: { deliveries: { edges: { node: Delivery }[] } } }>(
      LOG,
      { id },
      as,
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!.campaignWebhookEndpoint.deliveries.edges.map((e) => e.node);
  };

  it('delivers a signed campaign event to a partner, retries it after a 500, logs each attempt, and redelivers it', async () => {
    const created = await h.gql<{
      createCampaignWebhookEndpoint: { secret: string; endpoint: { id: string; createdBy: string } };
    }>(CREATE, { i: { url: receiver.url('/crm'), events: ['APPROVED', 'PAUSED'], description: 'CRM' } }, partner);
    expect(created.errors).toBeUndefined();
    const { secret, endpoint } = created.data!.createCampaignWebhookEndpoint;
    expect(endpoint.createdBy).toBe('client-crm');
    receiver.script.set('/crm', [500]);

    const made = await createCampaign(h, admin);
    const id = made.data!.createCampaign.id;
    expect((await act(h, admin, 'submitCampaign', id)).errors).toBeUndefined();
    expect((await act(h, admin, 'approveCampaign', id, ', goLive: false')).errors).toBeUndefined();

    // The approval reaches the bus through the outbox; the consumer logs one delivery (not for CREATED/IN_REVIEW).
    await waitFor(async () => (await log(endpoint.id)).length === 1, { message: 'the APPROVED delivery' });
    await run();
    let [first] = await log(endpoint.id);
    expect(first).toMatchObject({
      event: 'APPROVED',
      campaignId: id,
      status: 'PENDING',
      attempts: 1,
      lastStatusCode: 500,
    });
    expect(first!.lastError).toBe('HTTP 500');
    expect(receiver.at('/crm')).toHaveLength(1);

    // Not before its backoff (30 s), then delivered.
    clock.advance(29_000);
    await run();
    expect(receiver.at('/crm')).toHaveLength(1);
    clock.advance(1_000);
    await run();
    [first] = await log(endpoint.id);
    expect(first).toMatchObject({ status: 'DELIVERED', attempts: 2, lastStatusCode: 200, lastError: null });

    // Both attempts carry the same event, signed with the secret over the exact body.
    const got = receiver.at('/crm');
    expect(got).toHaveLength(2);
    for (const r of got) {
      expect(r.headers['phub-event']).toBe('APPROVED');
      expect(r.headers['phub-event-id']).toBe(first!.eventId);
      expect(r.headers['phub-delivery']).toBe(first!.id);
      expect(verifyWebhook(secret, r.body, r.headers['phub-signature'] as string, Math.floor(clock.now() / 1000))).toBe(
        true,
      );
      const body = JSON.parse(r.body) as { id: string; event: string; campaign: unknown };
      expect(body).toMatchObject({ id: first!.eventId, event: 'APPROVED' });
      expect(campaignEventV1.schema.shape.campaign.parse(body.campaign)).toMatchObject({ id, status: 'APPROVED' });
    }

    // Redelivery: a new logged delivery of the same event (same body, same event id), sent at the next run.
    const again = await h.gql<{ redeliverCampaignWebhook: Delivery }>(
      `mutation($d: ID!) { redeliverCampaignWebhook(deliveryId: $d) { id eventId status attempts redeliveryOf } }`,
      { d: first!.id },
      partner,
    );
    expect(again.errors).toBeUndefined();
    const copy = again.data!.redeliverCampaignWebhook;
    expect(copy).toMatchObject({ eventId: first!.eventId, status: 'PENDING', attempts: 0, redeliveryOf: first!.id });
    await run();
    const third = receiver.at('/crm')[2]!;
    expect(third.headers['phub-delivery']).toBe(copy.id);
    expect(third.headers['phub-event-id']).toBe(first!.eventId);
    expect(third.body).toBe(got[1]!.body);
    expect((await log(endpoint.id)).map((d) => [d.id, d.status, d.redeliveryOf])).toEqual([
      [copy.id, 'DELIVERED', first!.id],
      [first!.id, 'DELIVERED', null],
    ]);
  });

  it('refuses a partner without campaign:read (FORBIDDEN), and hides endpoints from other tenants and other partners (NOT_FOUND)', async () => {
    const created = await h.gql<{ createCampaignWebhookEndpoint: { endpoint: { id: string } } }>(
      CREATE,
      { i: { url: receiver.url('/mine'), events: ['LIVE'] } },
      partner,
    );
    const id = created.data!.createCampaignWebhookEndpoint.endpoint.id;
    const before = await h.gql<{ campaignWebhookEndpoints: unknown[] }>(
      `{ campaignWebhookEndpoints { id } }`,
      {},
      admin,
    );

    const queueOnly = await token({ roles: [Role.PARTNER], scope: 'queue:read', sub: 'client-queue' });
    const refused = await h.gql(CREATE, { i: { url: receiver.url('/x'), events: ['LIVE'] } }, queueOnly);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await h.gql(`{ campaignWebhookEndpoints { id } }`, {}, queueOnly);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const otherAdmin = await token({ tid: OTHER_TENANT, roles: [Role.HQ_ADMIN] });
    const otherPartner = await token({ roles: [Role.PARTNER], scope: 'campaign:read', sub: 'client-other' });
    for (const who of [otherAdmin, otherPartner]) {
      const read = await h.gql(`query($id: ID!) { campaignWebhookEndpoint(id: $id) { id } }`, { id }, who);
      expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const del = await h.gql(`mutation($id: ID!) { deleteCampaignWebhookEndpoint(id: $id) }`, { id }, who);
      expect(del.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const upd = await h.gql(
        `mutation($i: UpdateCampaignWebhookEndpointInput!) { updateCampaignWebhookEndpoint(input: $i) { id } }`,
        { i: { id, active: false } },
        who,
      );
      expect(upd.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const mine = await h.gql<{ campaignWebhookEndpoints: { id: string }[] }>(
        `{ campaignWebhookEndpoints { id } }`,
        {},
        who,
      );
      expect(mine.data!.campaignWebhookEndpoints.map((e) => e.id)).not.toContain(id);
    }
    // Nothing changed; the tenant's HQ admin sees the partner's endpoint, which still exists.
    const after = await h.gql<{ campaignWebhookEndpoints: { id: string }[] }>(
      `{ campaignWebhookEndpoints { id } }`,
      {},
      admin,
    );
    expect(after.data!.campaignWebhookEndpoints).toHaveLength(before.data!.campaignWebhookEndpoints.length);
    expect(after.data!.campaignWebhookEndpoints.map((e) => e.id)).toContain(id);
  });
});
