import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, HttpApp, ServiceMetrics, LocalStorage, type UploadTarget } from '@phub/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountCreativeRoutes } from './creative.routes.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PNG = await readFile(new URL('../../../demo-assets/breakfast-from-7am.png', import.meta.url));

let dir: string;
let app: HttpApp;
let storage: LocalStorage;
let origin: string;
let clock = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'phub-creative-routes-'));
  const logger = createLogger('creative-routes-test', 'silent');
  app = new HttpApp({ logger, metrics: new ServiceMetrics('creative_routes_test') });
  storage = new LocalStorage({ dir, baseUrl: () => origin, uploadTtlSeconds: 900, now: () => clock });
  mountCreativeRoutes(app.app, { storage, logger });
  app.app.use(app.errorHandler());
  origin = `http://127.0.0.1:${await app.listen(0, '127.0.0.1')}`;
});
afterAll(async () => {
  await new Promise((resolve) => app.server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
const presign = (mimeType = 'image/png', sizeBytes = PNG.length) =>
  storage.presignUpload({ key: `tenant/creative-${++n}/original-${n}.png`, mimeType, sizeBytes });

async function put(target: UploadTarget, body: Buffer, contentType = 'image/png') {
  const res = await fetch(target.url, { method: 'PUT', headers: { 'content-type': contentType }, body });
  return { status: res.status, etag: res.headers.get('etag'), body: (await res.json()) as Record<string, unknown> };
}

/** A chunked upload (no Content-Length), so only the streaming limit can stop it. */
function putChunked(url: string, chunks: Buffer[], contentType: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'PUT', headers: { 'content-type': contentType } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const errorCode = (body: unknown) =>
  (body as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code;

describe(mountCreativeRoutes.name, () => {
  it('stores a real upload, hashing it as it writes, and serves it with type, ETag and cache headers', async () => {
    const target = await presign();
    const res = await put(target, PNG);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sizeBytes: PNG.length, checksum: sha256(PNG) });
    expect(res.etag).toBe(`"${sha256(PNG)}"`);
    const key = res.body.key as string;

    const asset = await fetch(storage.publicUrl(key));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('image/png');
    expect(asset.headers.get('etag')).toBe(`"${sha256(PNG)}"`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await asset.arrayBuffer()).equals(PNG)).toBe(true);

    const again = await fetch(storage.publicUrl(key), { headers: { 'if-none-match': `"${sha256(PNG)}"` } });
    expect(again.status).toBe(304);
    const range = await fetch(storage.publicUrl(key), { headers: { range: 'bytes=0-7' } });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer()).equals(PNG.subarray(0, 8))).toBe(true);
  });

  it('lets a dashboard on another origin upload (CORS preflight and response headers)', async () => {
    const target = await presign();
    const preflight = await fetch(target.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://dashboard.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    const res = await fetch(target.url, {
      method: 'PUT',
      headers: { origin: 'http://dashboard.example', 'content-type': 'image/png' },
      body: PNG,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('ETag');
    // A refusal is readable cross-origin too, so the dashboard can show its code.
    const again = await fetch(target.url, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: PNG });
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses a body larger than declared with 413 PAYLOAD_TOO_LARGE, by Content-Length and while streaming', async () => {
    const declared = await presign('image/png', 100);
    const byLength = await put(declared, Buffer.alloc(101, 1));
    expect(byLength.status).toBe(413);
    expect(errorCode(byLength.body)).toBe('PAYLOAD_TOO_LARGE');

    const streamed = await presign('image/png', 100);
    const chunked = await putChunked(streamed.url, [Buffer.alloc(60, 1), Buffer.alloc(60, 2)], 'image/png');
    expect(chunked.status).toBe(413);
    expect(errorCode(JSON.parse(chunked.body))).toBe('PAYLOAD_TOO_LARGE');
    // Nothing was kept: the same URL still takes a correct upload.
    const ok = await putChunked(streamed.url, [Buffer.alloc(100, 3)], 'image/png');
    expect(ok.status).toBe(200);
  });

  it('refuses a short body, another content type, a forged or expired token, and a second use', async () => {
    const short = await presign('image/png', 100);
    const shortRes = await putChunked(short.url, [Buffer.alloc(99, 1)], 'image/png');
    expect(shortRes.status).toBe(400);
    expect(errorCode(JSON.parse(shortRes.body))).toBe('BAD_REQUEST');

    const typed = await presign();
    const wrongType = await put(typed, PNG, 'image/jpeg');
    expect(wrongType.status).toBe(415);
    expect(errorCode(wrongType.body)).toBe('BAD_REQUEST');

    const forged = typed.url.replace(/\.[\w-]+$/, '.AAAA');
    const forgedRes = await fetch(forged, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: PNG });
    expect(forgedRes.status).toBe(403);
    expect(errorCode(await forgedRes.json())).toBe('FORBIDDEN');

    const expiring = await presign();
    clock += 901;
    try {
      const expired = await put(expiring, PNG);
      expect(expired.status).toBe(403);
      expect(expired.body).toMatchObject({ errors: [{ message: 'This upload URL has expired' }] });
    } finally {
      clock -= 901;
    }

    const once = await presign();
    expect((await put(once, PNG)).status).toBe(200);
    const twice = await put(once, Buffer.from(PNG).fill(0, 100, 200));
    expect(twice.status).toBe(409);
    expect(errorCode(twice.body)).toBe('CONFLICT');
  });

  it.each([
    '/assets/../../etc/passwd',
    '/assets/..%2f..%2fetc%2fpasswd',
    '/assets/%2e%2e/%2e%2e/etc/passwd',
    '/assets/tenant/%2e%2e/%2e%2e/etc/passwd',
    '/assets/.meta/tenant/x.png.json',
    '/assets/.tmp/anything',
    '/assets/tenant/..%5c..%5cetc%5cpasswd',
    '/assets/tenant/missing.png',
    '/assets/',
  ])('serves nothing outside the asset folder: %s', async (path) => {
    // Raw request: fetch would normalise the dots away before sending.
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${origin}${path}`, { method: 'GET' }, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('root:');
  });

  it('sandboxes active content (HTML, SVG) served from the service’s origin', async () => {
    const html = Buffer.from('<!doctype html><script>document.title = "x"</script>');
    const target = await storage.presignUpload({
      key: 'tenant/html-1/page-1.html',
      mimeType: 'text/html',
      sizeBytes: html.length,
    });
    expect((await put(target, html, 'text/html; charset=utf-8')).status).toBe(200);
    const res = await fetch(storage.publicUrl('tenant/html-1/page-1.html'));
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('content-security-policy')).toBe('sandbox allow-scripts');
  });
});
