import { storeEventV1 } from '@phub/contracts';
import type { BusSubscription, DeliveredMessage, EventBus, Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { ConsumedTopic, PROJECTION_GROUP } from '../../events.js';
import { tableName } from '../../tables.js';

// Parsed with the contract location emits by.
const storeEventSchema = storeEventV1.schema;

/**
 * Location's stores, consumed from the bus (group `queue`, from the beginning): the tenant that owns each
 * store (lines may only be opened in a known store of the caller's tenant), its zone and its hours.
 * Older events never overwrite newer ones.
 */
export class QueueProjection {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: PROJECTION_GROUP,
      topics: [ConsumedTopic.store],
      fromBeginning: true,
      handler: (message) => this.apply(message),
    });
  }

  async apply(message: DeliveredMessage): Promise<void> {
    const parsed = storeEventSchema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed store event');
      return;
    }
    const { store, occurredAt, type } = parsed.data;
    const archivedAt = type === 'StoreArchived' ? (store.archivedAt ?? occurredAt) : (store.archivedAt ?? null);
    await this.dataSource.query(
      `INSERT INTO ${tableName(this.dataSource, 'known_store')} AS s
         ("id", "tenant_id", "timezone", "opening_hours", "archived_at", "occurred_at")
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ("id") DO UPDATE SET "tenant_id" = EXCLUDED."tenant_id", "timezone" = EXCLUDED."timezone",
         "opening_hours" = EXCLUDED."opening_hours", "archived_at" = EXCLUDED."archived_at",
         "occurred_at" = EXCLUDED."occurred_at"
       WHERE s."occurred_at" <= EXCLUDED."occurred_at"`,
      [store.id, store.tenantId, store.timezone, JSON.stringify(store.openingHours ?? []), archivedAt, occurredAt],
    );
  }
}
