import { queueLineEventV1 } from '@phub/contracts';
import type { BusSubscription, DeliveredMessage, EventBus, Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { lineMeets } from '../../engine/queue.js';
import type { QueueCondition, QueueLineState } from '../../engine/index.js';
import type { CampaignMetrics } from '../../metrics.js';
import { Campaign, CampaignStatus, type StoredQueueCondition } from '../campaign/campaign.entity.js';
import type { PlaylistChangeNotice } from '../playlist/playlist.feed.js';
import { KnownQueueLine } from './projection.entity.js';

export const QueueLineTopic = queueLineEventV1.topic;
export const QUEUE_LINE_CONSUMER_GROUP = 'campaign.queue-lines';

/**
 * Campaign's projection of the queue's line states (context marketing). Each line keeps its latest state (an
 * older event never overwrites a newer one); when a LIVE campaign's queue condition on that line flips, the
 * store's displays are looked at again, so a long queue switches nearby screens through `playlistChanged`.
 * Changes that flip no condition (most of them) cost one upsert and nothing else.
 */
export class QueueLineProjection {
  constructor(
    private readonly dataSource: DataSource,
    private readonly onChange: (notice: PlaylistChangeNotice) => Promise<void>,
    private readonly metrics: CampaignMetrics,
    private readonly logger: Logger,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      // A group of its own: Kafka wants every member of a group to subscribe to the same topics.
      groupId: QUEUE_LINE_CONSUMER_GROUP,
      topics: [QueueLineTopic],
      // From the beginning like location's: replaying is idempotent and leaves each line's latest state.
      fromBeginning: true,
      handler: async (message) => {
        await this.apply(message);
      },
    });
  }

  async apply(message: DeliveredMessage): Promise<'applied' | 'stale' | 'malformed'> {
    const outcome = await this.applyLine(message);
    this.metrics.projectionEvents.inc({ topic: 'queue_line', outcome });
    return outcome;
  }

  private async applyLine(message: DeliveredMessage): Promise<'applied' | 'stale' | 'malformed'> {
    const parsed = queueLineEventV1.schema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed queue line event');
      return 'malformed';
    }
    const line = parsed.data;
    const table = this.dataSource.getMetadata(KnownQueueLine).tablePath;
    const rows = (await this.dataSource.query(
      `WITH previous AS (SELECT "open", "waiting", "estimated_wait_minutes" FROM ${table} WHERE "line_id" = $1)
       INSERT INTO ${table} AS l ("line_id", "tenant_id", "store_id", "open", "waiting", "estimated_wait_minutes", "occurred_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ("line_id") DO UPDATE SET
         "tenant_id" = EXCLUDED."tenant_id", "store_id" = EXCLUDED."store_id", "open" = EXCLUDED."open",
         "waiting" = EXCLUDED."waiting", "estimated_wait_minutes" = EXCLUDED."estimated_wait_minutes",
         "occurred_at" = EXCLUDED."occurred_at"
       WHERE l."occurred_at" <= EXCLUDED."occurred_at"
       RETURNING (SELECT row_to_json(previous) FROM previous) AS "previous"`,
      [line.lineId, line.tenantId, line.storeId, line.open, line.waiting, line.estimatedWaitMinutes, line.occurredAt],
    )) as { previous: { open: boolean; waiting: number; estimated_wait_minutes: number | null } | null }[];
    if (!rows.length) return 'stale';
    const before: QueueLineState | null = rows[0]!.previous
      ? {
          lineId: line.lineId,
          open: rows[0]!.previous.open,
          waiting: rows[0]!.previous.waiting,
          estimatedWaitMinutes: rows[0]!.previous.estimated_wait_minutes,
        }
      : null;
    const after: QueueLineState = { ...line };
    const conditions = await this.liveConditions(line.tenantId);
    const flips = conditions.some(
      (c) =>
        (c.lineId == null || c.lineId === line.lineId) &&
        (before !== null && lineMeets(c, before)) !== lineMeets(c, after),
    );
    if (flips)
      await this.onChange({ tenantId: line.tenantId, reason: 'queue', index: false, storeIds: [line.storeId] });
    return 'applied';
  }

  /** Queue conditions of the tenant's LIVE campaigns (few campaigns carry any). */
  private async liveConditions(tenantId: string): Promise<QueueCondition[]> {
    const rows = await this.dataSource
      .getRepository(Campaign)
      .createQueryBuilder('c')
      .select('c.targeting', 'targeting')
      .where('c.tenantId = :tenantId', { tenantId })
      .andWhere('c.status = :live', { live: CampaignStatus.LIVE })
      .andWhere(`jsonb_array_length(COALESCE(c.targeting -> 'queue', '[]'::jsonb)) > 0`)
      .getRawMany<{ targeting: { queue?: StoredQueueCondition[] } }>();
    return rows.flatMap((r) => r.targeting.queue ?? []);
  }
}
