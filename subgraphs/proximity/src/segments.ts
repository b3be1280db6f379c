import { presenceDeviceSegmentsEventV1 } from '@phub/contracts';
import type { BusSubscription, DeliveredMessage, EventBus, Logger } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { tableName } from './tables.js';

/**
 * The hook through which a device becomes a known, consenting visitor: the segment keys of the visitor whose
 * device this MAC hash is, empty for anonymous devices. Proximity never learns who the visitor is.
 *
 * It reads `device_segment` (tenant, device hash → segment keys), which `DeviceSegmentProjection` below fills from
 * the visitor subgraph's `presence.device-segments.v1`: a device linked to a profile (by proximity's own hash, never
 * a raw MAC) that consents to personalised screens carries that profile's segment keys; an empty list when consent
 * is withdrawn or the profile erased. Devices no one linked stay anonymous.
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

export const PROXIMITY_DEVICE_GROUP = 'proximity.devices';

/**
 * Writes `device_segment` from the visitor subgraph's `presence.device-segments.v1` (group `proximity.devices`,
 * from the beginning): the latest word per device wins, so a replay or a late older event changes nothing, and an
 * empty list makes the device anonymous again.
 */
export class DeviceSegmentProjection {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: PROXIMITY_DEVICE_GROUP,
      topics: [presenceDeviceSegmentsEventV1.topic],
      fromBeginning: true,
      handler: (message) => this.apply(message),
    });
  }

  async apply(message: DeliveredMessage): Promise<void> {
    const parsed = presenceDeviceSegmentsEventV1.schema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed device segments');
      return;
    }
    const { tenantId, deviceHash, segmentKeys, occurredAt } = parsed.data;
    await this.dataSource.query(
      `INSERT INTO ${tableName(this.dataSource, 'device_segment')} AS d ("tenant_id", "device_hash", "segment_keys", "updated_at")
       VALUES ($1, $2, $3, $4)
       ON CONFLICT ("tenant_id", "device_hash") DO UPDATE SET "segment_keys" = EXCLUDED."segment_keys",
         "updated_at" = EXCLUDED."updated_at"
       WHERE d."updated_at" <= EXCLUDED."updated_at"`,
      [tenantId, deviceHash, segmentKeys, occurredAt],
    );
  }
}
