import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AemServer } from '../../testing/aem-server.js';
import { startContent, type ContentHarness } from '../../testing/harness.js';
import { SourceService } from './source.service.js';

const SOURCE = `id name baseUrl authKind username hasSecret
  health { status lastSuccessAt lastErrorAt lastErrorCode lastErrorMessage circuitState consecutiveFailures }`;

interface Health {
  status: string;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  circuitState: string;
  consecutiveFailures: number;
  lastSuccessAt: string | null;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe(SourceService.name, () => {
  let h: ContentHarness;
  let aem: AemServer;

  beforeAll(async () => {
    aem = await AemServer.start({ kind: 'basic', username: 'phub-reader', password: 'reader-secret' });
    aem.page('/content/phub-demo/en/spring', 'Spring sale');
    aem.asset('/content/dam/phub/hero.png', 'Hero', { original: { bytes: Buffer.from('png'), mimeType: 'image/png' } });
    aem.fragment({
      id: 'cf-1',
      path: '/content/dam/phub/offers/a',
      title: 'A',
      modelId: 'offer',
      fields: { headline: 'A' },
    });
    h = await startContent({ CONTENT_CIRCUIT_FAILURES: '3', CONTENT_AEM_RETRIES: '1' });
  });
  afterAll(async () => {
    await h?.stop();
    await aem?.close();
  });

  async function create(input: Record<string, unknown>) {
    const data = await h.as<{ createContentSource: { id: string; hasSecret: boolean } }>(
      'hqAdmin',
      `mutation($i: CreateContentSourceInput!) { createContentSource(input: $i) { ${SOURCE} } }`,
      { i: input },
    );
    return data.createContentSource;
  }
  const health = async (id: string) =>
    (
      await h.as<{ contentSource: { health: Health } }>(
        'hqAdmin',
        `query($id: ID!) { contentSource(id: $id) { ${SOURCE} } }`,
        { id },
      )
    ).contentSource.health;
  it('seals the secret at rest and never returns it', async () => {
    const source = await create({
      name: 'Author 6.5',
      baseUrl: `${aem.url}/`,
      authKind: 'BASIC',
      username: 'phub-reader',
      secret: 'reader-secret',
    });
    expect(source).toMatchObject({ hasSecret: true, baseUrl: aem.url });
    const { rows } = await h.db.query<{ secret: unknown }>(`SELECT secret FROM content.aem_source WHERE id = $1`, [
      source.id,
    ]);
    expect(JSON.stringify(rows[0]!.secret)).not.toContain('reader-secret');
    expect(rows[0]!.secret).toMatchObject({ v: 1, kek: expect.stringMatching(/^local:/) });
    const introspect = await h.as<{ __type: { fields: { name: string }[] } }>(
      'hqAdmin',
      `{ __type(name: "AemSource") { fields { name } } }`,
    );
    expect(introspect.__type.fields.map((f) => f.name)).not.toContain('secret');
  });

  it('browses the tree (Sling JSON, Assets API under /content/dam) and fragments, recording success', async () => {
    const { id } = await create({
      name: 'Browse',
      baseUrl: aem.url,
      authKind: 'BASIC',
      username: 'phub-reader',
      secret: 'reader-secret',
    });
    const token = await h.token('hqEditor');
    const pages = await h.gql<{ aemBrowse: { nodes: unknown[]; parentPath: string } }>(
      `query($id: ID!) { aemBrowse(sourceId: $id, path: "/content/phub-demo/en") { parentPath nodes { name title kind } } }`,
      { id },
      token,
    );
    expect(pages.errors).toBeUndefined();
    expect(pages.data!.aemBrowse).toEqual({
      parentPath: '/content/phub-demo',
      nodes: [{ name: 'spring', title: 'Spring sale', kind: 'PAGE' }],
    });
    const dam = await h.gql<{ aemBrowse: { nodes: unknown[] } }>(
      `query($id: ID!) { aemBrowse(sourceId: $id, path: "/content/dam/phub") { nodes { name kind mimeType } } }`,
      { id },
      token,
    );
    expect(dam.data!.aemBrowse.nodes).toEqual(
      expect.arrayContaining([
        { name: 'hero.png', kind: 'ASSET', mimeType: 'image/png' },
        { name: 'offers', kind: 'FOLDER', mimeType: null },
      ]),
    );
    const cfs = await h.gql<{ aemFragments: { items: { id: string; fields: unknown }[]; cursor: string | null } }>(
      `query($id: ID!) { aemFragments(sourceId: $id, path: "/content/dam/phub") { items { id title fields } cursor } }`,
      { id },
      token,
    );
    expect(cfs.data!.aemFragments).toEqual({
      items: [{ id: 'cf-1', title: 'A', fields: { headline: 'A' } }],
      cursor: null,
    });
    expect(await health(id)).toMatchObject({
      status: 'OK',
      lastErrorCode: null,
      circuitState: 'CLOSED',
      consecutiveFailures: 0,
    });
  });

  it.each([
    ['unreachable', 'UNREACHABLE'],
    ['slow', 'TIMEOUT'],
    ['5xx', 'SERVER_ERROR'],
    ['malformed JSON', 'MALFORMED_RESPONSE'],
    ['300 Multiple Choices beyond any depth', 'TOO_MANY_RESULTS'],
    ['expired credentials (401)', 'UNAUTHORIZED'],
  ])('%s: a clear UNAVAILABLE error, %s in the source’s health, the service still answers', async (name, code) => {
    const baseUrl = name === 'unreachable' ? await closedPortUrl() : aem.url;
    const secret = name.startsWith('expired') ? 'rotated-away' : 'reader-secret';
    const { id } = await create({
      name: `Failing ${name}`,
      baseUrl,
      authKind: 'BASIC',
      username: 'phub-reader',
      secret,
    });
    if (name === 'slow') [aem.mode, aem.slowMs] = ['slow', 3_000];
    if (name === '5xx') aem.mode = 'error500';
    if (name === 'malformed JSON') aem.mode = 'malformed';
    if (name.startsWith('300')) aem.maxResults = 0;
    try {
      const failed = await h.gql(
        `query($id: ID!) { aemBrowse(sourceId: $id) { path } }`,
        { id },
        await h.token('hqAdmin'),
      );
      expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', reason: code });
      expect(failed.errors?.[0]?.message).toMatch(/AEM/);
    } finally {
      [aem.mode, aem.maxResults] = ['ok', 200];
    }
    const after = await health(id);
    expect(after).toMatchObject({ status: 'FAILING', lastErrorCode: code, lastSuccessAt: null });
    expect(after.lastErrorMessage).toBeTruthy();
    // Still serving: another source reads fine.
    expect(
      (await h.as<{ contentSources: unknown[] }>('hqViewer', '{ contentSources { id } }')).contentSources.length,
    ).toBeGreaterThan(0);
  });

  it('opens the circuit after repeated failures, shows it to HQ, and a good test read closes it later', async () => {
    const { id } = await create({
      name: 'Flaky',
      baseUrl: aem.url,
      authKind: 'BASIC',
      username: 'phub-reader',
      secret: 'reader-secret',
    });
    const admin = await h.token('hqAdmin');
    aem.mode = 'error500';
    try {
      for (let i = 0; i < 3; i++) await h.gql(`query($id: ID!) { aemBrowse(sourceId: $id) { path } }`, { id }, admin);
      expect(await health(id)).toMatchObject({
        circuitState: 'OPEN',
        lastErrorCode: 'SERVER_ERROR',
        consecutiveFailures: 3,
      });
      const before = aem.requests.length;
      const fast = await h.gql(`query($id: ID!) { aemBrowse(sourceId: $id) { path } }`, { id }, admin);
      expect(fast.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', reason: 'CIRCUIT_OPEN' });
      expect(aem.requests.length).toBe(before);
    } finally {
      aem.mode = 'ok';
    }
    h.clock.advance(30_000);
    const tested = await h.as<{ testContentSource: { health: Health } }>(
      'hqAdmin',
      `mutation($id: ID!) { testContentSource(id: $id) { ${SOURCE} } }`,
      { id },
    );
    expect(tested.testContentSource.health).toMatchObject({
      status: 'OK',
      circuitState: 'CLOSED',
      consecutiveFailures: 0,
    });
  });

  it.each([
    [{ name: 'x', baseUrl: 'ftp://aem.example', authKind: 'NONE' }, 'baseUrl'],
    [{ name: 'x', baseUrl: 'https://user:pw@aem.example', authKind: 'NONE' }, 'baseUrl'],
    [{ name: 'x', baseUrl: 'https://aem.example', authKind: 'BASIC', secret: 'pw' }, 'username'],
    [{ name: 'x', baseUrl: 'https://aem.example', authKind: 'BEARER' }, 'secret'],
    [
      { name: 'x', baseUrl: 'https://aem.example', authKind: 'SERVICE_CREDENTIALS', secret: '{"not":"creds"}' },
      'secret',
    ],
    [{ name: ' ', baseUrl: 'https://aem.example', authKind: 'NONE' }, 'name'],
  ])('refuses bad input %j as BAD_USER_INPUT on %s, storing nothing', async (input, field) => {
    const before = await h.db.query(`SELECT count(*)::int AS n FROM content.aem_source`);
    const res = await h.gql(
      `mutation($i: CreateContentSourceInput!) { createContentSource(input: $i) { id } }`,
      { i: input },
      await h.token('hqAdmin'),
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    const after = await h.db.query(`SELECT count(*)::int AS n FROM content.aem_source`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses a second source of the same name as CONFLICT', async () => {
    await create({ name: 'Twice', baseUrl: 'https://aem.example', authKind: 'NONE' });
    const res = await h.gql(
      `mutation { createContentSource(input: { name: "twice", baseUrl: "https://aem.example", authKind: NONE }) { id } }`,
      {},
      await h.token('hqAdmin'),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('exchanges AEM as a Cloud Service service credentials at IMS, and again when AEM refuses the token', async () => {
    const cloud = await AemServer.start({ kind: 'bearer', token: 'token-1' });
    try {
      cloud.page('/content/cloud/en', 'Cloud');
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      let issued = 0;
      cloud.ims = {
        clientId: 'cm-p1-e2-client',
        clientSecret: 'p8e-secret',
        publicKey,
        org: 'ORG@AdobeOrg',
        issueToken: () => `token-${++issued}`,
      };
      const credentials = {
        ok: true,
        integration: {
          imsEndpoint: new URL(cloud.url).host,
          metascopes: 'ent_aem_cloud_api',
          technicalAccount: { clientId: 'cm-p1-e2-client', clientSecret: 'p8e-secret' },
          email: 'tech@techacct.adobe.com',
          id: 'TECH@techacct.adobe.com',
          org: 'ORG@AdobeOrg',
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
        statusCode: 200,
      };
      const { id } = await create({
        name: 'Cloud',
        baseUrl: cloud.url,
        authKind: 'SERVICE_CREDENTIALS',
        secret: JSON.stringify(credentials),
      });
      const admin = await h.token('hqAdmin');
      const read = () =>
        h.gql(`query($id: ID!) { aemBrowse(sourceId: $id, path: "/content/cloud") { path } }`, { id }, admin);
      expect((await read()).errors).toBeUndefined();
      expect(cloud.requests.filter((r) => r.url === '/ims/exchange/jwt')).toHaveLength(1);
      expect(cloud.requests.at(-1)?.authorization).toBe('Bearer token-1');
      expect((await read()).errors).toBeUndefined();
      expect(cloud.requests.filter((r) => r.url === '/ims/exchange/jwt')).toHaveLength(1);
      // The token was revoked: AEM answers 401, the exchange runs again and the read succeeds with the new one.
      cloud.auth = { kind: 'bearer', token: 'token-2' };
      expect((await read()).errors).toBeUndefined();
      expect(cloud.requests.at(-1)?.authorization).toBe('Bearer token-2');
      // Credentials IMS refuses: a clear reason in the error and in the health.
      cloud.ims.clientSecret = 'rotated';
      cloud.auth = { kind: 'bearer', token: 'token-9' };
      const refused = await read();
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', reason: 'TOKEN_EXCHANGE_FAILED' });
      expect(await health(id)).toMatchObject({ lastErrorCode: 'TOKEN_EXCHANGE_FAILED' });
    } finally {
      await cloud.close();
    }
  });

  it('rotates the credentials: the new secret is used at once', async () => {
    const { id } = await create({
      name: 'Rotating',
      baseUrl: aem.url,
      authKind: 'BASIC',
      username: 'phub-reader',
      secret: 'old-secret',
    });
    const admin = await h.token('hqAdmin');
    expect(
      (await h.gql(`query($id: ID!) { aemBrowse(sourceId: $id) { path } }`, { id }, admin)).errors?.[0]?.extensions
        ?.reason,
    ).toBe('UNAUTHORIZED');
    await h.as(
      'hqAdmin',
      `mutation($id: ID!) { updateContentSource(input: { id: $id, secret: "reader-secret" }) { id } }`,
      { id },
    );
    expect(
      (await h.gql(`query($id: ID!) { aemBrowse(sourceId: $id, path: "/content/phub-demo") { path } }`, { id }, admin))
        .errors,
    ).toBeUndefined();
  });
});
