import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_TENANT_ID, LocalStorage, S3Storage } from '@phub/kit';
import { waitFor } from '@phub/kit/testing';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AemServer } from '../../testing/aem-server.js';
import {
  addBearerSource,
  collectRenditions,
  requestAemCreative,
  startContent,
  type ContentHarness,
} from '../../testing/harness.js';
import { copyKey } from './creative.service.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const uuid = () => crypto.randomUUID();

/** Where copies are stored: the local folder the service serves itself, or S3 (s3rver on loopback). */
interface Backend {
  name: 'local folder' | 's3rver';
  start(): Promise<{ env: Record<string, string>; close(): Promise<void> }>;
}

const backends: Backend[] = [
  { name: 'local folder', start: async () => ({ env: {}, close: async () => undefined }) },
  {
    name: 's3rver',
    async start() {
      const dir = await mkdtemp(join(tmpdir(), 'phub-content-s3rver-'));
      const server = new S3rver({
        port: 0,
        address: '127.0.0.1',
        silent: true,
        directory: dir,
        configureBuckets: [{ name: 'copies', configs: [] }],
      });
      const { port } = await server.run();
      // The SDK's default credential chain reads these (s3rver accepts its own pair).
      const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
      process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
      process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
      return {
        env: {
          S3_BUCKET: 'copies',
          S3_ENDPOINT: `http://127.0.0.1:${port}`,
          S3_FORCE_PATH_STYLE: 'true',
          S3_REGION: 'eu-west-1',
        },
        async close() {
          await server.close();
          await rm(dir, { recursive: true, force: true });
          for (const [name, value] of [
            ['AWS_ACCESS_KEY_ID', saved.id],
            ['AWS_SECRET_ACCESS_KEY', saved.secret],
          ] as const) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
          }
        },
      };
    },
  },
];

describe.each(backends)('copies of AEM content in the object storage ($name)', (backend) => {
  let h: ContentHarness;
  let aem: AemServer;
  let store: { env: Record<string, string>; close(): Promise<void> };
  let sourceId: string;
  let renditions: Awaited<ReturnType<typeof collectRenditions>>;
  const of = (creativeId: string) => renditions.of(creativeId);
  const creatives = () => h.service.creatives()!;
  const storage = () => h.service.storage()!;

  beforeAll(async () => {
    aem = await AemServer.start({ kind: 'bearer', token: 'aemaacs-token' });
    aem.asset('/content/dam/phub/hero.png', 'Hero', { original: { bytes: PNG, mimeType: 'image/png' } });
    store = await backend.start();
    h = await startContent(store.env);
    sourceId = await addBearerSource(h, aem.url);
    renditions = await collectRenditions(h);
  });
  afterAll(async () => {
    await renditions?.close();
    await h?.stop();
    await store?.close();
    await aem?.close();
  });

  const copied = async (aemPath: string) => {
    const creativeId = await requestAemCreative(h, { sourceId, aemPath });
    const [event] = await waitFor(() => (of(creativeId).length ? of(creativeId) : null));
    return { creativeId, event: event! };
  };

  it('stores a copy under <tenant>/aem/<sha256>.<ext> and announces its URL, served immutable by the storage', async () => {
    const { event } = await copied('/content/dam/phub/hero.png');
    const key = `${DEMO_TENANT_ID}/aem/${sha(PNG)}.png`;
    expect(copyKey(DEMO_TENANT_ID, sha(PNG), 'image/png')).toBe(key);
    expect(event).toMatchObject({ version: 1, url: storage().publicUrl(key), checksum: sha(PNG) });
    expect(storage()).toBeInstanceOf(backend.name === 's3rver' ? S3Storage : LocalStorage);
    expect(await storage().inspect(key)).toEqual({ sizeBytes: PNG.length, mimeType: 'image/png', checksum: sha(PNG) });
    const res = await fetch(event.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    // Nothing of it in Postgres any more.
    const { rows } = await h.db.query(`SELECT count(*)::int AS n FROM content.content_file`);
    expect(rows[0].n).toBe(0);
    // Unknown keys are 404, whether under the storage's URL or the old /files route.
    expect((await fetch(storage().publicUrl(`${DEMO_TENANT_ID}/aem/${sha('nothing')}.png`))).status).toBe(404);
    expect((await fetch(`${h.service.url.replace(/\/graphql$/, '')}/files/${sha('nothing')}`)).status).toBe(404);
  });

  it('keeps the last copy playing while AEM is down', async () => {
    const { creativeId, event } = await copied('/content/dam/phub/hero.png');
    aem.mode = 'error500';
    try {
      const binding = (await creatives().due(1000)).find((b) => b.creativeId === creativeId)!;
      expect(await creatives().refresh(binding)).toBe('failed');
      const res = await fetch(event.url!);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    } finally {
      aem.mode = 'ok';
    }
    expect(of(creativeId)).toHaveLength(1);
  });

  it('moves a copy kept in Postgres into the storage: its creatives get a new version at the object’s URL', async () => {
    const bytes = Buffer.from(`<html><body>legacy ${backend.name}</body></html>`);
    const checksum = sha(bytes);
    const creativeId = uuid();
    const orphan = Buffer.from(`no creative plays this ${backend.name}`);
    await h.db.query(
      `INSERT INTO content.content_file (checksum, mime_type, bytes) VALUES ($1, 'text/html', $2), ($3, 'text/plain', $4)`,
      [checksum, bytes, sha(orphan), orphan],
    );
    await h.db.query(
      `INSERT INTO content.aem_creative (creative_id, tenant_id, source_id, aem_path, checksum, version, checked_at)
       VALUES ($1, $2, $3, '/content/dam/phub/legacy.html', $4, 3, now())`,
      [creativeId, DEMO_TENANT_ID, sourceId, checksum],
    );
    const legacyUrl = `${h.service.url.replace(/\/graphql$/, '')}/files/${checksum}`;
    // Until it is moved, the URL announced before keeps answering.
    expect(await (await fetch(legacyUrl)).text()).toBe(bytes.toString());

    expect(await creatives().moveLegacyCopies(10)).toBe(2);
    const key = `${DEMO_TENANT_ID}/aem/${checksum}.html`;
    const [event] = await waitFor(() => (of(creativeId).length ? of(creativeId) : null));
    expect(event).toMatchObject({
      version: 4,
      url: storage().publicUrl(key),
      mimeType: 'text/html',
      checksum,
      sizeBytes: bytes.length,
      failure: null,
    });
    const res = await fetch(event!.url!);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(bytes.toString());
    const { rows } = await h.db.query(`SELECT count(*)::int AS n FROM content.content_file`);
    expect(rows[0].n).toBe(0);
    const version = await h.db.query(`SELECT version FROM content.aem_creative WHERE creative_id = $1`, [creativeId]);
    expect(version.rows[0].version).toBe(4);
    // An orphan (no creative plays it) is dropped, not stored.
    expect(await storage().inspect(`${DEMO_TENANT_ID}/aem/${sha(orphan)}.bin`)).toBeNull();
    // Moved once: a second run (or replica) finds nothing and announces nothing.
    expect(await creatives().moveLegacyCopies(10)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(of(creativeId)).toHaveLength(1);
  });
});
