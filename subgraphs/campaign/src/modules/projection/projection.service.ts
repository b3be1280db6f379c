import { displayEventV1, storeEventV1 } from '@phub/contracts';
import type { BusSubscription, DeliveredMessage, EventBus, Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { LocationTopic } from '../../events.js';
import type { CampaignMetrics } from '../../metrics.js';
import type { PlaylistChangeNotice } from '../playlist/playlist.feed.js';
import { KnownDisplay, KnownStore } from './projection.entity.js';

export const CAMPAIGN_CONSUMER_GROUP = 'campaign';

// Location's events, parsed with the contracts location emits them by.
const displayEventSchema = displayEventV1.schema;
const storeEventSchema = storeEventV1.schema;

// Location stores tags in canonical form already; targeting compares exactly, so make sure.
const canonical = (values: string[]) => [...new Set(values.map((t) => t.trim().toLowerCase()))].sort();

/**
 * Campaign's projection of location's displays and stores, consumed from the bus (group `campaign`,
 * from the beginning). Events are applied idempotently: an older event (by occurredAt) never overwrites a
 * newer one. Each applied change tells the playlist feed which displays to look at again.
 */
export class LocationProjection {
  constructor(
    private readonly dataSource: DataSource,
    private readonly onChange: (notice: PlaylistChangeNotice) => Promise<void>,
    private readonly metrics: CampaignMetrics,
    private readonly logger: Logger,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: CAMPAIGN_CONSUMER_GROUP,
      topics: [LocationTopic.display, LocationTopic.store],
      fromBeginning: true,
      handler: (message) => this.apply(message),
    });
  }

  /** Applies one event; malformed ones are logged and skipped (a retry cannot fix them). */
  async apply(message: DeliveredMessage): Promise<void> {
    const topic = message.topic === LocationTopic.display ? 'display' : 'store';
    const applied =
      message.topic === LocationTopic.display ? await this.applyDisplay(message) : await this.applyStore(message);
    this.metrics.projectionEvents.inc({ topic, outcome: applied });
  }

  private async applyDisplay(message: DeliveredMessage): Promise<'applied' | 'stale' | 'malformed'> {
    const parsed = displayEventSchema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed display event');
      return 'malformed';
    }
    const { display, occurredAt, type } = parsed.data;
    const archivedAt = type === 'DisplayArchived' ? (display.archivedAt ?? occurredAt) : (display.archivedAt ?? null);
    const table = this.dataSource.getMetadata(KnownDisplay).tablePath;
    const rows = (await this.dataSource.query(
      `WITH previous AS (SELECT "store_id" FROM ${table} WHERE "id" = $1)
       INSERT INTO ${table} AS d ("id", "tenant_id", "store_id", "name", "tags", "orientation", "zone_id", "archived_at", "occurred_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT ("id") DO UPDATE SET
         "tenant_id" = EXCLUDED."tenant_id", "store_id" = EXCLUDED."store_id", "name" = EXCLUDED."name",
         "tags" = EXCLUDED."tags", "orientation" = EXCLUDED."orientation", "zone_id" = EXCLUDED."zone_id",
         "archived_at" = EXCLUDED."archived_at", "occurred_at" = EXCLUDED."occurred_at"
       WHERE d."occurred_at" <= EXCLUDED."occurred_at"
       RETURNING (SELECT "store_id" FROM previous) AS "previousStoreId"`,
      [
        display.id,
        display.tenantId,
        display.storeId,
        display.name.slice(0, 200),
        canonical(display.tags),
        display.orientation,
        display.zoneId ?? null,
        archivedAt,
        occurredAt,
      ],
    )) as { previousStoreId: string | null }[];
    if (!rows.length) return 'stale';
    const storeIds = [...new Set([display.storeId, rows[0]!.previousStoreId].filter((s): s is string => !!s))];
    await this.onChange({
      tenantId: display.tenantId,
      reason: 'location',
      index: false,
      storeIds,
      displayIds: [display.id],
    });
    return 'applied';
  }

  private async applyStore(message: DeliveredMessage): Promise<'applied' | 'stale' | 'malformed'> {
    const parsed = storeEventSchema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed store event');
      return 'malformed';
    }
    const { store, occurredAt, type } = parsed.data;
    const archivedAt = type === 'StoreArchived' ? (store.archivedAt ?? occurredAt) : (store.archivedAt ?? null);
    const table = this.dataSource.getMetadata(KnownStore).tablePath;
    const rows = (await this.dataSource.query(
      `INSERT INTO ${table} AS s ("id", "tenant_id", "region_id", "name", "timezone", "tags", "archived_at", "occurred_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT ("id") DO UPDATE SET
         "tenant_id" = EXCLUDED."tenant_id", "region_id" = EXCLUDED."region_id", "name" = EXCLUDED."name",
         "timezone" = EXCLUDED."timezone", "tags" = EXCLUDED."tags", "archived_at" = EXCLUDED."archived_at",
         "occurred_at" = EXCLUDED."occurred_at"
       WHERE s."occurred_at" <= EXCLUDED."occurred_at"
       RETURNING "id"`,
      [
        store.id,
        store.tenantId,
        store.regionId ?? null,
        store.name.slice(0, 200),
        store.timezone,
        canonical(store.tags),
        archivedAt,
        occurredAt,
      ],
    )) as { id: string }[];
    if (!rows.length) return 'stale';
    await this.onChange({ tenantId: store.tenantId, reason: 'location', index: false, storeIds: [store.id] });
    return 'applied';
  }
}
