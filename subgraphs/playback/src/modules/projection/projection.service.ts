import { campaignEventV1, displayEventV1, playlistVersionEventV1, storeEventV1 } from '@phub/contracts';
import type { BusSubscription, DeliveredMessage, EventBus, Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { ConsumedTopic, PROJECTION_GROUP } from '../../events.js';
import { tableName } from '../../tables.js';

// Parsed with the contracts their producers emit by (location, campaign).
const displayEventSchema = displayEventV1.schema;
const storeEventSchema = storeEventV1.schema;
const playlistEventSchema = playlistVersionEventV1.schema;
const campaignEventSchema = campaignEventV1.schema;

/**
 * Playback's projections, consumed from the bus (group `playback`, from the beginning): location's displays
 * (tenant and store of each), campaign's resolved playlist versions and its campaigns' creatives. Older events never overwrite newer.
 */
export class PlaybackProjection {
  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: PROJECTION_GROUP,
      topics: [ConsumedTopic.display, ConsumedTopic.store, ConsumedTopic.playlist, ConsumedTopic.campaign],
      fromBeginning: true,
      handler: (message) => this.apply(message),
    });
  }

  async apply(message: DeliveredMessage): Promise<void> {
    if (message.topic === ConsumedTopic.display) await this.applyDisplay(message);
    else if (message.topic === ConsumedTopic.store) await this.applyStore(message);
    else if (message.topic === ConsumedTopic.campaign) await this.applyCampaign(message);
    else await this.applyPlaylist(message);
  }

  private async applyDisplay(message: DeliveredMessage): Promise<void> {
    const parsed = displayEventSchema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed display event');
      return;
    }
    const { display, occurredAt, type } = parsed.data;
    const archivedAt = type === 'DisplayArchived' ? (display.archivedAt ?? occurredAt) : (display.archivedAt ?? null);
    const known = tableName(this.dataSource, 'known_display');
    const rows = (await this.dataSource.query(
      `INSERT INTO ${known} AS d ("id", "tenant_id", "store_id", "name", "archived_at", "occurred_at")
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ("id") DO UPDATE SET "tenant_id" = EXCLUDED."tenant_id", "store_id" = EXCLUDED."store_id",
         "name" = EXCLUDED."name", "archived_at" = EXCLUDED."archived_at", "occurred_at" = EXCLUDED."occurred_at"
       WHERE d."occurred_at" <= EXCLUDED."occurred_at"
       RETURNING "id"`,
      [display.id, display.tenantId, display.storeId, display.name, archivedAt, occurredAt],
    )) as unknown[];
    if (!rows.length) return;
    // A display moved to another store: its health and open alerts follow it.
    await this.dataSource.query(
      `UPDATE ${tableName(this.dataSource, 'display_state')} SET "store_id" = $2 WHERE "display_id" = $1 AND "tenant_id" = $3`,
      [display.id, display.storeId, display.tenantId],
    );
    await this.dataSource.query(
      `UPDATE ${tableName(this.dataSource, 'alert')} SET "store_id" = $2
       WHERE "display_id" = $1 AND "tenant_id" = $3 AND "state" <> 'RESOLVED'`,
      [display.id, display.storeId, display.tenantId],
    );
  }

  private async applyStore(message: DeliveredMessage): Promise<void> {
    const parsed = storeEventSchema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed store event');
      return;
    }
    const { store, occurredAt } = parsed.data;
    // Plays already rolled up keep the day they were counted in; a store changing zone is rare and its
    // reports stay consistent with what was shown before.
    await this.dataSource.query(
      `INSERT INTO ${tableName(this.dataSource, 'known_store')} AS s
         ("id", "tenant_id", "timezone", "opening_hours", "name", "code", "region_id", "occurred_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT ("id") DO UPDATE SET "tenant_id" = EXCLUDED."tenant_id", "timezone" = EXCLUDED."timezone",
         "opening_hours" = EXCLUDED."opening_hours", "name" = EXCLUDED."name", "code" = EXCLUDED."code",
         "region_id" = EXCLUDED."region_id", "occurred_at" = EXCLUDED."occurred_at"
       WHERE s."occurred_at" <= EXCLUDED."occurred_at"`,
      [
        store.id,
        store.tenantId,
        store.timezone,
        JSON.stringify(store.openingHours ?? []),
        store.name,
        store.code ?? null,
        store.regionId ?? null,
        occurredAt,
      ],
    );
  }

  private async applyCampaign(message: DeliveredMessage): Promise<void> {
    const parsed = campaignEventSchema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed campaign event');
      return;
    }
    const { campaign, occurredAt } = parsed.data;
    // A creative once in a campaign stays known: plays of it may arrive after it was taken out.
    await this.dataSource.query(
      `INSERT INTO ${tableName(this.dataSource, 'known_campaign')} AS c ("id", "tenant_id", "creative_ids", "occurred_at")
       VALUES ($1, $2, $3::uuid[], $4)
       ON CONFLICT ("id") DO UPDATE SET
         "creative_ids" = ARRAY(SELECT DISTINCT unnest(c."creative_ids" || EXCLUDED."creative_ids")),
         "occurred_at" = GREATEST(c."occurred_at", EXCLUDED."occurred_at")
       WHERE c."tenant_id" = EXCLUDED."tenant_id"`,
      [campaign.id, campaign.tenantId, campaign.creativeIds, occurredAt],
    );
  }

  private async applyPlaylist(message: DeliveredMessage): Promise<void> {
    const parsed = playlistEventSchema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed playlist event');
      return;
    }
    const e = parsed.data;
    const items = e.items ?? null;
    // content_since: when the playlist last got items — the display owes plays from then on, not before.
    await this.dataSource.query(
      `INSERT INTO ${tableName(this.dataSource, 'expected_playlist')} AS p
         ("display_id", "tenant_id", "version", "occurred_at", "items", "content_since")
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ("display_id") DO UPDATE SET "version" = EXCLUDED."version", "occurred_at" = EXCLUDED."occurred_at",
         "tenant_id" = EXCLUDED."tenant_id", "items" = EXCLUDED."items",
         "content_since" = CASE WHEN EXCLUDED."items" = 0 THEN NULL
                                WHEN p."items" = 0 THEN EXCLUDED."occurred_at"
                                ELSE p."content_since" END
       WHERE p."occurred_at" <= EXCLUDED."occurred_at" AND p."version" <> EXCLUDED."version"`,
      [e.displayId, e.tenantId, e.version, e.occurredAt, items, items === 0 ? null : e.occurredAt],
    );
  }
}
