import { createHash, createHmac, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseEnv } from '../env.js';
import { createLogger } from '../logger.js';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStorage,
  isValidKey,
  LocalStorage,
  S3Storage,
  storageEnvSchema,
  UPLOAD_SIGNING_KEY_FILE,
  UploadTokens,
  type StorageEnv,
} from './index.js';

const logger = createLogger('storage-test', 'silent');
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SIGNING_DATE = new Date('2026-03-01T12:00:00Z');

/** SigV4 query signature computed here from the spec, independently of the SDK. */
function expectedSignature(url: URL, headers: Record<string, string>, region: string): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'X-Amz-Signature');
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = params
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = Object.keys(headers).sort();
  const canonical = [
    'PUT',
    url.pathname,
    query,
    ...names.map((n) => `${n}:${headers[n]}`),
    '',
    names.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date')!;
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${CREDENTIALS.secretAccessKey}`, day), region), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe(UploadTokens.name, () => {
  const tokens = new UploadTokens(Buffer.from('k'.repeat(32)));
  const grant = { key: 't/c/original-1.png', mimeType: 'image/png', sizeBytes: 10, expiresAt: 2_000 };

  it('round-trips a grant and refuses tampering, other keys and expiry', () => {
    const token = tokens.sign(grant);
    expect(tokens.verify(token, 1_000)).toEqual(grant);
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ k: grant.key, t: 'image/png', n: 999_999, e: 2_000 })).toString(
      'base64url',
    );
    expect(tokens.verify(`${forged}.${signature}`, 1_000)).toBe('signature');
    expect(new UploadTokens(Buffer.from('x'.repeat(32))).verify(token, 1_000)).toBe('signature');
    expect(tokens.verify(token, 2_000)).toBe('expired');
    expect(tokens.verify(`${payload}`, 1_000)).toBe('malformed');
    expect(tokens.verify('a.b.c', 1_000)).toBe('malformed');
  });
});

describe('object keys', () => {
  it.each([
    ['t/c/original-1.png', true],
    ['t/demo/autumn.png', true],
    ['../etc/passwd', false],
    ['t/../../etc/passwd', false],
    ['.meta/t/c.json', false],
    ['/abs/path.png', false],
    ['t//c.png', false],
    ['t/c\\..\\x.png', false],
    ['t/c/%2e%2e.png', false],
    ['', false],
  ])('%s → %s', (key, valid) => {
    expect(isValidKey(key)).toBe(valid);
  });
});

describe(LocalStorage.name, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'phub-local-storage-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('presigns an upload to the service’s own route, bound to type and size, expiring after the TTL', async () => {
    const storage = new LocalStorage({
      dir,
      baseUrl: 'http://campaign:4003/',
      uploadTtlSeconds: 600,
      now: () => 1_000,
    });
    const target = await storage.presignUpload({ key: 't/c/a.png', mimeType: 'image/png', sizeBytes: 42 });
    expect(target.url).toMatch(/^http:\/\/campaign:4003\/uploads\/[\w-]+\.[\w-]+$/);
    expect(target.method).toBe('PUT');
    expect(target.headers).toEqual([
      { name: 'Content-Type', value: 'image/png' },
      { name: 'Content-Length', value: '42' },
    ]);
    expect(target.expiresAt.toISOString()).toBe(new Date(1_600_000).toISOString());
    expect(storage.publicUrl('t/c/a b.png')).toBe('http://campaign:4003/assets/t/c/a%20b.png');
    const cdn = new LocalStorage({ dir, baseUrl: 'http://x', publicUrl: () => 'https://cdn.example/assets/' });
    expect(cdn.publicUrl('t/c/a.png')).toBe('https://cdn.example/assets/t/c/a.png');
  });

  it('puts bytes once, never overwrites, and describes them with their sha256', async () => {
    const storage = new LocalStorage({ dir, baseUrl: 'http://x' });
    const first = await storage.putIfAbsent('t/demo/a.png', Buffer.from('first'), 'image/png');
    expect(first).toEqual({ sizeBytes: 5, mimeType: 'image/png', checksum: sha256('first') });
    const second = await storage.putIfAbsent('t/demo/a.png', Buffer.from('second!'), 'image/png');
    expect(second).toEqual(first);
    expect(await readFile(join(dir, 't', 'demo', 'a.png'), 'utf8')).toBe('first');
    expect(await storage.inspect('t/demo/a.png')).toEqual(first);
    expect(await storage.inspect('t/demo/missing.png')).toBeNull();
    expect(await storage.inspect('../outside.png')).toBeNull();
    await storage.remove('t/demo/a.png');
    expect(await storage.inspect('t/demo/a.png')).toBeNull();
  });
});

describe(S3Storage.name, () => {
  it('presigns a PUT whose SigV4 signature covers host, Content-Type and Content-Length, with the TTL as expiry', async () => {
    const storage = new S3Storage({
      bucket: 'phub-assets',
      region: 'eu-west-1',
      credentials: CREDENTIALS,
      uploadTtlSeconds: 900,
      signingDate: () => SIGNING_DATE,
    });
    const target = await storage.presignUpload({
      key: 'tenant/creative/original-ab.png',
      mimeType: 'image/png',
      sizeBytes: 1234,
    });
    const url = new URL(target.url);
    expect(url.origin).toBe('https://phub-assets.s3.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/tenant/creative/original-ab.png');
    const q = Object.fromEntries(url.searchParams);
    expect(q).toMatchObject({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20260301/eu-west-1/s3/aws4_request',
      'X-Amz-Date': '20260301T120000Z',
      'X-Amz-Expires': '900',
      'X-Amz-SignedHeaders': 'content-length;content-type;host',
      'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    });
    // No flexible-checksum parameters: they would bind the upload to an empty body.
    expect(Object.keys(q).filter((k) => /checksum/i.test(k))).toEqual([]);
    const signature = expectedSignature(
      url,
      { 'content-length': '1234', 'content-type': 'image/png', host: url.host },
      'eu-west-1',
    );
    expect(q['X-Amz-Signature']).toBe(signature);
    // Another size or type gives another signature: S3 refuses the upload if either differs.
    const other = expectedSignature(
      url,
      { 'content-length': '1235', 'content-type': 'image/png', host: url.host },
      'eu-west-1',
    );
    expect(other).not.toBe(signature);
    expect(target.headers).toEqual([
      { name: 'Content-Type', value: 'image/png' },
      { name: 'Content-Length', value: '1234' },
    ]);
    expect(target.expiresAt.toISOString()).toBe('2026-03-01T12:15:00.000Z');
  });

  it('builds path-style URLs for S3-compatible endpoints and uses ASSET_PUBLIC_URL when set', async () => {
    const minio = new S3Storage({
      bucket: 'b',
      region: 'us-east-1',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      credentials: CREDENTIALS,
      signingDate: () => SIGNING_DATE,
    });
    const target = await minio.presignUpload({ key: 't/c/x.mp4', mimeType: 'video/mp4', sizeBytes: 9 });
    expect(target.url.startsWith('http://minio:9000/b/t/c/x.mp4?')).toBe(true);
    expect(minio.publicUrl('t/c/x.mp4')).toBe('http://minio:9000/b/t/c/x.mp4');
    expect(new S3Storage({ bucket: 'b', region: 'eu-west-1' }).publicUrl('t/x.png')).toBe(
      'https://b.s3.eu-west-1.amazonaws.com/t/x.png',
    );
    expect(
      new S3Storage({ bucket: 'b', region: 'eu-west-1', publicUrl: 'https://cdn.example' }).publicUrl('t/x.png'),
    ).toBe('https://cdn.example/t/x.png');
  });

  describe('against s3rver on loopback', () => {
    let server: S3rver;
    let dir: string;
    let storage: S3Storage;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'phub-s3rver-'));
      server = new S3rver({
        port: 0,
        address: '127.0.0.1',
        silent: true,
        directory: dir,
        configureBuckets: [{ name: 'assets', configs: [] }],
      });
      const { port } = await server.run();
      storage = new S3Storage({
        bucket: 'assets',
        region: 'eu-west-1',
        endpoint: `http://127.0.0.1:${port}`,
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
    });
    afterAll(async () => {
      await server?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('uploads through the presigned URL and inspects size, type and sha256', async () => {
      // A PNG signature and a few random bytes: enough for S3 to store and hand back.
      const body = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(4096)]);
      const key = 'tenant/creative/original-1.png';
      expect(await storage.inspect(key)).toBeNull();
      const target = await storage.presignUpload({ key, mimeType: 'image/png', sizeBytes: body.length });
      const res = await fetch(target.url, {
        method: target.method,
        headers: Object.fromEntries(
          target.headers.filter((h) => h.name !== 'Content-Length').map((h) => [h.name, h.value]),
        ),
        body,
      });
      expect(res.status).toBe(200);
      expect(await storage.inspect(key)).toEqual({
        sizeBytes: body.length,
        mimeType: 'image/png',
        checksum: sha256(body),
      });
      const served = await fetch(storage.publicUrl(key));
      expect(Buffer.from(await served.arrayBuffer()).equals(body)).toBe(true);
    });

    it('puts once and never overwrites', async () => {
      const first = await storage.putIfAbsent('tenant/demo/a.png', Buffer.from('first'), 'image/png');
      expect(first.checksum).toBe(sha256('first'));
      expect(await storage.putIfAbsent('tenant/demo/a.png', Buffer.from('second'), 'image/png')).toEqual(first);
      await storage.remove('tenant/demo/a.png');
      expect(await storage.inspect('tenant/demo/a.png')).toBeNull();
    });
  });
});

describe('storage configuration', () => {
  const parse = (env: Record<string, string>) => parseEnv(storageEnvSchema, env);

  it('defaults to a local folder with 15-minute upload URLs', () => {
    expect(parse({})).toEqual({
      S3_REGION: 'eu-west-1',
      S3_FORCE_PATH_STYLE: false,
      ASSET_DIR: '.data/assets',
      UPLOAD_URL_TTL_SECONDS: 900,
    } satisfies Partial<StorageEnv>);
    expect(parse({ S3_BUCKET: '', ASSET_PUBLIC_URL: '' }).S3_BUCKET).toBeUndefined();
  });

  it('reports every problem at once', () => {
    expect(() =>
      parse({ S3_ENDPOINT: 'not a url', UPLOAD_URL_TTL_SECONDS: '5', S3_FORCE_PATH_STYLE: 'maybe' }),
    ).toThrow(/S3_ENDPOINT[\s\S]*S3_FORCE_PATH_STYLE[\s\S]*UPLOAD_URL_TTL_SECONDS/);
  });

  it('chooses S3 when a bucket is set, else the local folder (which needs the service URL)', () => {
    expect(createStorage({ ...parse({ S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'true' }) }, logger)).toBeInstanceOf(
      S3Storage,
    );
    const local = createStorage({ ...parse({ ASSET_DIR: '/tmp/x' }), serviceUrl: 'http://localhost:4003' }, logger);
    expect(local).toBeInstanceOf(LocalStorage);
    expect(local.publicUrl('t/a.png')).toBe('http://localhost:4003/assets/t/a.png');
    expect(() => createStorage(parse({}), logger)).toThrow(/service URL/);
  });

  // A per-process secret voided every upload URL handed out before a restart.
  it('signs local upload URLs with a key kept under DATA_DIR, so they survive a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'phub-upload-key-'));
    try {
      const config = { ...parse({ ASSET_DIR: join(dataDir, 'assets') }), serviceUrl: 'http://localhost:4003', dataDir };
      const before = createStorage(config, logger) as LocalStorage;
      const target = await before.presignUpload({ key: 't/c/a.txt', mimeType: 'text/plain', sizeBytes: 2 });
      const token = target.url.split('/uploads/')[1]!;
      expect(statSync(join(dataDir, UPLOAD_SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
      const after = createStorage(config, logger) as LocalStorage;
      const stored = await after.receive(token, Readable.from([Buffer.from('hi')]), { contentType: 'text/plain' });
      expect(stored).toMatchObject({ key: 't/c/a.txt', sizeBytes: 2 });
      // Another DATA_DIR, another key: the URL is not valid there.
      const elsewhere = createStorage({ ...config, dataDir: join(dataDir, 'other') }, logger) as LocalStorage;
      await expect(
        elsewhere.receive(token, Readable.from([Buffer.from('hi')]), { contentType: 'text/plain' }),
      ).rejects.toThrow(/not valid/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
