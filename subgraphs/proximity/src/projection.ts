import { storeEventV1 } from '@phub/contracts';
import type { BusSubscription, DeliveredMessage, EventBus, Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { tableName } from './tables.js';

export const PROXIMITY_PROJECTION_GROUP = 'proximity';

/** Location's stores (group `proximity`, from the beginning): a site maps only to a known store of its tenant. */
export class StoreProjection {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: PROXIMITY_PROJECTION_GROUP,
      topics: [storeEventV1.topic],
      fromBeginning: true,
      handler: (message) => this.apply(message),
    });
  }

  async apply(message: DeliveredMessage): Promise<void> {
    const parsed = storeEventV1.schema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed store event');
      return;
    }
    const { store, occurredAt, type } = parsed.data;
    const archivedAt = type === 'StoreArchived' ? (store.archivedAt ?? occurredAt) : (store.archivedAt ?? null);
    await this.dataSource.query(
      `INSERT INTO ${tableName(this.dataSource, 'known_store')} AS s ("id", "tenant_id", "timezone", "archived_at", "occurred_at")
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ("id") DO UPDATE SET "tenant_id" = EXCLUDED."tenant_id", "timezone" = EXCLUDED."timezone",
         "archived_at" = EXCLUDED."archived_at", "occurred_at" = EXCLUDED."occurred_at"
       WHERE s."occurred_at" <= EXCLUDED."occurred_at"`,
      [store.id, store.tenantId, store.timezone, archivedAt, occurredAt],
    );
  }
}
