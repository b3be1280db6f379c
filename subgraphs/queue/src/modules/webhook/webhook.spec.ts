import { queueTicketEventV1 } from '@phub/contracts';
import { verifyWebhook } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_1, STORE_2, startQueue, type QueueHarness, type Who } from '../../testing/harness.js';
import { WebhookReceiver } from '../../testing/webhook-receiver.js';
import { QUEUE_WEBHOOKS_JOB } from '../delivery/delivery.job.js';
import { WebhookService } from './webhook.service.js';

const CREATE = `mutation($i: CreateQueueWebhookEndpointInput!) { createQueueWebhookEndpoint(input: $i) { secret endpoint { id storeId url events active } } }`;
const LOG = `query($id: ID!) { queueWebhookEndpoint(id: $id) { id deliveries(first: 50) { totalCount edges { node { id event eventId ticketId status attempts lastStatusCode lastError deliveredAt failedAt } } } } }`;
interface Delivery {
  id: string;
  event: string;
  eventId: string;
  ticketId: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
}

describe(`${WebhookService.name} delivering`, () => {
  let h: QueueHarness;
  let receiver: WebhookReceiver;
  let jobs: Awaited<ReturnType<QueueHarness['openJobs']>>;
  const SETTINGS = {
    QUEUE_WEBHOOK_ALLOW_PRIVATE: 'true',
    QUEUE_WEBHOOK_MAX_ATTEMPTS: '3',
    QUEUE_RETRY_BASE_SECONDS: '30',
    QUEUE_WEBHOOK_TIMEOUT_MS: '2000',
  };
  beforeAll(async () => {
    h = await startQueue(SETTINGS);
    receiver = await WebhookReceiver.start();
    jobs = await h.openJobs(SETTINGS);
  });
  afterAll(async () => {
    await h?.stop();
    await receiver?.stop();
  });

  const create = async (who: Who, input: Record<string, unknown>) =>
    (
      await h.as<{ createQueueWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(who, CREATE, {
        i: input,
      })
    ).createQueueWebhookEndpoint;
  const log = async (id: string, who: Who = 'hqAdmin') =>
    (
      await h.as<{ queueWebhookEndpoint: { deliveries: { edges: { node: Delivery }[] } } }>(who, LOG, { id })
    ).queueWebhookEndpoint.deliveries.edges.map((e) => e.node);
  const run = () => jobs.run(QUEUE_WEBHOOKS_JOB);

  it('signs each ticket event with the endpoint’s secret, retries a failing endpoint with backoff, and records a permanent failure', async () => {
    const ok = await create('hqAdmin', { url: receiver.url('/ok'), events: ['CALLED', 'SERVED'], description: 'CRM' });
    expect(ok.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // The secret is shown once: sealed at rest, and no field returns it.
    const stored = await h.db.query(`SELECT secret FROM queue.webhook_endpoint WHERE id = $1`, [ok.endpoint.id]);
    expect((stored.rows[0] as { secret: string }).secret).toMatch(/^v1:/);
    expect(JSON.stringify(stored.rows)).not.toContain(ok.secret);
    const flaky = await create('manager', {
      storeId: STORE_1,
      url: receiver.url('/flaky'),
      events: ['JOINED', 'CALLED'],
    });
    const down = await create('manager', {
      storeId: STORE_1,
      url: receiver.url('/down'),
      events: ['CANCELLED_BY_CLERK'],
    });
    const elsewhere = await create('hqAdmin', {
      storeId: STORE_2,
      url: receiver.url('/store2'),
      events: ['JOINED', 'CALLED', 'SERVED'],
    });
    receiver.script.set('/flaky', [500, 502]);
    receiver.script.set('/down', [503, 503, 503]);

    const line = await h.createLine(STORE_1, { prefix: 'H' });
    const joined = await h.gql<{ joinQueue: { ticket: { id: string } } }>(
      `mutation($l: ID!) { joinQueue(lineId: $l, name: "Ada Lovelace", phone: "+447700900999") { ticket { id } } }`,
      { l: line },
    );
    const ticket = joined.data!.joinQueue.ticket.id;
    await h.as('staff', `mutation($l: ID!) { callNext(lineId: $l) { id } }`, { l: line });
    await h.as('staff', `mutation($id: ID!) { markTicketServed(id: $id) { id } }`, { id: ticket });
    const other = await h.addTicket(line);
    await h.as('staff', `mutation($id: ID!) { cancelTicket(id: $id) { id } }`, { id: other });

    await run();
    // The tenant-wide endpoint got CALLED and SERVED, each signed over its exact body, with no personal data.
    const got = receiver.at('/ok');
    // Both changes happened in the same (manual) instant: no order between them to keep.
    expect(got.map((r) => r.headers['phub-event']).sort()).toEqual(['CALLED', 'SERVED']);
    for (const r of got) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(
        verifyWebhook(ok.secret, r.body, r.headers['phub-signature'] as string, Math.floor(h.clock.now() / 1000)),
      ).toBe(true);
      expect(
        verifyWebhook(flaky.secret, r.body, r.headers['phub-signature'] as string, Math.floor(h.clock.now() / 1000)),
      ).toBe(false);
      const event = queueTicketEventV1.schema.parse(JSON.parse(r.body));
      expect(event.ticket.id).toBe(ticket);
      expect(r.body).not.toMatch(/Ada|7700900999/);
    }
    const okLog = await log(ok.endpoint.id);
    expect(okLog.map((d) => [d.event, d.status, d.attempts, d.lastStatusCode]).sort()).toEqual([
      ['CALLED', 'DELIVERED', 1, 200],
      ['SERVED', 'DELIVERED', 1, 200],
    ]);
    expect(got.map((r) => r.headers['phub-delivery']).sort()).toEqual(okLog.map((d) => d.id).sort());
    // Another store's endpoint hears nothing of this store.
    expect(receiver.at('/store2')).toEqual([]);
    expect(await log(elsewhere.endpoint.id)).toEqual([]);

    // The store endpoint failed both (JOINED, CALLED) once: pending, retried after 30 s and not before.
    let flakyLog = await log(flaky.endpoint.id, 'manager');
    expect(flakyLog.map((d) => [d.status, d.attempts])).toEqual([
      ['PENDING', 1],
      ['PENDING', 1],
    ]);
    expect(flakyLog.map((d) => d.lastStatusCode).sort()).toEqual([500, 502]);
    // One event, one id, whichever endpoint it goes to.
    expect(flakyLog.find((d) => d.event === 'CALLED')!.eventId).toBe(okLog.find((d) => d.event === 'CALLED')!.eventId);
    h.clock.advance(29_000);
    await run();
    expect(receiver.at('/flaky').length).toBe(2);
    h.clock.advance(1_000);
    await run();
    flakyLog = await log(flaky.endpoint.id, 'manager');
    expect(flakyLog.map((d) => [d.status, d.attempts, d.lastStatusCode, d.lastError])).toEqual([
      ['DELIVERED', 2, 200, null],
      ['DELIVERED', 2, 200, null],
    ]);

    // The endpoint that is down: 30 s, then 60 s later, then it is given up, the last answer on record.
    expect((await log(down.endpoint.id)).map((d) => [d.event, d.status, d.attempts])).toEqual([
      ['CANCELLED_BY_CLERK', 'PENDING', 2],
    ]);
    h.clock.advance(60_000);
    await run();
    const downLog = await log(down.endpoint.id);
    expect(downLog).toEqual([
      expect.objectContaining({
        event: 'CANCELLED_BY_CLERK',
        status: 'FAILED',
        attempts: 3,
        lastStatusCode: 503,
        lastError: 'HTTP 503',
      }),
    ]);
    expect(receiver.at('/down').length).toBe(3);
    await run();
    expect(receiver.at('/down').length).toBe(3);
  });

  it('stops delivering to a deactivated endpoint and deletes an endpoint with its log', async () => {
    const ep = await create('hqAdmin', { storeId: STORE_1, url: receiver.url('/paused'), events: ['CREATED'] });
    const line = await h.createLine(STORE_1);
    await h.addTicket(line);
    await h.as(
      'hqAdmin',
      `mutation($i: UpdateQueueWebhookEndpointInput!) { updateQueueWebhookEndpoint(input: $i) { active } }`,
      {
        i: { id: ep.endpoint.id, active: false },
      },
    );
    await h.addTicket(line);
    await run();
    expect(receiver.at('/paused')).toEqual([]);
    expect((await log(ep.endpoint.id)).map((d) => [d.status, d.lastError])).toEqual([
      ['FAILED', 'the endpoint was deactivated'],
    ]);
    await h.as('hqAdmin', `mutation($id: ID!) { deleteQueueWebhookEndpoint(id: $id) }`, { id: ep.endpoint.id });
    expect(await h.count('webhook_delivery', `endpoint_id = $1`, [ep.endpoint.id])).toBe(0);
  });
});

describe(`${WebhookService.name} authorisation and URL safety`, () => {
  let h: QueueHarness;
  beforeAll(async () => {
    // Default settings: private networks refused.
    h = await startQueue();
  });
  afterAll(async () => {
    await h?.stop();
  });
  const PUBLIC = 'https://93.184.216.34/hooks/queue';
  const tryCreate = async (who: Who | null, input: Record<string, unknown>) =>
    h.gql<{ createQueueWebhookEndpoint: { endpoint: { id: string } } }>(
      CREATE,
      { i: input },
      who ? await h.token(who) : undefined,
    );

  it.each<[Who | null, string | null, string]>([
    ['hqAdmin', null, 'OK'],
    ['hqAdmin', STORE_2, 'OK'],
    ['manager', STORE_1, 'OK'],
    ['manager', null, 'FORBIDDEN'],
    ['manager', STORE_2, 'FORBIDDEN'],
    ['staff', STORE_1, 'FORBIDDEN'],
    ['hqEditor', null, 'FORBIDDEN'],
    ['hqViewer', null, 'FORBIDDEN'],
    // Partners subscribe with the queue's read scope (queue:write implies it), FORBIDDEN without.
    ['partnerRead', null, 'OK'],
    ['partnerWrite', STORE_2, 'OK'],
    ['partnerNoScope', null, 'FORBIDDEN'],
    ['device', STORE_1, 'FORBIDDEN'],
    ['otherAdmin', STORE_1, 'NOT_FOUND'],
    [null, null, 'UNAUTHENTICATED'],
  ])('%s registering for store %s: %s', async (who, storeId, outcome) => {
    const before = await h.count('webhook_endpoint');
    const res = await tryCreate(who, { storeId, url: PUBLIC, events: ['CALLED'] });
    if (outcome === 'OK') {
      expect(res.errors).toBeUndefined();
      expect(await h.count('webhook_endpoint')).toBe(before + 1);
    } else {
      expect(res.errors?.[0]?.extensions?.code).toBe(outcome);
      expect(await h.count('webhook_endpoint')).toBe(before);
    }
  });

  it.each([
    'http://93.184.216.34/x',
    'https://127.0.0.1:8443/x',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/x',
    'https://localhost/x',
  ])('refuses %s as BAD_USER_INPUT, storing nothing', async (url) => {
    const before = await h.count('webhook_endpoint');
    const res = await tryCreate('hqAdmin', { url, events: ['CALLED'] });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'WEBHOOK_URL' });
    expect(await h.count('webhook_endpoint')).toBe(before);
  });

  it('refuses an endpoint without events', async () => {
    const res = await tryCreate('hqAdmin', { url: PUBLIC, events: [] });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows each manager only their stores’ endpoints, and nobody another tenant’s', async () => {
    const LIST = `{ queueWebhookEndpoints { id storeId } }`;
    const all = (await h.as<{ queueWebhookEndpoints: { id: string; storeId: string | null }[] }>('hqAdmin', LIST))
      .queueWebhookEndpoints;
    expect(all.some((e) => e.storeId === null)).toBe(true);
    const mine = (await h.as<{ queueWebhookEndpoints: { storeId: string | null }[] }>('manager', LIST))
      .queueWebhookEndpoints;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.storeId === STORE_1)).toBe(true);
    expect((await h.as<{ queueWebhookEndpoints: unknown[] }>('otherAdmin', LIST)).queueWebhookEndpoints).toEqual([]);
    const tenantWide = all.find((e) => e.storeId === null)!;
    for (const who of ['manager', 'otherAdmin'] as const) {
      const read = await h.gql(
        `query($id: ID!) { queueWebhookEndpoint(id: $id) { id } }`,
        { id: tenantWide.id },
        await h.token(who),
      );
      expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const change = await h.gql(
        `mutation($id: ID!) { deleteQueueWebhookEndpoint(id: $id) }`,
        { id: tenantWide.id },
        await h.token(who),
      );
      expect(change.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const staff = await h.gql(LIST, {}, await h.token('staff'));
    expect(staff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
