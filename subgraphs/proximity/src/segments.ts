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
  segmentsOf(manager: EntityManager, tenantId: string, deviceHash: string): Promise<string[]>;
}

export const deviceSegments: SegmentSource = {
  async segmentsOf(manager, tenantId, deviceHash) {
    const rows = (await manager.query(
      `SELECT "segment_keys" FROM ${tableName(manager, 'device_segment')} WHERE "tenant_id" = $1 AND "device_hash" = $2`,
      [tenantId, deviceHash],
    )) as { segment_keys: string[] }[];
    return rows[0]?.segment_keys ?? [];
  },
};
