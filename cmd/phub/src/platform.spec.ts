import { exportJWK, generateKeyPair, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { graphql, login, PlatformProcess } from '@phub/e2e';
import { ConfigError, GATEWAY_SECRET_HEADER, LocalMasterKey } from '@phub/kit';
import { createTestDatabase, TEST_REDIS_URL } from '@phub/kit/testing';
import { existsSync, mkdtempSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from './platform.js';

/** Shared by the test's gateway and subgraphs, so the tests can also call a subgraph as the gateway does. */
const SECRET = 'platform-spec-gateway-secret-0123456789abcdef';
const AS_GATEWAY = { [GATEWAY_SECRET_HEADER]: SECRET };

/** A GraphQL call straight to a subgraph port, carrying the gateway secret (as only the gateway can). */
async function direct<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...AS_GATEWAY,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as { data?: T; errors?: { extensions?: { code?: string } }[] }) };
}

/** graphql-ws to a subgraph port, with the gateway secret on the upgrade. */
class GatewaySocket extends WebSocket {
  constructor(address: string | URL, protocols?: string | string[]) {
    super(address, protocols, { headers: AS_GATEWAY });
  }
}

const STORES = `query($first: Int) { stores(first: $first) { totalCount edges { node { id name code timezone displays { id name } } } pageInfo { hasNextPage endCursor } } }`;

interface StoresData {
  stores: {
    totalCount: number;
    edges: { node: { id: string; name: string; timezone: string; displays: { id: string; name: string }[] } }[];
  };
}

/** The binary on embedded defaults (PGlite, in-process bus and pub/sub), as `pnpm start` runs it. */
describe(startPlatform.name, () => {
  let platform: PlatformProcess;
  let gateway: string;

  beforeAll(async () => {
    // A short re-verification interval, so a revoked token's sockets close within the test.
    platform = await PlatformProcess.start('all', { SUBGRAPH_SHARED_SECRET: SECRET, SUBSCRIPTION_REVERIFY_MS: '500' });
    gateway = platform.urls.gateway!;
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  }, 40_000);

  it.each(['gateway', 'auth', 'location', 'campaign', 'playback', 'queue', 'proximity', 'visitor', 'content'])(
    '%s answers /healthz, /readyz and /metrics',
    async (service) => {
      const base = platform.base(service);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status, await ready.clone().text()).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain(`phub_${service}_http_requests_total`);
      expect(metrics).toContain(`phub_${service}_process_cpu_seconds_total`);
    },
  );

  it('serves every demo store with its displays to HQ through the gateway', async () => {
    const token = await login(gateway, 'hq@demo.test');
    const res = await graphql<StoresData>(gateway, STORES, { first: 10 }, token);
    expect(res.errors).toBeUndefined();
    const stores = res.data!.stores.edges.map((e) => e.node);
    expect(stores).toHaveLength(6);
    expect(new Set(stores.map((s) => s.timezone)).size).toBeGreaterThanOrEqual(2);
    for (const store of stores) expect(store.displays).toHaveLength(4);
  });

  it('records a demo playback history once, which the reports show', async () => {
    await vi.waitFor(() => expect(platform.logs).toContain('demo playback history recorded'), {
      timeout: 60_000,
      interval: 250,
    });
    const entry = platform.logs
      .split('\n')
      .filter((l) => l.includes('demo playback history recorded'))
      .map((l) => JSON.parse(l) as { plays: number; displays: number })[0]!;
    expect(entry.displays).toBe(24);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const token = await login(gateway, 'hq@demo.test');
    const report = () =>
      graphql<{ playbackReport: { totals: { plays: number; displays: number } } }>(
        gateway,
        `
          query ($f: PlaybackReportFilter!) {
            playbackReport(filter: $f) {
              totals {
                plays
                displays
              }
            }
          }
        `,
        { f: { from: day(-15), to: day(1) } },
        token,
      );
    // Written through the bus by the playback writer: it lands shortly after recordPlayback answers.
    await vi.waitFor(async () => expect((await report()).data?.playbackReport.totals.plays).toBe(entry.plays), {
      timeout: 30_000,
      interval: 250,
    });
    expect((await report()).data?.playbackReport.totals.displays).toBe(24);
  }, 120_000);

  it('serves store staff only their store', async () => {
    const token = await login(gateway, 'staff@demo.test');
    const res = await graphql<StoresData>(gateway, STORES, { first: 10 }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.stores.edges.map((e) => e.node.name)).toEqual(['London Oxford Street']);
  });

  it('refuses a request without a token with UNAUTHENTICATED', async () => {
    const res = await graphql(gateway, STORES, { first: 10 });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  describe('tokens the gateway and the subgraphs refuse', () => {
    let good: string;
    beforeAll(async () => {
      good = await login(gateway, 'hq@demo.test');
    });

    const forge = async (mutate: (token: string) => Promise<string> | string) => mutate(good);
    it.each([
      [
        'tampered',
        (t: string) => {
          const [h, p, s] = t.split('.');
          const claims = { ...decodeJwt(t), roles: ['HQ_ADMIN'], tid: '11111111-1111-4111-8111-111111111111' };
          return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
          void p;
        },
      ],
      [
        'alg none',
        (t: string) => {
          const header = { ...decodeProtectedHeader(t), alg: 'none' };
          return `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${t.split('.')[1]}.`;
        },
      ],
      [
        'signed with another key',
        async (t: string) => {
          const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
          const kid = decodeProtectedHeader(t).kid!;
          void (await exportJWK(publicKey));
          return new SignJWT(decodeJwt(t)).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' }).sign(privateKey);
        },
      ],
      [
        'expired',
        async (t: string) => {
          const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
          const claims = { ...decodeJwt(t), exp: Math.floor(Date.now() / 1000) - 60 };
          return new SignJWT(claims)
            .setProtectedHeader({ alg: 'EdDSA', kid: decodeProtectedHeader(t).kid!, typ: 'at+jwt' })
            .sign(privateKey);
        },
      ],
    ])('%s: UNAUTHENTICATED at the gateway and at the subgraph', async (_name, mutate) => {
      const bad = await forge(mutate);
      const viaGateway = await graphql(gateway, STORES, {}, bad);
      expect(viaGateway.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(viaGateway.status).toBe(401);
      const straight = await direct(platform.urls.location!, STORES, {}, bad);
      expect(straight.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('revoked: a direct subgraph subscription socket is closed with 4401 within seconds', async () => {
      const token = await login(gateway, 'editor@demo.test');
      const closed: { code: number; reason: string }[] = [];
      const ws = createClient({
        url: platform.urls.campaign!.replace('http', 'ws'),
        webSocketImpl: GatewaySocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        on: { closed: (event) => void closed.push(event as { code: number; reason: string }) },
      });
      let connected = false;
      ws.on('connected', () => (connected = true));
      ws.subscribe(
        {
          query: `subscription($d: ID!) { playlistChanged(displayId: $d) { version } }`,
          variables: { d: '00000000-0000-4000-8000-00000000d111' },
        },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
      try {
        await vi.waitFor(() => expect(connected).toBe(true), { timeout: 5_000, interval: 20 });
        const out = await graphql(gateway, 'mutation { logout }', {}, token);
        expect(out.errors).toBeUndefined();
        await vi.waitFor(() => expect(closed[0]?.code).toBe(4401), { timeout: 5_000, interval: 50 });
        expect(closed[0]?.reason).toMatch(/revoked/);
      } finally {
        await ws.dispose();
      }
    });

    it('revoked (after logout): UNAUTHENTICATED at the gateway and at the subgraph', async () => {
      const token = await login(gateway, 'editor@demo.test');
      expect((await graphql(gateway, STORES, {}, token)).errors).toBeUndefined();
      const out = await graphql(
        gateway,
        `
          mutation {
            logout
          }
        `,
        {},
        token,
      );
      expect(out.errors).toBeUndefined();
      expect((await graphql(gateway, STORES, {}, token)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect((await direct(platform.urls.location!, STORES, {}, token)).errors?.[0]?.extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
    });
  });

  describe('bad input gets a stable code and changes nothing', () => {
    let token: string;
    let before: number;
    beforeAll(async () => {
      token = await login(gateway, 'hq@demo.test');
      before = (await graphql<StoresData>(gateway, STORES, {}, token)).data!.stores.totalCount;
    });
    afterAll(async () => {
      const after = (await graphql<StoresData>(gateway, STORES, {}, token)).data!.stores.totalCount;
      expect(after).toBe(before);
    });

    it.each([
      [
        'unknown id',
        `mutation { updateStore(input: { id: "7b0a8f7e-1111-4111-8111-111111111111", name: "x" }) { id } }`,
        'NOT_FOUND',
      ],
      [
        'invalid time zone',
        `mutation { createStore(input: { name: "X", code: "BAD-TZ", timezone: "Moon/Base" }) { id } }`,
        'BAD_USER_INPUT',
      ],
      [
        'empty name',
        `mutation { createStore(input: { name: "", code: "EMPTY", timezone: "UTC" }) { id } }`,
        'BAD_USER_INPUT',
      ],
      [
        'too deep a query',
        `{ stores { edges { node { displays { store { displays { store { displays { store { displays { store { displays { store { displays { store { displays { store { displays { store { id } } } } } } } } } } } } } } } } } } } }`,
        'QUERY_TOO_DEEP',
      ],
      ['an unknown field', `{ stores { edges { node { colour } } } }`, 'GRAPHQL_VALIDATION_FAILED'],
    ])('%s → %s', async (_name, query, code) => {
      const res = await graphql(gateway, query, {}, token);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(res.errors)).toBe(code);
    });

    it('an oversized query → PAYLOAD_TOO_LARGE', async () => {
      const query = `{ ${'stores { totalCount } '.repeat(20_000)} }`;
      const res = await graphql(gateway, query, {}, token);
      expect(res.status).toBe(413);
      expect(res.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('a malformed JSON body → BAD_REQUEST', async () => {
      const res = await fetch(gateway, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: '{"query": "{ stores { totalCount } }"',
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
        'BAD_REQUEST',
      );
    });
  });

  it('pairs a display end to end: code, claim, device token, own display only', async () => {
    const requested = await graphql<{ requestPairingCode: { code: string; secret: string } }>(
      gateway,
      `
        mutation {
          requestPairingCode {
            code
            secret
          }
        }
      `,
    );
    expect(requested.errors).toBeUndefined();
    const { code, secret } = requested.data!.requestPairingCode;
    const manager = await login(gateway, 'manager@demo.test');
    const stores = await graphql<StoresData>(gateway, STORES, {}, manager);
    const own = stores.data!.stores.edges[0]!.node.displays[0]!.id;
    const claimed = await graphql(
      gateway,
      `
        mutation ($code: String!, $d: ID!) {
          claimPairingCode(code: $code, displayId: $d) {
            __typename
          }
        }
      `,
      { code, d: own },
      manager,
    );
    expect(claimed.errors).toBeUndefined();
    const polled = await graphql<{
      pollPairing: { status: string; credential: { accessToken: string; refreshToken: string; displayId: string } };
    }>(
      gateway,
      `
        mutation ($code: String!, $secret: String!) {
          pollPairing(code: $code, secret: $secret) {
            status
            credential {
              accessToken
              refreshToken
              displayId
            }
          }
        }
      `,
      { code, secret },
    );
    expect(polled.errors).toBeUndefined();
    expect(polled.data!.pollPairing.credential.displayId).toBe(own);
    // The player keeps its credential fresh with the refresh token.
    const refreshed = await graphql<{ refreshToken: { accessToken: string } }>(
      gateway,
      `
        mutation ($t: String!) {
          refreshToken(refreshToken: $t) {
            accessToken
          }
        }
      `,
      { t: polled.data!.pollPairing.credential.refreshToken },
    );
    expect(refreshed.errors).toBeUndefined();
    const device = refreshed.data!.refreshToken.accessToken;
    const mine = await graphql<{ display: { id: string; store: { name: string } } }>(
      gateway,
      `
        query ($id: ID!) {
          display(id: $id) {
            id
            store {
              name
            }
          }
        }
      `,
      { id: own },
      device,
    );
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.display).toEqual({ id: own, store: { name: 'London Oxford Street' } });
    const hq = await login(gateway, 'hq@demo.test');
    const all = await graphql<StoresData>(gateway, STORES, {}, hq);
    const foreign = all.data!.stores.edges.find((e) => e.node.name !== 'London Oxford Street')!.node.displays[0]!.id;
    const theirs = await graphql(
      gateway,
      `
        query ($id: ID!) {
          display(id: $id) {
            id
          }
        }
      `,
      { id: foreign },
      device,
    );
    expect(theirs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // Through the gateway, the player's credential subscribes to its own display's changes, with fields
    // from campaign (version) and location (display, store); another display is refused.
    const ws = createClient({
      url: gateway.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${device}` },
    });
    type Change = {
      playlistChanged: { version: string; display: { name: string; store: { name: string; timezone: string } } };
    };
    const events: Change[] = [];
    const refused: unknown[] = [];
    const subscription = `subscription($d: ID!) { playlistChanged(displayId: $d) { version display { name store { name timezone } } } }`;
    const stop = ws.subscribe<Change>(
      { query: subscription, variables: { d: own } },
      { next: (m) => void events.push(m.data!), error: () => {}, complete: () => {} },
    );
    ws.subscribe(
      { query: subscription, variables: { d: foreign } },
      { next: (m) => void refused.push(m.errors ?? m), error: (e) => void refused.push(e), complete: () => {} },
    );
    await expect.poll(() => refused.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(JSON.stringify(refused[0])).toContain('FORBIDDEN');
    await new Promise((r) => setTimeout(r, 500)); // the upstream subscription is open before the change
    const editor = await login(gateway, 'editor@demo.test');
    const creatives = await graphql<{ creatives: { edges: { node: { id: string; status: string } }[] } }>(
      gateway,
      `
        {
          creatives(first: 20) {
            edges {
              node {
                id
                status
              }
            }
          }
        }
      `,
      {},
      editor,
    );
    const creativeId = creatives.data!.creatives.edges.find((e) => e.node.status === 'READY')!.node.id;
    const created = await graphql<{ createCampaign: { id: string } }>(
      gateway,
      `
        mutation ($i: CreateCampaignInput!) {
          createCampaign(input: $i) {
            id
          }
        }
      `,
      {
        i: {
          name: 'Just this screen',
          priority: 90,
          creativeIds: [creativeId],
          targeting: { include: [{ kind: 'DISPLAY', value: own }], exclude: [] },
        },
      },
      editor,
    );
    const campaignId = created.data!.createCampaign.id;
    await graphql(
      gateway,
      `
        mutation ($id: ID!) {
          submitCampaign(id: $id) {
            status
          }
        }
      `,
      { id: campaignId },
      editor,
    );
    const approvedAt = Date.now();
    await graphql(
      gateway,
      `
        mutation ($id: ID!) {
          approveCampaign(id: $id) {
            status
          }
        }
      `,
      { id: campaignId },
      hq,
    );
    await expect.poll(() => events.length, { timeout: 10_000 }).toBeGreaterThan(0);
    console.warn(`playlistChanged through the gateway reached the device ${Date.now() - approvedAt} ms after approval`);
    expect(events[0]!.playlistChanged.display).toEqual({
      name: expect.any(String),
      store: { name: 'London Oxford Street', timezone: 'Europe/London' },
    });
    stop();
    await ws.dispose();
    await graphql(
      gateway,
      `
        mutation ($id: ID!) {
          endCampaign(id: $id) {
            status
          }
        }
      `,
      { id: campaignId },
      hq,
    );
  });
  it('puts an approved campaign on exactly the displays of the targeted stores, live', async () => {
    const editor = await login(gateway, 'editor@demo.test');
    const hq = await login(gateway, 'hq@demo.test');
    const stores = await graphql<{
      stores: { edges: { node: { id: string; tags: string[]; displays: { id: string }[] } }[] };
    }>(
      gateway,
      `
        {
          stores(first: 50) {
            edges {
              node {
                id
                tags
                displays {
                  id
                }
              }
            }
          }
        }
      `,
      {},
      hq,
    );
    const all = stores.data!.stores.edges.map((e) => e.node);
    const targeted = new Set(all.filter((s) => s.tags.includes('mall')).flatMap((s) => s.displays.map((d) => d.id)));
    const others = all.filter((s) => !s.tags.includes('mall')).flatMap((s) => s.displays.map((d) => d.id));
    expect(targeted.size).toBeGreaterThan(0);

    const PLAYLIST = `query($d: ID!) { displayPlaylist(displayId: $d) { version items { campaignId } } }`;
    const playlist = async (displayId: string) =>
      (
        await graphql<{ displayPlaylist: { version: string; items: { campaignId: string | null }[] } }>(
          gateway,
          PLAYLIST,
          { d: displayId },
          hq,
        )
      ).data!.displayPlaylist;
    const before = new Map<string, string>();
    for (const id of [...targeted, ...others]) before.set(id, (await playlist(id)).version);

    // A subscriber on the campaign subgraph hears the change for one targeted display.
    const watched = [...targeted][0]!;
    const ws = createClient({
      url: platform.urls.campaign!.replace('http', 'ws'),
      webSocketImpl: GatewaySocket,
      connectionParams: { authorization: `Bearer ${hq}` },
    });
    const changes: { version: string; at: number }[] = [];
    const unsubscribe = ws.subscribe<{ playlistChanged: { version: string } }>(
      { query: `subscription($d: ID!) { playlistChanged(displayId: $d) { version } }`, variables: { d: watched } },
      {
        next: (m) => void changes.push({ version: m.data!.playlistChanged.version, at: Date.now() }),
        error: () => {},
        complete: () => {},
      },
    );

    const creatives = await graphql<{ creatives: { edges: { node: { id: string; status: string } }[] } }>(
      gateway,
      `
        {
          creatives(first: 20) {
            edges {
              node {
                id
                status
              }
            }
          }
        }
      `,
      {},
      editor,
    );
    const creativeId = creatives.data!.creatives.edges.find((e) => e.node.status === 'READY')!.node.id;
    const created = await graphql<{ createCampaign: { id: string; status: string } }>(
      gateway,
      `
        mutation ($i: CreateCampaignInput!) {
          createCampaign(input: $i) {
            id
            status
          }
        }
      `,
      {
        i: {
          name: 'Mall weekend',
          priority: 100,
          creativeIds: [creativeId],
          targeting: { include: [{ kind: 'STORE_TAG', value: 'mall' }], exclude: [] },
        },
      },
      editor,
    );
    expect(created.errors).toBeUndefined();
    const campaignId = created.data!.createCampaign.id;
    const submitted = await graphql(
      gateway,
      `
        mutation ($id: ID!) {
          submitCampaign(id: $id) {
            status
          }
        }
      `,
      { id: campaignId },
      editor,
    );
    expect(submitted.errors).toBeUndefined();
    // Editors cannot approve their own work; HQ admins can.
    const selfApproved = await graphql(
      gateway,
      `
        mutation ($id: ID!) {
          approveCampaign(id: $id) {
            status
          }
        }
      `,
      { id: campaignId },
      editor,
    );
    expect(selfApproved.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await new Promise((r) => setTimeout(r, 300)); // let the subscription settle before the change
    const approvedAt = Date.now();
    const approved = await graphql<{ approveCampaign: { status: string } }>(
      gateway,
      `
        mutation ($id: ID!) {
          approveCampaign(id: $id) {
            status
          }
        }
      `,
      { id: campaignId },
      hq,
    );
    expect(approved.data?.approveCampaign.status).toBe('LIVE');

    for (const id of targeted) {
      const now = await playlist(id);
      expect(now.items.map((i) => i.campaignId)).toContain(campaignId);
      expect(now.version).not.toBe(before.get(id));
    }
    for (const id of others) {
      const now = await playlist(id);
      expect(now.items.map((i) => i.campaignId)).not.toContain(campaignId);
      expect(now.version).toBe(before.get(id));
    }
    const expected = (await playlist(watched)).version;
    await expect.poll(() => changes.map((c) => c.version), { timeout: 10_000 }).toContain(expected);
    const latency = changes.find((c) => c.version === expected)!.at - approvedAt;
    console.warn(`playlistChanged reached the subscriber ${latency} ms after the approval was sent`);
    unsubscribe();
    await ws.dispose();
  });
});

describe('a gateway on its own', () => {
  let subgraphs: PlatformProcess;
  let gateway: PlatformProcess;
  let env: Record<string, string>;

  // As deployed: the gateway and auth share Redis, where auth keeps the revocation list the gateway checks (its
  // "loaded" marker). Without it here the gateway refused every token until another test's auth had happened to
  // set that marker in the same Redis: CI on a fresh Redis failed on it.
  const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

  beforeAll(async () => {
    subgraphs = await PlatformProcess.start('all', { SUBGRAPH_SHARED_SECRET: SECRET, REDIS_URL });
    env = {
      SUBGRAPH_AUTH_URL: subgraphs.urls.auth!,
      SUBGRAPH_LOCATION_URL: subgraphs.urls.location!,
      SUBGRAPH_CAMPAIGN_URL: subgraphs.urls.campaign!,
      SUBGRAPH_PLAYBACK_URL: subgraphs.urls.playback!,
      AUTH_JWKS_URL: `${subgraphs.base('auth')}/.well-known/jwks.json`,
      SUBGRAPH_TIMEOUT_MS: '3000',
      SUBGRAPH_SHARED_SECRET: SECRET,
      REDIS_URL,
    };
    gateway = await PlatformProcess.start('gateway', env);
  }, 180_000);
  afterAll(async () => {
    await gateway?.stop();
    await subgraphs?.stop();
  }, 60_000);

  it('gives errors while a subgraph is down and heals when it is back, without a restart', async () => {
    const url = gateway.urls.gateway!;
    const token = await login(url, 'hq@demo.test');
    // The subgraphs' process may still be writing its first start's demo history (CI once timed the first query
    // out at SUBGRAPH_TIMEOUT_MS): healthy means it answers, retried; the answer is shown if it never does.
    await expect
      .poll(() => graphql<StoresData>(url, STORES, {}, token), { timeout: 30_000, interval: 500 })
      .toMatchObject({ data: { stores: { totalCount: 6 } } });

    // The first start's demo history is complete (written, not only accepted) before the restart, which must
    // not record a second one.
    await vi.waitFor(() => expect(subgraphs.logs).toContain('demo playback history recorded'), {
      timeout: 60_000,
      interval: 250,
    });
    const recorded = subgraphs.logs
      .split('\n')
      .filter((l) => l.includes('demo playback history recorded'))
      .map((l) => JSON.parse(l) as { plays: number })[0]!.plays;
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    await vi.waitFor(
      async () => {
        const report = await graphql<{ playbackReport: { totals: { plays: number } } }>(
          url,
          'query ($f: PlaybackReportFilter!) { playbackReport(filter: $f) { totals { plays } } }',
          { f: { from: day(-15), to: day(1) } },
          token,
        );
        expect(report.data?.playbackReport.totals.plays).toBe(recorded);
      },
      { timeout: 60_000, interval: 500 },
    );
    const ports = Object.fromEntries(
      ['auth', 'location', 'campaign', 'playback'].map((name) => [
        `${name.toUpperCase()}_PORT`,
        new URL(subgraphs.urls[name]!).port,
      ]),
    );
    expect(await subgraphs.stop()).toBe(0);
    const down = await graphql(url, STORES, {}, token);
    expect(down.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect((await fetch(`${gateway.base('gateway')}/healthz`)).status).toBe(200);
    // A lone gateway keeps no data: it never started an embedded PGlite (nor wrote one under its DATA_DIR).
    expect(gateway.logs).not.toContain('embedded PGlite');
    expect(existsSync(join(gateway.dataDir, 'pglite'))).toBe(false);

    subgraphs = await PlatformProcess.start(
      'all',
      { ...ports, SUBGRAPH_SHARED_SECRET: SECRET, REDIS_URL },
      subgraphs.dataDir,
    );
    const healed = await graphql<StoresData>(url, STORES, {}, token);
    expect(healed.errors).toBeUndefined();
    // Same data folder: nothing was lost and the demo data was not created twice.
    expect(healed.data!.stores.totalCount).toBe(6);
    // The history is a once-only job: enqueued at the database's first start, never again.
    expect(subgraphs.logs).toContain('jobs: worker started');
    expect(subgraphs.logs).not.toContain('once-only job enqueued');
    expect(subgraphs.logs).not.toContain('demo playback history recorded');
  }, 150_000);

  it('exits cleanly on SIGTERM', async () => {
    expect(await gateway.stop()).toBe(0);
  });
});

describe('the gateway is the only way in', () => {
  it('refuses to start a split target without SUBGRAPH_SHARED_SECRET, with a clear message', async () => {
    const started = startPlatform({
      targets: ['location'],
      env: { AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json', LOG_LEVEL: 'silent' },
    });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/SUBGRAPH_SHARED_SECRET: required for --target=location/);
  });

  describe('the all-in-one process', () => {
    let platform: PlatformProcess;
    // Another address of this machine, if it has one: the subgraphs must not answer on it.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

    beforeAll(async () => {
      // HOST asks for every interface; the gateway gets it, the subgraphs loopback only.
      platform = await PlatformProcess.start('all', { HOST: '0.0.0.0', DEMO_DATA: 'false' });
    }, 120_000);
    afterAll(async () => {
      await platform?.stop();
    }, 40_000);

    it('generates a secret: a subgraph port refuses a call without it (403) and the graph works', async () => {
      const res = await fetch(platform.urls.location!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
        'FORBIDDEN',
      );
      const viaGateway = await graphql(platform.urls.gateway!, '{ __typename }');
      expect(viaGateway.errors).toBeUndefined();
    });

    it.runIf(external)('binds subgraphs to loopback only, the gateway to every interface', async () => {
      const port = (name: string) => new URL(platform.urls[name]!).port;
      const gatewayThere = await fetch(`http://${external}:${port('gateway')}/healthz`);
      expect(gatewayThere.status).toBe(200);
      for (const name of ['auth', 'location', 'campaign', 'playback']) {
        await expect(fetch(`http://${external}:${port(name)}/healthz`)).rejects.toThrow();
        expect((await fetch(`http://127.0.0.1:${port(name)}/healthz`)).status).toBe(200);
      }
    });
  });
});

/** A worker pod: it runs jobs on the shared Postgres and serves no GraphQL, so it asks for nothing else. */
describe('a worker on its own', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let worker: PlatformProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await worker?.stop();
    await database?.drop();
  }, 40_000);

  it('starts with DATABASE_URL, REDIS_URL and auth’s master key, becomes ready on WORKER_PORT and exits 0 on SIGTERM', async () => {
    // No AUTH_JWKS_URL or SUBGRAPH_SHARED_SECRET; WORKER_PORT 0 so the OS picks a free port. Its DATA_DIR holds
    // the master key auth seals signing keys with (a shared volume; KMS_KEY_ID in k8s).
    const dataDir = mkdtempSync(join(tmpdir(), 'phub-worker-'));
    LocalMasterKey.loadOrCreate(dataDir);
    worker = await PlatformProcess.start(
      'worker',
      { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, WORKER_PORT: '0' },
      dataDir,
    );
    const ready = worker.logs
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; port?: number })
      .find((e) => e.msg === 'worker ready');
    expect(ready?.port).toBeGreaterThan(0);
    const base = `http://127.0.0.1:${ready!.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const readyz = await fetch(`${base}/readyz`);
    expect(readyz.status, await readyz.clone().text()).toBe(200);
    expect(await worker.stop()).toBe(0);
  }, 120_000);

  it('refuses to start without DATABASE_URL, naming it', async () => {
    const started = startPlatform({ targets: ['worker'], env: { LOG_LEVEL: 'silent' } });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/DATABASE_URL: required for --target=worker/);
  });

  it('refuses to start without REDIS_URL: its jobs publish to the subgraphs’ subscribers', async () => {
    const started = startPlatform({ targets: ['worker'], env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent' } });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/REDIS_URL: required for --target=worker/);
  });

  it('refuses to rotate signing keys with a master key of its own: KMS_KEY_ID or auth’s DATA_DIR, named', async () => {
    const started = startPlatform({
      targets: ['worker'],
      env: {
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'phub-worker-')),
        WORKER_PORT: '0',
        LOG_LEVEL: 'silent',
      },
    });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/KMS_KEY_ID: required for the worker's auth jobs/);
  });
});
