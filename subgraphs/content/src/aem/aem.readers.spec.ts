import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Egress, type Clock } from '@phub/kit';
import { ManualClock, SQUID_BIN, SquidProxy } from '@phub/kit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AemServer } from '../testing/aem-server.js';
import { AemClient, type AemOutcome, type AemTarget } from './aem.client.js';
import { AemErrorCode } from './aem.errors.js';
import { AemReaders } from './aem.readers.js';
import { CircuitState } from './circuit-breaker.js';

// CI installs Debian's squid (.ci/run): there a missing squid is a failure, not a skip.
const skipSquid = spawnSync(SQUID_BIN, ['-v']).status !== 0 && !process.env.CI;

const CREDENTIALS = { username: 'phub-reader', password: 'reader-secret' };
const basic = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d1a3d50000000049454e44ae426082',
  'hex',
);

/** A local URL nobody listens on (a port just released), so the connection is refused. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function seed(aem: AemServer): void {
  aem.page('/content/phub-demo/en/spring', 'Spring sale', [
    { name: 'title', type: 'core/wcm/components/title/v3/title', props: { text: 'Spring sale' } },
    { name: 'teaser', type: 'core/wcm/components/teaser/v2/teaser', props: { description: 'Up to 40% off' } },
  ]);
  aem.page('/content/phub-demo/en/summer', 'Summer');
  aem.asset('/content/dam/phub/hero.png', 'Hero', {
    original: { bytes: PNG, mimeType: 'image/png' },
    'cq5dam.web.1280.1280.png': { bytes: PNG, mimeType: 'image/png' },
  });
  for (let i = 1; i <= 3; i++) {
    aem.fragment({
      id: `cf-${i}`,
      path: `/content/dam/phub/offers/offer-${i}`,
      title: `Offer ${i}`,
      modelId: 'offer',
      fields: { headline: `Offer ${i}`, body: 'Only this week', price: `${i}9.99` },
    });
  }
  aem.persistedQuery('phub', 'offers', (vars) => ({ offerList: { items: [{ headline: `for ${vars.locale}` }] } }));
}

describe(AemReaders.name, () => {
  let aem: AemServer;
  let egress: Egress;
  const outcomes: AemOutcome[] = [];
  let target: AemTarget;
  let clock: ManualClock;

  function readers(overrides: Partial<ConstructorParameters<typeof AemClient>[0]> = {}, c: Clock = clock) {
    const client = new AemClient(
      {
        timeoutMs: 2_000,
        retries: 1,
        retryBaseMs: 1,
        maxJsonBytes: 1024 * 1024,
        failures: 3,
        openMs: 30_000,
        ...overrides,
      },
      egress,
      (_id, o) => void outcomes.push(o),
      c,
      () => Promise.resolve(),
    );
    return { client, read: new AemReaders(client) };
  }

  beforeAll(async () => {
    aem = await AemServer.start();
    seed(aem);
    egress = new Egress({});
    target = { id: 'src-1', baseUrl: aem.url, authorization: () => Promise.resolve(basic) };
  });
  afterAll(async () => {
    await egress.close();
    await aem.close();
  });
  afterEach(() => {
    aem.mode = 'ok';
    outcomes.length = 0;
    clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
  });
  clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));

  it('reads Sling JSON at a depth and lists children, jcr:content left out', async () => {
    const { read } = readers();
    const children = await read.children(target, '/content/phub-demo/en');
    expect(children.map((c) => [c.name, c.path, c.primaryType, c.title])).toEqual([
      ['spring', '/content/phub-demo/en/spring', 'cq:Page', 'Spring sale'],
      ['summer', '/content/phub-demo/en/summer', 'cq:Page', 'Summer'],
    ]);
    expect(aem.requests.at(-1)).toMatchObject({ url: '/content/phub-demo/en.2.json', authorization: basic });
  });

  it('follows the deepest URL of a 300 Multiple Choices from .infinity.json', async () => {
    aem.maxResults = 8;
    try {
      const { read } = readers();
      const tree = await read.sling(target, '/content/phub-demo', 'infinity');
      expect(tree.limited).toBe(true);
      expect(typeof tree.depth).toBe('number');
      const urls = aem.requests.slice(-2).map((r) => r.url);
      expect(urls[0]).toBe('/content/phub-demo.infinity.json');
      expect(urls[1]).toBe(`/content/phub-demo.${tree.depth}.json`);
      expect(tree.node).toHaveProperty('en');
    } finally {
      aem.maxResults = 200;
    }
  });

  it('answers TOO_MANY_RESULTS when even depth 0 is over the limit', async () => {
    aem.maxResults = 0;
    try {
      const { read } = readers();
      await expect(read.sling(target, '/content/phub-demo', 'infinity')).rejects.toMatchObject({
        reason: AemErrorCode.TOO_MANY_RESULTS,
      });
    } finally {
      aem.maxResults = 200;
    }
  });

  it('reads the Model Exporter in :itemsOrder', async () => {
    const { read } = readers();
    const model = await read.model(target, '/content/phub-demo/en/spring');
    const root = model.items[0]!;
    expect(root.name).toBe('root');
    expect(root.items.map((i) => [i.name, i.type])).toEqual([
      ['title', 'core/wcm/components/title/v3/title'],
      ['teaser', 'core/wcm/components/teaser/v2/teaser'],
    ]);
    expect(root.items[1]!.properties.description).toBe('Up to 40% off');
  });

  it('reads folders and assets as Siren entities, and a rendition’s bytes', async () => {
    const { read } = readers();
    const folder = await read.assets(target, '/content/dam/phub');
    expect(folder.class).toEqual(['assets/folder']);
    const hero = folder.entities.find((e) => e.name === 'hero.png');
    expect(hero?.class).toEqual(['assets/asset']);
    expect(hero?.path).toBe('/content/dam/phub/hero.png');
    const r = await read.rendition(target, '/content/dam/phub/hero.png', 'original');
    expect(r.bytes.equals(PNG)).toBe(true);
    expect(r.mimeType).toBe('image/png');
    const again = await read.rendition(target, '/content/dam/phub/hero.png', 'original', r.etag!);
    expect(again.notModified).toBe(true);
  });

  it('pages content fragments by cursor and answers 304 to a matching ETag', async () => {
    const { read } = readers();
    const first = await read.fragments(target, { path: '/content/dam/phub/offers', limit: 2 });
    expect(first.items.map((f) => f.id)).toEqual(['cf-1', 'cf-2']);
    expect(first.cursor).toBeTruthy();
    const second = await read.fragments(target, { path: '/content/dam/phub/offers', limit: 2, cursor: first.cursor! });
    expect(second.items.map((f) => f.id)).toEqual(['cf-3']);
    expect(second.cursor).toBeNull();
    const one = await read.fragment(target, 'cf-2');
    expect(one.fragment?.fields).toMatchObject({ headline: 'Offer 2', price: '29.99' });
    expect((await read.fragment(target, 'cf-2', one.etag!)).fragment).toBeNull();
    expect(aem.requests.at(-1)?.ifNoneMatch).toBe(one.etag);
  });

  it('runs a persisted GraphQL query with variables in the path', async () => {
    const { read } = readers();
    const res = await read.persistedQuery(target, 'phub', 'offers', { locale: 'en-GB' });
    expect(res.data).toEqual({ offerList: { items: [{ headline: 'for en-GB' }] } });
    expect(aem.requests.at(-1)?.url).toBe('/graphql/execute.json/phub/offers;locale=en-GB');
  });

  it.each([
    ['5xx', 'error500', AemErrorCode.SERVER_ERROR],
    ['malformed JSON', 'malformed', AemErrorCode.MALFORMED_RESPONSE],
  ] as const)('turns %s into %s, retrying only what is transient', async (_name, mode, code) => {
    const { read } = readers();
    aem.mode = mode;
    const before = aem.requests.length;
    await expect(read.children(target, '/content/phub-demo')).rejects.toMatchObject({
      reason: code,
      code: 'UNAVAILABLE',
    });
    expect(aem.requests.length - before).toBe(code === AemErrorCode.SERVER_ERROR ? 2 : 1);
    expect(outcomes.at(-1)).toMatchObject({ ok: false, error: { reason: code } });
  });

  it('times out a slow AEM', async () => {
    const { read } = readers({ timeoutMs: 200, retries: 0 });
    aem.mode = 'slow';
    aem.slowMs = 2_000;
    await expect(read.children(target, '/content/phub-demo')).rejects.toMatchObject({ reason: AemErrorCode.TIMEOUT });
  });

  it('reports expired credentials as UNAUTHORIZED without retrying', async () => {
    const { read } = readers();
    const stale: AemTarget = { ...target, authorization: () => Promise.resolve('Basic ZXhwaXJlZDpjcmVkcw==') };
    const before = aem.requests.length;
    await expect(read.children(stale, '/content/phub-demo')).rejects.toMatchObject({
      reason: AemErrorCode.UNAUTHORIZED,
    });
    expect(aem.requests.length - before).toBe(1);
  });

  it('reports an unreachable AEM as UNREACHABLE', async () => {
    const { read } = readers({ retries: 0 });
    const gone: AemTarget = { ...target, baseUrl: await closedPortUrl() };
    await expect(read.children(gone, '/content')).rejects.toMatchObject({ reason: AemErrorCode.UNREACHABLE });
  });

  it('opens the circuit after repeated failures, fails fast, and closes it after a good trial', async () => {
    const { client, read } = readers({ retries: 0, failures: 2, openMs: 10_000 });
    aem.mode = 'error500';
    for (let i = 0; i < 2; i++) await read.children(target, '/content').catch(() => undefined);
    expect(client.breaker(target.id).state).toBe(CircuitState.OPEN);
    const before = aem.requests.length;
    await expect(read.children(target, '/content')).rejects.toMatchObject({ reason: AemErrorCode.CIRCUIT_OPEN });
    expect(aem.requests.length).toBe(before);
    aem.mode = 'ok';
    clock.advance(10_000);
    expect(client.breaker(target.id).state).toBe(CircuitState.HALF_OPEN);
    await read.children(target, '/content');
    expect(client.breaker(target.id).state).toBe(CircuitState.CLOSED);
  });

  it('refuses paths that are not AEM paths before any request', async () => {
    const { read } = readers();
    const before = aem.requests.length;
    await expect(read.children(target, '/content/../etc/passwd')).rejects.toMatchObject({
      reason: AemErrorCode.NOT_FOUND,
    });
    expect(aem.requests.length).toBe(before);
  });
});

describe.skipIf(skipSquid)('AEM reads through a real Squid', () => {
  let squid: SquidProxy;
  let aem: AemServer;

  beforeAll(async () => {
    squid = await SquidProxy.start();
    aem = await AemServer.start();
    seed(aem);
  }, 30_000);
  afterAll(async () => {
    await aem?.close();
    await squid?.stop();
  });

  const options = {
    timeoutMs: 3_000,
    retries: 0,
    retryBaseMs: 1,
    maxJsonBytes: 1024 * 1024,
    failures: 5,
    openMs: 1_000,
  };

  it('sends every documented read through the proxy: Squid logs them, AEM sees its Via', async () => {
    const egress = new Egress({ httpProxy: squid.url, httpsProxy: squid.url });
    try {
      const read = new AemReaders(new AemClient(options, egress));
      const target = { id: 's', baseUrl: aem.url, authorization: () => Promise.resolve(basic) };
      await read.children(target, '/content/phub-demo/en');
      await read.model(target, '/content/phub-demo/en/spring');
      await read.assets(target, '/content/dam/phub');
      await read.fragments(target, { path: '/content/dam/phub/offers' });
      await read.persistedQuery(target, 'phub', 'offers', { locale: 'de' });
    } finally {
      await egress.close();
    }
    for (const path of [
      '/content/phub-demo/en.2.json',
      '/content/phub-demo/en/spring.model.json',
      '/api/assets/phub.json',
      // Squid strips query strings from its log (strip_query_terms).
      '/adobe/contentFragments',
      '/graphql/execute.json/phub/offers;locale=de',
    ]) {
      await expect.poll(() => squid.accessLog().join('\n')).toContain(`GET ${aem.url}${path}`);
    }
    expect(aem.requests.every((r) => /squid/i.test(r.via ?? ''))).toBe(true);
  });

  it('refuses a direct connection when the proxy is required: nothing reaches AEM, the reason is EGRESS_REFUSED', async () => {
    const egress = new Egress({ required: true });
    const outcomes: AemOutcome[] = [];
    try {
      const read = new AemReaders(new AemClient(options, egress, (_id, o) => void outcomes.push(o)));
      const before = aem.requests.length;
      const target = { id: 's', baseUrl: aem.url, authorization: () => Promise.resolve(basic) };
      await expect(read.children(target, '/content')).rejects.toMatchObject({ reason: AemErrorCode.EGRESS_REFUSED });
      expect(aem.requests.length).toBe(before);
      expect(outcomes.at(-1)).toMatchObject({ ok: false, error: { reason: AemErrorCode.EGRESS_REFUSED } });
    } finally {
      await egress.close();
    }
  });

  it('reports AEM down behind the proxy as a failure with a stable code, not a crash', async () => {
    const egress = new Egress({ httpProxy: squid.url });
    try {
      const read = new AemReaders(new AemClient(options, egress));
      const target = { id: 's', baseUrl: await closedPortUrl(), authorization: () => Promise.resolve(undefined) };
      // Squid answers 503 when it cannot connect onwards.
      await expect(read.children(target, '/content')).rejects.toMatchObject({
        reason: AemErrorCode.SERVER_ERROR,
        status: 503,
      });
    } finally {
      await egress.close();
    }
  });
});
