import { GATEWAY_SECRET_HEADER } from '@phub/kit';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayErrorCode, GatewayService } from './index.js';
import {
  buildProductsSchema,
  buildReviewsSchema,
  codes,
  composeSupergraph,
  POLL,
  postGraphQL,
  productFeed,
  startGateway,
  subscribeWs,
  SupergraphFixture,
  TestSubgraph,
} from './testing/index.js';

const SECRET = 'gateway-edge-spec-secret-0123456789abcdef';
const INLINE = "document.documentElement.classList.add('x')";
const SPANNING = '{ products { id name reviews { body stars } } }';
const ECHO = '{ requestHeaders { forwardedFor } }';

/** The client address a subgraph was told, without the IPv4-mapped prefix. */
const forwarded = (res: Awaited<ReturnType<typeof postGraphQL>>) =>
  String((res.body.data?.requestHeaders as { forwardedFor: string | null }).forwardedFor).replace(/^::ffff:/, '');

describe(`${GatewayService.name} and subgraphs that accept only their gateway`, () => {
  let products: TestSubgraph;
  let reviews: TestSubgraph;
  let file: SupergraphFixture;
  let gateway: GatewayService;
  let apps: string;
  const stopLater: GatewayService[] = [];
  const start = async (...args: Parameters<typeof startGateway>) => {
    const started = await startGateway(...args);
    stopLater.push(started);
    return started;
  };

  beforeAll(async () => {
    products = await new TestSubgraph('products', await buildProductsSchema(), { secret: SECRET }).start();
    reviews = await new TestSubgraph('reviews', await buildReviewsSchema(), { secret: SECRET }).start();
    file = await SupergraphFixture.create(await composeSupergraph([{ subgraph: products }, { subgraph: reviews }]));
    apps = await mkdtemp(join(tmpdir(), 'phub-apps-'));
    await writeFile(join(apps, 'index.html'), `<!doctype html><title>HQ</title><script>${INLINE}</script>`);
    gateway = await start(
      file.path,
      { SUBGRAPH_SHARED_SECRET: SECRET, DEFAULT_LIST_SIZE: '2' },
      { staticApps: { '/hq': apps } },
    );
  });

  afterAll(async () => {
    await Promise.all(stopLater.map((g) => g.stop()));
    await Promise.all([products?.stop(), reviews?.stop()]);
    await file?.remove();
    await rm(apps, { recursive: true, force: true });
  });

  describe('the gateway secret', () => {
    it('is refused by a subgraph when missing (403)', async () => {
      const res = await postGraphQL(products.url, '{ products { id } }');
      expect(res.status).toBe(403);
      expect(codes(res)).toEqual(['FORBIDDEN']);
    });

    it('is added by the gateway to every subgraph request', async () => {
      const res = await postGraphQL(gateway.url, SPANNING);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.products).toHaveLength(2);
    });

    it('is added to the upstream graphql-ws sockets too', async () => {
      const sub = subscribeWs(gateway.url, 'subscription { productChanged(id: "p1") { version product { name } } }');
      try {
        await vi.waitFor(() => expect(productFeed.subscribers('p1')).toBe(1), POLL);
        productFeed.publish({ productId: 'p1', version: 7 });
        await vi.waitFor(() => expect(sub.events).toHaveLength(1), POLL);
        expect(sub.events[0]).toEqual({ data: { productChanged: { version: 7, product: { name: 'Poster' } } } });
      } finally {
        await sub.dispose();
      }
    });

    it('without it, a gateway gets FORBIDDEN from every subgraph', async () => {
      const unkeyed = await start(file.path, { DEFAULT_LIST_SIZE: '2' });
      const res = await postGraphQL(unkeyed.url, '{ products { id } }');
      expect(codes(res)).toEqual(['FORBIDDEN']);
    });

    it('is sent by the /readyz/subgraphs probe', async () => {
      const res = await fetch(`${gateway.internalUrl}/readyz/subgraphs`);
      expect(await res.json()).toMatchObject({ status: 'ok' });
    });
  });

  describe('the client address', () => {
    it('is the one the gateway saw: a spoofed X-Forwarded-For never reaches a subgraph', async () => {
      const res = await postGraphQL(gateway.url, ECHO, { headers: { 'x-forwarded-for': '198.51.100.66' } });
      expect(forwarded(res)).toBe('127.0.0.1');
    });

    it('comes from X-Forwarded-For only when TRUST_PROXY names the balancer', async () => {
      const behindBalancer = await start(file.path, { SUBGRAPH_SHARED_SECRET: SECRET, TRUST_PROXY: 'loopback' });
      const res = await postGraphQL(behindBalancer.url, ECHO, {
        headers: { 'x-forwarded-for': '203.0.113.5, 198.51.100.66' },
      });
      // One trusted hop (loopback): the balancer's view of the client, nothing further left.
      expect(forwarded(res)).toBe('198.51.100.66');
    });

    it('a subgraph believes X-Forwarded-For only from its gateway', async () => {
      const base = products.url.replace(/\/graphql$/, '');
      const spoofed = { 'x-forwarded-for': '198.51.100.66' };
      const direct = (await (await fetch(`${base}/client-address`, { headers: spoofed })).json()) as { ip: string };
      expect(direct.ip.replace(/^::ffff:/, '')).toBe('127.0.0.1');
      const keyed = { ...spoofed, [GATEWAY_SECRET_HEADER]: SECRET };
      const trusted = (await (await fetch(`${base}/client-address`, { headers: keyed })).json()) as { ip: string };
      expect(trusted.ip).toBe('198.51.100.66');
    });
  });

  describe('query cost', () => {
    // Two products a list (DEFAULT_LIST_SIZE=2): ten levels of `related` are 2^10 products each.
    const deep = (alias: string) => `${alias}: products { ${'related { '.repeat(9)}id${' }'.repeat(9)} }`;

    it('lets an affordable query through', async () => {
      const res = await postGraphQL(gateway.url, `{ ${deep('a')} }`);
      expect(res.body.errors).toBeUndefined();
    });

    it('refuses many aliases of deep lists, within depth and alias limits, with QUERY_TOO_COSTLY', async () => {
      const query = `{ ${Array.from({ length: 20 }, (_, i) => deep(`a${i}`)).join(' ')} }`;
      const res = await postGraphQL(gateway.url, query);
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual([GatewayErrorCode.QUERY_TOO_COSTLY]);
      expect(res.body.data).toBeUndefined();
    });

    it('refuses the same query sent straight to the subgraph, with the secret', async () => {
      const query = `{ ${Array.from({ length: 20 }, (_, i) => deep(`a${i}`)).join(' ')} }`;
      const res = await postGraphQL(products.url, query, { headers: { [GATEWAY_SECRET_HEADER]: SECRET } });
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual([GatewayErrorCode.QUERY_TOO_COSTLY]);
    });
  });

  describe('the web apps', () => {
    it('are served with CSP, no framing, nosniff and a referrer policy', async () => {
      const res = await fetch(gateway.url.replace(/\/graphql$/, '/hq/'));
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      // Only the page's own inline script may run, by its hash.
      const hash = createHash('sha256').update(INLINE).digest('base64');
      const directives = csp.split(';').map((d) => d.trim());
      expect(directives.find((d) => d.startsWith('script-src'))).toBe(`script-src 'self' 'sha256-${hash}'`);
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    });

    it('keep the graph itself free of the page policy', async () => {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ products { id } }' }),
      });
      expect(res.headers.get('content-security-policy')).toBeNull();
    });
  });

  describe('in production', () => {
    it('serves /metrics and the detailed /readyz on the internal port only', async () => {
      const production = await start(
        file.path,
        { SUBGRAPH_SHARED_SECRET: SECRET, NODE_ENV: 'production' },
        { metricsPort: 0 },
      );
      const publicBase = production.url.replace(/\/graphql$/, '');
      expect(production.internalUrl).not.toBe(publicBase);
      expect((await fetch(`${publicBase}/metrics`)).status).toBe(404);
      expect((await fetch(`${publicBase}/readyz/subgraphs`)).status).toBe(404);
      const readiness = await fetch(`${publicBase}/readyz`);
      expect(readiness.status).toBe(200);
      expect(await readiness.json()).toEqual({ status: 'ready' });

      const metrics = await fetch(`${production.internalUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('phub_gateway_');
      const detailed = (await (await fetch(`${production.internalUrl}/readyz`)).json()) as { checks: unknown[] };
      expect(detailed.checks).toEqual([{ name: 'supergraph', ok: true }]);
    });
  });
});
