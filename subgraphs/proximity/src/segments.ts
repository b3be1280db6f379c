import type { EntityManager } from 'typeorm';
import { tableName } from './tables.js';

/**
 * The hook through which a device becomes a known, consenting visitor: the segment keys of the visitor whose
 * device this MAC hash is, empty for anonymous devices. Proximity never learns who the visitor is.
 *
 * It reads `device_segment` (tenant, device hash → segment keys). Nothing in this subgraph writes it: the visitor
 * subgraph fills it — e.g. by consuming an event of its own (a device linked to a profile that consents to
 * personalised screens, with that profile's segment keys; an empty list or a deletion when consent is withdrawn
 * or the profile erased) — using hashes it got from proximity, never raw MACs. Until then every moment is anonymous.
 */
export interface SegmentSource {
  /** The segment keys of each of `deviceHashes` that has some (one lookup per webhook message, not per event). */
  segmentsOf(manager: EntityManager, tenantId: string, deviceHashes: string[]): Promise<Map<string, string[]>>;
}

export const deviceSegments: SegmentSource = {
  async segmentsOf(manager, tenantId, deviceHashes) {
    const found = new Map<string, string[]>();
    if (!deviceHashes.length) return found;
    const rows = (await manager.query(
      `SELECT "device_hash", "segment_keys" FROM ${tableName(manager, 'device_segment')}
       WHERE "tenant_id" = $1 AND "device_hash" = ANY($2::text[]) AND cardinality("segment_keys") > 0`,
      [tenantId, deviceHashes],
    )) as { device_hash: string; segment_keys: string[] }[];
    for (const r of rows) found.set(r.device_hash, r.segment_keys);
    return found;
  },
};
