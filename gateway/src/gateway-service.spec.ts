import { get as httpGet } from 'node:http';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayService } from './index.js';
import {
  buildProductsSchema,
  buildReviewsSchema,
  composeSupergraph,
  POLL,
  postGraphQL,
  slowCalls,
  startGateway,
  SupergraphFixture,
  TestSubgraph,
} from './testing/index.js';

const SLOW = (ms: number) => `{ products { id slowReviews(ms: ${ms}) { stars } } }`;

describe(`${GatewayService.name}.stop`, () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema()).start();
    file = await SupergraphFixture.create(await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]));
  });

  afterAll(async () => {
    await Promise.all([products?.stop(), reviews?.stop()]);
    await file?.remove();
  });

  // fs.watch handles; the gateway holds one for the supergraph folder while it runs.
  const watchers = () => process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;

  it('lets a request in flight finish, then stops listening and watching', async () => {
    const before = watchers();
    const gateway = await startGateway(file.path);
    expect(watchers()).toBe(before + 1);
    const url = gateway.url;
    const order: string[] = [];
    const pending = postGraphQL(url, SLOW(500)).then((res) => {
      order.push('response');
      return res;
    });
    await vi.waitFor(() => expect(slowCalls.active).toBeGreaterThan(0), POLL);

    await gateway.stop();
    order.push('stopped');

    const res = await pending;
    expect(res.body).toEqual({
      data: {
        products: [
          { id: 'p1', slowReviews: [{ stars: 5 }] },
          { id: 'p2', slowReviews: [{ stars: 2 }] },
        ],
      },
    });
    expect(order).toEqual(['response', 'stopped']);
    await expect(postGraphQL(url, '{ products { id } }')).rejects.toThrow();
    expect(watchers()).toBe(before);
  });

  it('does not wait longer than SHUTDOWN_TIMEOUT_MS for requests still running', async () => {
    const gateway = await startGateway(file.path, { SHUTDOWN_TIMEOUT_MS: '200' });
    const pending = postGraphQL(gateway.url, SLOW(10_000)).catch((err: unknown) => err);
    await vi.waitFor(() => expect(slowCalls.active).toBeGreaterThan(0), POLL);

    const started = performance.now();
    await gateway.stop();
    // Far below the subgraph's 10 s: the gateway cut the request instead of waiting for it.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe(`${GatewayService.name} static apps`, () => {
  let products: TestSubgraph;
  let file: SupergraphFixture;
  let gateway: GatewayService;
  let dir: string;

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema()).start();
    file = await SupergraphFixture.create(await composeSupergraph([{ subgraph: products }]));
    dir = await mkdtemp(path.join(tmpdir(), 'phub-static-'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>hq</title>');
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'assets/app.js'), 'console.log(1)');
    // What the apps' builds write beside each file (vite-plugin-compression2).
    await writeFile(path.join(dir, 'assets/app.js.br'), brotliCompressSync('console.log(1)'));
    await writeFile(path.join(dir, 'assets/app.js.gz'), gzipSync('console.log(1)'));
    gateway = await startGateway(file.path, {}, { staticApps: { '/hq': dir } });
  });

  afterAll(async () => {
    await gateway?.stop();
    await products?.stop();
    await file?.remove();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (p: string, accept = 'text/html') =>
    fetch(new URL(p, gateway.url), { headers: { accept } }).then(async (r) => ({
      status: r.status,
      type: r.headers.get('content-type') ?? '',
      body: await r.text(),
    }));

  it('serves files, and index.html for client-side routes (deep links)', async () => {
    expect(await get('/hq/assets/app.js', '*/*')).toMatchObject({ status: 200, body: 'console.log(1)' });
    const deep = await get('/hq/campaigns/42/edit');
    expect(deep).toMatchObject({ status: 200, body: '<!doctype html><title>hq</title>' });
    expect(deep.type).toContain('text/html');
  });

  it('serves the build’s brotli or gzip copy as the browser accepts, hashed assets cached for good, pages revalidated', async () => {
    const asset = (encoding: string) =>
      new Promise<{ encoding?: string; vary?: string; cache?: string; type?: string; body: Buffer }>(
        (resolve, reject) => {
          // node:http, not fetch: fetch would decode the body and hide what was sent.
          httpGet(new URL('/hq/assets/app.js', gateway.url), { headers: { 'accept-encoding': encoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                encoding: res.headers['content-encoding'],
                vary: res.headers.vary,
                cache: res.headers['cache-control'],
                type: res.headers['content-type'],
                body: Buffer.concat(chunks),
              }),
            );
          }).on('error', reject);
        },
      );
    const br = await asset('gzip, deflate, br');
    expect(br).toMatchObject({ encoding: 'br', vary: 'Accept-Encoding', cache: 'public, max-age=31536000, immutable' });
    expect(br.type).toContain('javascript');
    expect(brotliDecompressSync(br.body).toString()).toBe('console.log(1)');
    const gz = await asset('gzip');
    expect(gz.encoding).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe('console.log(1)');
    const plain = await asset('identity');
    expect(plain.encoding).toBeUndefined();
    expect(plain.body.toString()).toBe('console.log(1)');

    const page = await fetch(new URL('/hq/', gateway.url));
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const deep = await fetch(new URL('/hq/campaigns/42', gateway.url), { headers: { accept: 'text/html' } });
    expect(deep.headers.get('cache-control')).toBe('no-cache');
  });

  it('keeps a missing asset a 404, never the app page', async () => {
    expect((await get('/hq/assets/missing.js', '*/*')).status).toBe(404);
    expect((await get('/hq/campaigns', 'application/json')).status).toBe(404);
    expect((await get('/other/page')).status).toBe(404);
  });
});
