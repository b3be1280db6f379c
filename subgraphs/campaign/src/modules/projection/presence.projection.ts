import { presenceMomentEventV1 } from '@phub/contracts';
import type { BusSubscription, Clock, DeliveredMessage, EventBus, Logger } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { CampaignMetrics } from '../../metrics.js';
import { Campaign, CampaignStatus } from '../campaign/campaign.entity.js';
import type { PlaylistChangeNotice } from '../playlist/playlist.feed.js';
import { KnownPresenceMoment } from './projection.entity.js';

export const PresenceTopic = presenceMomentEventV1.topic;
export const PRESENCE_CONSUMER_GROUP = 'campaign.presence';

// Expired moments are kept this long (explanations of the recent past), then purged as new ones arrive.
const KEEP_EXPIRED_MS = 60 * 60_000;
// Fire a little after the expiry instant, so the engine (strictly `at < expiresAt`) sees it over.
const EXPIRY_SLACK_MS = 20;

/**
 * Campaign's projection of presence moments (proximity zone enters, visitor check-ins). Each moment keeps its
 * latest event (an older one never overwrites it). When the tenant has LIVE campaigns with SEGMENT or
 * PROXIMITY_ZONE rules, the store's displays are looked at again at once and again when the moment expires:
 * a timer here for the prompt switch back (the 2 s promise), and, because playlists end at the expiry
 * (`validUntil`), the durable `campaign.boundary` job as the safety net when this replica dies first.
 */
export class PresenceProjection {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly onChange: (notice: PlaylistChangeNotice) => Promise<void>,
    private readonly clock: Clock,
    private readonly metrics: CampaignMetrics,
    private readonly logger: Logger,
  ) {}

  async subscribe(bus: EventBus): Promise<BusSubscription> {
    const subscription = await bus.subscribe({
      groupId: PRESENCE_CONSUMER_GROUP,
      topics: [PresenceTopic],
      // Moments are short-lived: replaying history would only write rows that are already over.
      fromBeginning: false,
      handler: async (message) => {
        await this.apply(message);
      },
    });
    return {
      close: async () => {
        for (const timer of this.timers.values()) clearTimeout(timer);
        this.timers.clear();
        await subscription.close();
      },
    };
  }

  async apply(message: DeliveredMessage): Promise<'applied' | 'stale' | 'malformed'> {
    const outcome = await this.applyMoment(message);
    this.metrics.projectionEvents.inc({ topic: 'presence', outcome });
    return outcome;
  }

  private async applyMoment(message: DeliveredMessage): Promise<'applied' | 'stale' | 'malformed'> {
    const parsed = presenceMomentEventV1.schema.safeParse(message.value);
    if (!parsed.success) {
      this.logger.warn({ offset: message.offset, issues: parsed.error.issues }, 'skipping malformed presence moment');
      return 'malformed';
    }
    const m = parsed.data;
    const table = this.dataSource.getMetadata(KnownPresenceMoment).tablePath;
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO ${table} AS p ("moment_id", "tenant_id", "store_id", "source", "zone_id", "segment_keys", "occurred_at", "expires_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT ("moment_id") DO UPDATE SET
         "zone_id" = EXCLUDED."zone_id", "segment_keys" = EXCLUDED."segment_keys",
         "occurred_at" = EXCLUDED."occurred_at", "expires_at" = EXCLUDED."expires_at"
       WHERE p."tenant_id" = EXCLUDED."tenant_id" AND p."store_id" = EXCLUDED."store_id"
         AND p."occurred_at" <= EXCLUDED."occurred_at"
       RETURNING 1`,
      [m.momentId, m.tenantId, m.storeId, m.source, m.zoneId, m.segmentKeys, m.occurredAt, m.expiresAt],
    );
    if (!rows.length) return 'stale';
    await this.dataSource.query(
      `DELETE FROM ${table} WHERE "tenant_id" = $1 AND "store_id" = $2 AND "expires_at" < $3`,
      [m.tenantId, m.storeId, new Date(Date.parse(m.occurredAt) - KEEP_EXPIRED_MS)],
    );
    if (!(await this.tenantTargetsVisitors(m.tenantId))) return 'applied';
    const notice: PlaylistChangeNotice = {
      tenantId: m.tenantId,
      reason: 'presence',
      index: false,
      storeIds: [m.storeId],
    };
    await this.onChange(notice);
    this.expireLater(m.momentId, Date.parse(m.expiresAt), notice);
    return 'applied';
  }

  /** One timer per moment (its latest expiry); an ended moment's refresh was just done. */
  private expireLater(momentId: string, expiresAt: number, notice: PlaylistChangeNotice): void {
    const previous = this.timers.get(momentId);
    if (previous) clearTimeout(previous);
    this.timers.delete(momentId);
    const delay = expiresAt - this.clock.now();
    if (delay <= 0) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(momentId);
        this.onChange(notice).catch((err: unknown) =>
          this.logger.warn({ err, momentId }, 'refresh at a moment expiry failed; the boundary job catches up'),
        );
      },
      Math.min(delay + EXPIRY_SLACK_MS, 2 ** 31 - 1),
    );
    timer.unref();
    this.timers.set(momentId, timer);
  }

  /** Whether any LIVE campaign of the tenant has SEGMENT or PROXIMITY_ZONE rules (others ignore presence). */
  private async tenantTargetsVisitors(tenantId: string): Promise<boolean> {
    const count = await this.dataSource
      .getRepository(Campaign)
      .createQueryBuilder('c')
      .where('c.tenantId = :tenantId', { tenantId })
      .andWhere('c.status = :live', { live: CampaignStatus.LIVE })
      .andWhere(
        `(c.targeting -> 'include' @> ANY (ARRAY[:...kinds]::jsonb[]) OR c.targeting -> 'exclude' @> ANY (ARRAY[:...kinds]::jsonb[]))`,
        { kinds: ['[{"kind":"SEGMENT"}]', '[{"kind":"PROXIMITY_ZONE"}]'] },
      )
      .getCount();
    return count > 0;
  }
}
