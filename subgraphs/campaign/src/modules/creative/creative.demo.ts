import { type Storage } from '@phub/kit';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { BUILT_IN } from './creative.builtin.js';
import { BuiltInCreativeKind, Creative, CreativeKind, CreativeStatus } from './creative.entity.js';

/** The slides in demo-assets/ (made by its generate.mjs), by creative name. */
export const DEMO_CREATIVES: readonly { name: string; file: string }[] = [
  { name: 'Autumn Sale (landscape)', file: 'autumn-sale-landscape.png' },
  { name: 'Autumn Sale (portrait)', file: 'autumn-sale-portrait.png' },
  { name: 'Breakfast from 7am', file: 'breakfast-from-7am.png' },
  { name: 'New in store', file: 'new-in-store.png' },
  { name: 'Flagship exclusive', file: 'flagship-exclusive.png' },
  { name: 'Queue: please take a ticket', file: 'queue-please-wait.png' },
  { name: 'Welcome (portrait)', file: 'welcome-portrait.png' },
];

/** Built-in demo creatives (nothing to upload), by creative name. */
export const DEMO_BUILT_INS: readonly { name: string; kind: BuiltInCreativeKind; durationMs: number }[] = [
  { name: 'Now serving (queue board)', kind: BuiltInCreativeKind.QUEUE_BOARD, durationMs: 30_000 },
];

// src/modules/creative and dist/modules/creative are both three levels below the package.
const DEMO_DIR = new URL('../../../demo-assets/', import.meta.url);

/** A PNG's pixel size, from its IHDR chunk. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.length < 24 || bytes.toString('ascii', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Stable per tenant and file, so demo campaigns of other seeds can name them. */
export function demoCreativeId(tenantId: string, file: string): string {
  const h = createHash('sha256').update(`phub-demo-creative:${tenantId}:${file}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Copies the demo slides into storage and creates READY creatives with their real checksums.
 * Idempotent and never overwrites: existing objects and rows (even renamed or archived) stay.
 * Returns creative name → id.
 */
export async function seedDemoCreatives(
  dataSource: DataSource,
  storage: Storage,
  tenantId: string,
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const { name, file } of DEMO_CREATIVES) {
    const id = demoCreativeId(tenantId, file);
    const key = `${tenantId}/demo/${file}`;
    const bytes = await readFile(new URL(file, DEMO_DIR));
    const stored = await storage.putIfAbsent(key, bytes, 'image/png');
    const size = pngSize(bytes);
    await dataSource
      .createQueryBuilder()
      .insert()
      .into(Creative)
      .values({
        id,
        tenantId,
        name,
        kind: CreativeKind.IMAGE,
        mimeType: stored.mimeType,
        sizeBytes: stored.sizeBytes,
        durationMs: 10_000,
        ...size,
        checksum: stored.checksum,
        url: storage.publicUrl(key),
        status: CreativeStatus.READY,
        failureReason: null,
        variants: {},
        pendingVariants: {},
        storageKey: key,
        aemPath: null,
        createdBy: 'demo',
        archivedAt: null,
      })
      .orIgnore()
      .execute();
    // Demo rows seeded before creatives had a size get it (nothing else of them changes).
    await dataSource
      .createQueryBuilder()
      .update(Creative)
      .set(size)
      .where('id = :id AND width IS NULL', { id })
      .execute();
    ids[name] = id;
  }
  for (const { name, kind, durationMs } of DEMO_BUILT_INS) {
    const id = demoCreativeId(tenantId, `builtin:${kind}`);
    const builtIn = BUILT_IN[kind];
    await dataSource
      .createQueryBuilder()
      .insert()
      .into(Creative)
      .values({
        id,
        tenantId,
        name,
        kind: kind as unknown as CreativeKind,
        mimeType: builtIn.mimeType,
        sizeBytes: null,
        durationMs,
        checksum: builtIn.checksum,
        url: builtIn.url,
        status: CreativeStatus.READY,
        failureReason: null,
        variants: {},
        pendingVariants: {},
        storageKey: null,
        aemPath: null,
        createdBy: 'demo',
        archivedAt: null,
      })
      .orIgnore()
      .execute();
    ids[name] = id;
  }
  return ids;
}
