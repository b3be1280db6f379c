import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { graphql, login, PlatformProcess } from '@phub/e2e';
import { DEMO_FIRST_STORE_ID, verifyWebhook } from '@phub/kit';
import { WebhookReceiver } from '@phub/kit/testing';

const CREATE_CLIENT = `
  mutation ($input: CreateApiClientInput!) {
    createApiClient(input: $input) {
      apiClient {
        id
      }
      clientSecret
    }
  }
`;

const USAGE = `
  query ($from: DateTimeISO!, $to: DateTimeISO!) {
    apiClients(first: 100) {
      edges { node { id name usage(from: $from, to: $to) { requests errors rateLimited cost } } }
    }
  }
`;
type Usage = { requests: number; errors: number; rateLimited: number; cost: number };

interface TokenAnswer {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
}

/** A partner as an integrator builds one: everything through the gateway's host, nothing else. */
describe('a partner integration through the gateway', () => {
  let platform: PlatformProcess;
  let origin: string;
  let client: { id: string; secret: string };
  let admin: string;

  const createClient = async (name: string, scopes = ['location:read']) => {
    const created = await graphql<{ createApiClient: { apiClient: { id: string }; clientSecret: string } }>(
      platform.urls.gateway!,
      CREATE_CLIENT,
      { input: { name, scopes } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    return { id: created.data!.createApiClient.apiClient.id, secret: created.data!.createApiClient.clientSecret };
  };
  /** Registers documents for a client through the graph, as an HQ admin or a CI upload does. */
  const register = async (clientId: string, documents: string[]) => {
    const res = await graphql<{ registerTrustedDocuments: { id: string }[] }>(
      platform.urls.gateway!,
      'mutation ($i: RegisterTrustedDocumentsInput!) { registerTrustedDocuments(input: $i) { id } }',
      { i: { clientId, documents } },
      admin,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.registerTrustedDocuments.map((d) => d.id);
  };
  /** A partner's call by document id (GraphQL over HTTP's trusted documents). */
  const byId = (documentId: string, accessToken: string, variables: Record<string, unknown> = {}) =>
    fetch(platform.urls.gateway!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ documentId, variables }),
    });
  const clientToken = async (c: { id: string; secret: string }) => {
    const res = await token(
      new URLSearchParams({ grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret }).toString(),
    );
    expect(res.status).toBe(200);
    return res.body.access_token!;
  };

  const token = async (body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as TokenAnswer };
  };
  /** A client's usage over the last hours as its HQ admin reads it, once the gateway's counts reach it. */
  const usageOf = async (clientId: string, expected: Partial<Usage>): Promise<Usage> => {
    const window = {
      from: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      to: new Date(Date.now() + 3_600_000).toISOString(),
    };
    let usage: Usage | undefined;
    await vi.waitFor(
      async () => {
        const res = await graphql<{ apiClients: { edges: { node: { id: string; usage: Usage } }[] } }>(
          platform.urls.gateway!,
          USAGE,
          window,
          admin,
        );
        expect(res.errors).toBeUndefined();
        usage = res.data!.apiClients.edges.find((e) => e.node.id === clientId)?.node.usage;
        expect(usage).toMatchObject(expected);
      },
      { timeout: 20_000, interval: 250 },
    );
    return usage!;
  };

  beforeAll(async () => {
    // The real Redis holds the rate limit buckets; a limit of 100 an hour refills too slowly to blur the 101st.
    platform = await PlatformProcess.start('all', {
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      PARTNER_RATE_LIMIT_REQUESTS: '100',
      PARTNER_RATE_LIMIT_WINDOW_SECONDS: '3600',
      // As in production: partners run registered documents only.
      TRUSTED_DOCUMENTS: 'registered',
      // Demo sign-ins hash passwords (scrypt): on a busy shared CI machine they outlast the 10 s default.
      SUBGRAPH_TIMEOUT_MS: '30000',
      // Likewise Redis answers slower than the 250 ms after which limits fail open (no headers): wait longer here.
      RATE_LIMIT_TIMEOUT_MS: '5000',
      // Usage reaches auth's table within a second or so, rather than the default 10 s.
      PARTNER_USAGE_FLUSH_SECONDS: '1',
    });
    origin = platform.base('gateway');
    admin = await login(platform.urls.gateway!, 'hq@demo.test');
    client = await createClient('Footfall partner');
  }, 360_000);
  afterAll(async () => {
    await platform?.stop();
  }, 40_000);

  describe('POST /oauth/token (RFC 6749 §4.4) on the gateway', () => {
    it('issues a bearer token for client credentials in the body, verifiable with the gateway JWKS', async () => {
      const res = await token(
        new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: client.secret,
        }).toString(),
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'location:read' });
      expect(res.body.expires_in).toBeGreaterThan(0);
      const jwks = createRemoteJWKSet(new URL(`${origin}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(res.body.access_token!, jwks);
      expect(payload.sub).toBe(client.id);
    });

    it('takes HTTP Basic client authentication, and the token runs a registered document', async () => {
      const basic = Buffer.from(`${client.id}:${client.secret}`).toString('base64');
      const res = await token('grant_type=client_credentials', { authorization: `Basic ${basic}` });
      expect(res.status).toBe(200);
      const query = '{ stores(first: 1) { totalCount } }';
      await register(client.id, [query]);
      const stores = await graphql<{ stores: { totalCount: number } }>(
        platform.urls.gateway!,
        query,
        {},
        res.body.access_token,
      );
      expect(stores.errors).toBeUndefined();
      expect(stores.data?.stores.totalCount).toBe(6);
    });

    it.each([
      ['a wrong secret', `grant_type=client_credentials&client_id=CLIENT&client_secret=wrong`, 401, 'invalid_client'],
      ['another grant type', 'grant_type=password&username=a&password=b', 400, 'unsupported_grant_type'],
      ['no grant type', 'client_id=CLIENT', 400, 'invalid_request'],
    ])('answers %s with the OAuth error', async (_case, body, status, error) => {
      const res = await token(body.replace('CLIENT', client.id));
      expect(res.status).toBe(status);
      expect(res.body.error).toBe(error);
      expect(res.body.access_token).toBeUndefined();
    });

    it('serves the JWKS with caching headers and public keys only', async () => {
      const res = await fetch(`${origin}/.well-known/jwks.json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toContain('max-age');
      const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(key.d).toBeUndefined();
    });
  });

  describe('trusted documents and the public contract', () => {
    const STORES = 'query Stores($n: Int) { stores(first: $n) { edges { node { name timezone displays { name } } } } }';
    const DEVICES = '{ stores(first: 1) { edges { node { devices { id } } } } }';

    it('runs a registered document by its id, or by its text', async () => {
      const [id] = await register(client.id, [STORES]);
      expect(id).toBe(createHash('sha256').update(STORES).digest('hex'));
      const partner = await clientToken(client);
      const res = await byId(`sha256:${id}`, partner, { n: 2 });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { stores: { edges: unknown[] } }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(body.data.stores.edges).toHaveLength(2);
      const byText = await graphql(platform.urls.gateway!, STORES, { n: 1 }, partner);
      expect(byText.errors).toBeUndefined();
    });

    it('refuses an unregistered document: by id PERSISTED_QUERY_NOT_FOUND, by text OPERATION_NOT_ALLOWED', async () => {
      const partner = await clientToken(client);
      const unknown = await byId(createHash('sha256').update('{ viewer { kind } }').digest('hex'), partner);
      expect(unknown.status).toBe(404);
      const notFound = (await unknown.json()) as { errors: { extensions: { code: string } }[] };
      expect(notFound.errors[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const text = await graphql(platform.urls.gateway!, '{ viewer { kind } }', {}, partner);
      expect(text.status).toBe(403);
      expect(text.errors?.[0]?.extensions?.code).toBe('OPERATION_NOT_ALLOWED');
      // Another client's registrations are not this one's.
      const other = await createClient('Other partner');
      const [id] = await register(other.id, ['{ viewer { subject } }']);
      expect((await byId(id!, partner)).status).toBe(404);
      // First-party apps are not held to trusted documents.
      expect((await graphql(platform.urls.gateway!, '{ viewer { kind } }', {}, admin)).errors).toBeUndefined();
    });

    it('knows no field outside the public contract, even in a registered document', async () => {
      const [id] = await register(client.id, [DEVICES]);
      const res = await byId(id!, await clientToken(client));
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.errors[0]!.message).toContain('Cannot query field "devices" on type "Store"');
      // HQ sees devices.
      expect((await graphql(platform.urls.gateway!, DEVICES, {}, admin)).errors).toBeUndefined();
    });
  });

  describe('the queue in the public contract', () => {
    const LINES = `query QueueNow($s: ID!) {
      queueLines(storeId: $s) { id name kind isOpen waiting estimatedWaitMinutes }
      tickets(storeId: $s) { number state position estimatedWaitMinutes line { name } }
    }`;
    const NAMES = 'query Names($s: ID!) { tickets(storeId: $s) { number visitorName } }';
    const CALL = 'mutation Call($l: ID!) { callNext(lineId: $l) { id } }';
    const ORDER = `mutation Order($l: ID!, $r: String!) {
      createCollectOrder(input: { lineId: $l, reference: $r, customerName: "Ada Byron" }) { code order { id state } }
    }`;
    const CANCEL = 'mutation Cancel($id: ID!) { cancelCollectOrder(id: $id) { state } }';
    const unknownField = async (res: Response, field: string, type: string) => {
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(body.errors[0]!.message).toContain(`Cannot query field "${field}" on type "${type}"`);
    };

    it('reads lines, waits and tickets with queue:read, creates and cancels collect orders with queue:write; no personal field, no clerk action', async () => {
      const reader = await createClient('Queue display partner', ['queue:read']);
      const [lines, names, call] = await register(reader.id, [LINES, NAMES, CALL]);
      const read = await clientToken(reader);
      const res = await byId(lines!, read, { s: DEMO_FIRST_STORE_ID });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        data: {
          queueLines: { id: string; kind: string; isOpen: boolean; estimatedWaitMinutes: number }[];
          tickets: { number: string; line: { name: string } }[];
        };
        errors?: unknown;
      };
      expect(body.errors).toBeUndefined();
      expect(body.data.queueLines.length).toBeGreaterThan(0);
      expect(body.data.tickets.length).toBeGreaterThan(0);
      expect(body.data.tickets[0]!.number).toMatch(/^[A-Z]+\d+$/);
      await unknownField(await byId(names!, read, { s: DEMO_FIRST_STORE_ID }), 'visitorName', 'Ticket');
      await unknownField(await byId(call!, read, { l: body.data.queueLines[0]!.id }), 'callNext', 'Mutation');

      const shop = await createClient('Web shop', ['queue:write']);
      const [order, cancel] = await register(shop.id, [ORDER, CANCEL]);
      const write = await clientToken(shop);
      const pickup = body.data.queueLines.find((l) => l.kind === 'COLLECT')!;
      const created = (await (await byId(order!, write, { l: pickup.id, r: `WEB-${Date.now()}` })).json()) as {
        data: { createCollectOrder: { code: string; order: { id: string; state: string } } };
        errors?: unknown;
      };
      expect(created.errors).toBeUndefined();
      expect(created.data.createCollectOrder.order.state).toBe('READY');
      const cancelled = (await (
        await byId(cancel!, write, { id: created.data.createCollectOrder.order.id })
      ).json()) as {
        data: { cancelCollectOrder: { state: string } };
      };
      expect(cancelled.data.cancelCollectOrder.state).toBe('CANCELLED');
      // queue:read may not write, even what the contract has.
      const [readerOrder] = await register(reader.id, [ORDER]);
      const refused = (await (await byId(readerOrder!, read, { l: pickup.id, r: 'WEB-NOPE' })).json()) as {
        errors: { extensions: { code: string } }[];
      };
      expect(refused.errors[0]!.extensions.code).toBe('FORBIDDEN');
      // First-party apps keep every field.
      expect((await graphql(platform.urls.gateway!, NAMES, { s: DEMO_FIRST_STORE_ID }, admin)).errors).toBeUndefined();
    });
  });

  describe('rate limits per client', () => {
    it('answers the 101st request over a limit of 100 with 429, Retry-After and RATE_LIMITED; other clients go on', async () => {
      const busy = await createClient('Busy partner');
      const quiet = await createClient('Quiet partner');
      const document = '{ stores(first: 1) { totalCount } }';
      const [id] = await register(busy.id, [document]);
      await register(quiet.id, [document]);
      const limited = await clientToken(busy);
      const other = await clientToken(quiet);
      const query = (t: string) => byId(id!, t);
      for (let i = 1; i <= 100; i++) {
        const res = await query(limited);
        expect(res.status, `request ${i}`).toBe(200);
        expect(res.headers.get('ratelimit-remaining')).toBe(String(100 - i));
        await res.arrayBuffer();
      }
      const refused = await query(limited);
      expect(refused.status).toBe(429);
      // 100 an hour: a token every 36 s, of which the time the 100 requests took has passed already.
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(36);
      const body = (await refused.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
      expect((await query(other)).status).toBe(200);
      // First-party apps are not partners: no bucket.
      const hq = await fetch(platform.urls.gateway!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: document }),
      });
      expect(hq.status).toBe(200);
      expect(hq.headers.get('ratelimit-limit')).toBeNull();
      // Its HQ admin sees it in the client's usage: 101 requests, one of them refused.
      await usageOf(busy.id, { requests: 101, errors: 0, rateLimited: 1 });
      await usageOf(quiet.id, { requests: 1, rateLimited: 0 });
    }, 90_000);
  });

  describe('usage per client', () => {
    it("counts a client's requests, errors and cost for its tenant's HQ admin, and for nobody else", async () => {
      const measured = await createClient('Measured partner');
      const ok = '{ stores(first: 2) { totalCount edges { node { name } } } }';
      const outside = '{ stores(first: 1) { edges { node { devices { id } } } } }';
      await register(measured.id, [ok, outside]);
      const [okId, outsideId] = [ok, outside].map((d) => createHash('sha256').update(d).digest('hex'));
      const partner = await clientToken(measured);
      for (let i = 0; i < 3; i++) expect((await byId(okId!, partner)).status).toBe(200);
      expect((await byId(outsideId!, partner)).status).toBe(400);
      const usage = await usageOf(measured.id, { requests: 4, errors: 1, rateLimited: 0 });
      // Three runs of one operation (the one that failed validation cost nothing).
      expect(usage.cost).toBeGreaterThan(0);
      expect(usage.cost % 3).toBe(0);
      // Not the partner's own business, nor anyone's but its HQ admins'.
      const own = await graphql(
        platform.urls.gateway!,
        USAGE,
        { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
        partner,
      );
      expect(own.errors?.[0]?.extensions?.code).toBeDefined();
      expect(JSON.stringify(own.data ?? null)).not.toContain(measured.id);
    }, 60_000);
  });
});

/** Issue 18's last "done when": a partner's webhook arrives signed, fails once, and is retried. */
describe('a partner webhook through the gateway', () => {
  const CREATE_ENDPOINT = `mutation ($i: CreateCampaignWebhookEndpointInput!) {
    createCampaignWebhookEndpoint(input: $i) { secret endpoint { id events createdBy } } }`;
  const LOG = `query ($id: ID!) { campaignWebhookEndpoint(id: $id) { deliveries(first: 5) { edges { node {
    id event eventId campaignId status attempts lastStatusCode } } } } }`;
  let platform: PlatformProcess;
  let receiver: WebhookReceiver;
  let gateway: string;
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    platform = await PlatformProcess.start('all', {
      // As in production: partners run registered documents only.
      TRUSTED_DOCUMENTS: 'registered',
      SUBGRAPH_TIMEOUT_MS: '30000',
      // The receiver listens on loopback; the first retry follows a failure by 1 s (due at the job's next run).
      CAMPAIGN_WEBHOOK_ALLOW_PRIVATE: 'true',
      CAMPAIGN_WEBHOOK_RETRY_BASE_SECONDS: '1',
      CAMPAIGN_WEBHOOK_TIMEOUT_MS: '5000',
    });
    gateway = platform.urls.gateway!;
  }, 360_000);
  afterAll(async () => {
    await platform?.stop();
    await receiver?.stop();
  }, 40_000);

  it('registers an endpoint as a partner; an approval arrives signed, fails with 500, and is retried', async () => {
    const admin = await login(gateway, 'hq@demo.test');
    const editor = await login(gateway, 'editor@demo.test');
    const created = await graphql<{ createApiClient: { apiClient: { id: string }; clientSecret: string } }>(
      gateway,
      CREATE_CLIENT,
      { input: { name: 'Campaign CRM', scopes: ['campaign:read'] } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const clientId = created.data!.createApiClient.apiClient.id;
    const registered = await graphql(
      gateway,
      'mutation ($i: RegisterTrustedDocumentsInput!) { registerTrustedDocuments(input: $i) { id } }',
      { i: { clientId, documents: [CREATE_ENDPOINT, LOG] } },
      admin,
    );
    expect(registered.errors).toBeUndefined();
    const tokenRes = await fetch(`${platform.base('gateway')}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: created.data!.createApiClient.clientSecret,
      }).toString(),
    });
    expect(tokenRes.status).toBe(200);
    const partner = ((await tokenRes.json()) as TokenAnswer).access_token!;

    const endpoint = await graphql<{
      createCampaignWebhookEndpoint: { secret: string; endpoint: { id: string; createdBy: string } };
    }>(gateway, CREATE_ENDPOINT, { i: { url: receiver.url('/crm'), events: ['APPROVED'] } }, partner);
    expect(endpoint.errors).toBeUndefined();
    const { secret, endpoint: registeredEndpoint } = endpoint.data!.createCampaignWebhookEndpoint;
    expect(registeredEndpoint.createdBy).toBe(clientId);
    receiver.script.set('/crm', [500]);

    // HQ approves a campaign an editor submitted.
    const creatives = await graphql<{ creatives: { edges: { node: { id: string; status: string } }[] } }>(
      gateway,
      '{ creatives(first: 20) { edges { node { id status } } } }',
      {},
      editor,
    );
    const creativeId = creatives.data!.creatives.edges.find((e) => e.node.status === 'READY')!.node.id;
    const campaign = await graphql<{ createCampaign: { id: string } }>(
      gateway,
      'mutation ($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }',
      { i: { name: 'Partner-visible launch', creativeIds: [creativeId] } },
      editor,
    );
    expect(campaign.errors).toBeUndefined();
    const campaignId = campaign.data!.createCampaign.id;
    const submit = await graphql(
      gateway,
      'mutation ($id: ID!) { submitCampaign(id: $id) { status } }',
      { id: campaignId },
      editor,
    );
    expect(submit.errors).toBeUndefined();
    const approve = await graphql(
      gateway,
      'mutation ($id: ID!) { approveCampaign(id: $id, goLive: false) { status } }',
      { id: campaignId },
      admin,
    );
    expect(approve.errors).toBeUndefined();

    // The first attempt (nudged after the fan-out) gets the 500; the retry comes at the job's next run (≤ 1 min).
    await expect.poll(() => receiver.at('/crm').length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => receiver.at('/crm').length, { timeout: 90_000, interval: 1_000 }).toBe(2);

    const got = receiver.at('/crm');
    for (const r of got) {
      expect(r.headers['phub-event']).toBe('APPROVED');
      expect(verifyWebhook(secret, r.body, r.headers['phub-signature'] as string, nowSeconds())).toBe(true);
      expect(JSON.parse(r.body)).toMatchObject({ event: 'APPROVED', campaign: { id: campaignId, status: 'APPROVED' } });
    }
    // The same event both times (deduplicate by Phub-Event-Id), and the wrong secret does not verify it.
    expect(got[1]!.headers['phub-event-id']).toBe(got[0]!.headers['phub-event-id']);
    expect(got[1]!.body).toBe(got[0]!.body);
    expect(
      verifyWebhook(`whsec_${'A'.repeat(43)}`, got[1]!.body, got[1]!.headers['phub-signature'] as string, nowSeconds()),
    ).toBe(false);

    // The partner reads its delivery log through the gateway.
    const log = await graphql<{
      campaignWebhookEndpoint: {
        deliveries: {
          edges: { node: { campaignId: string; status: string; attempts: number; lastStatusCode: number } }[];
        };
      };
    }>(gateway, LOG, { id: registeredEndpoint.id }, partner);
    expect(log.errors).toBeUndefined();
    expect(log.data!.campaignWebhookEndpoint.deliveries.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ campaignId, status: 'DELIVERED', attempts: 2, lastStatusCode: 200 }),
    ]);
  }, 180_000);
});
