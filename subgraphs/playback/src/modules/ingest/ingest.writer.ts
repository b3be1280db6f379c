import type { BusSubscription, DeliveredMessage, EventBus, Logger } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import {
  type HeartbeatEventData,
  type PlaybackBatch,
  PlaybackTopic,
  type PlayEventData,
  WRITER_GROUP,
} from '../../events.js';
import type { PlaybackMetrics } from '../../metrics.js';
import { NO_CAMPAIGN, tableName } from '../../tables.js';
import { storableHeartbeat, storablePlay, toIso } from './ingest.rules.js';

const uuid = z.guid();
const batchHeader = z.object({
  tenantId: uuid,
  storeId: uuid,
  displayId: uuid,
  receivedAt: z.iso.datetime({ offset: true }),
  plays: z.array(z.unknown()),
  heartbeats: z.array(z.unknown()),
});

/**
 * Writes `playback.events.v1` batches (group `playback-writer`) into Postgres, one transaction per batch:
 * raw rows with `INSERT … ON CONFLICT (id) DO NOTHING`, the daily rollup incremented only by rows that were
 * new, and the display's last-seen state. A redelivered or retried batch therefore changes nothing.
 */
export class PlaybackWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: PlaybackMetrics,
    private readonly logger: Logger,
    /** Called after a batch committed, with its display (the health evaluator looks again). */
    private readonly onWritten: (batch: PlaybackBatch) => Promise<void>,
  ) {}

  subscribe(bus: EventBus): Promise<BusSubscription> {
    return bus.subscribe({
      groupId: WRITER_GROUP,
      topics: [PlaybackTopic.events],
      fromBeginning: true,
      handler: (message) => this.handle(message),
    });
  }

  private async handle(message: DeliveredMessage): Promise<void> {
    const batch = this.storable(message);
    if (!batch) return;
    await this.write(batch);
    await this.onWritten(batch).catch((err: unknown) =>
      this.logger.warn({ err, displayId: batch.displayId }, 'health evaluation after a write failed'),
    );
  }

  /**
   * The batch with only what Postgres accepts. Ingest validates far more strictly, but a message already on the
   * bus (from an older version, or another producer) must never fail its transaction forever and stop the
   * partition behind it: such events are dropped, logged and counted.
   */
  private storable(message: DeliveredMessage): PlaybackBatch | null {
    const header = batchHeader.safeParse(message.value);
    if (!header.success) {
      this.logger.warn({ offset: message.offset, issues: header.error.issues }, 'skipping malformed playback batch');
      return null;
    }
    const b = header.data;
    const plays: PlayEventData[] = [];
    const heartbeats: HeartbeatEventData[] = [];
    let dropped = 0;
    const drop = (kind: 'play' | 'heartbeat', index: number, issues: z.core.$ZodIssue[]) => {
      dropped++;
      this.metrics.ingested.inc({ kind, outcome: 'dropped' });
      this.logger.warn(
        { offset: message.offset, displayId: b.displayId, kind, index, issues: issues.map((i) => i.message) },
        'dropping a playback event Postgres would refuse',
      );
    };
    b.plays.forEach((raw, index) => {
      const p = storablePlay.safeParse(raw);
      if (!p.success) return drop('play', index, p.error.issues);
      const { startedAt, endedAt, campaignId, ...rest } = p.data;
      plays.push({ ...rest, campaignId: campaignId ?? null, startedAt: toIso(startedAt), endedAt: toIso(endedAt) });
    });
    b.heartbeats.forEach((raw, index) => {
      const h = storableHeartbeat.safeParse(raw);
      if (!h.success) return drop('heartbeat', index, h.error.issues);
      const d = h.data;
      heartbeats.push({
        id: d.id,
        displayId: d.displayId,
        at: toIso(d.at),
        currentCreativeId: d.currentCreativeId ?? null,
        playlistVersion: d.playlistVersion ?? null,
        appVersion: d.appVersion ?? null,
        uptimeSeconds: d.uptimeSeconds ?? null,
      });
    });
    if (dropped && !plays.length && !heartbeats.length) return null;
    return { ...b, plays, heartbeats };
  }

  /** Writes one batch; returns how many plays and heartbeats were new. */
  async write(batch: PlaybackBatch): Promise<{ plays: number; heartbeats: number }> {
    const done = this.metrics.batchWrite.startTimer();
    try {
      const result = await this.dataSource.transaction(async (m) => ({
        plays: await this.writePlays(m, batch),
        heartbeats: await this.writeHeartbeats(m, batch),
      }));
      if (result.plays) this.metrics.ingested.inc({ kind: 'play', outcome: 'written' }, result.plays);
      if (result.heartbeats) this.metrics.ingested.inc({ kind: 'heartbeat', outcome: 'written' }, result.heartbeats);
      return result;
    } finally {
      done();
    }
  }

  private async writePlays(m: EntityManager, b: PlaybackBatch): Promise<number> {
    if (!b.plays.length) return 0;
    const t = (name: string) => tableName(this.dataSource, name);
    const state = t('display_state');
    // Only rows that were new feed the rollups, so a retried batch changes nothing. Days are the store's own
    // (its time zone from location's store events; UTC until one arrives). Override plays have no campaign:
    // the rollups keep them under the nil UUID, which reports show as a null campaign.
    const rows = (await m.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
           "id" uuid, "campaignId" uuid, "creativeId" uuid, "playlistVersion" text,
           "startedAt" timestamptz, "endedAt" timestamptz, "durationMs" integer)
       ), inserted AS (
         INSERT INTO ${t('play')} ("id", "tenant_id", "display_id", "store_id", "campaign_id", "creative_id",
           "playlist_version", "started_at", "ended_at", "duration_ms", "received_at")
         SELECT "id", $2, $3, $4, "campaignId", "creativeId", "playlistVersion", "startedAt", "endedAt", "durationMs", $5
         FROM input
         ON CONFLICT ("id") DO NOTHING
         RETURNING *
       ), keyed AS (
         SELECT "tenant_id", "store_id", "display_id", "creative_id", "duration_ms", "ended_at",
           COALESCE("campaign_id", '${NO_CAMPAIGN}'::uuid) AS "campaign_id",
           ("started_at" AT TIME ZONE COALESCE(
             (SELECT "timezone" FROM ${t('known_store')} WHERE "id" = $4), 'UTC'))::date AS "day"
         FROM inserted
       ), rolled AS (
         INSERT INTO ${t('play_rollup')} AS r ("tenant_id", "day", "campaign_id", "creative_id", "store_id", "display_id", "plays", "play_ms")
         SELECT "tenant_id", "day", "campaign_id", "creative_id", "store_id", "display_id", count(*), sum("duration_ms")
         FROM keyed
         GROUP BY 1, 2, 3, 4, 5, 6
         ON CONFLICT ("tenant_id", "day", "campaign_id", "creative_id", "store_id", "display_id")
         DO UPDATE SET "plays" = r."plays" + EXCLUDED."plays", "play_ms" = r."play_ms" + EXCLUDED."play_ms"
         RETURNING "day", "campaign_id", "creative_id", (xmax = 0) AS "fresh"
       ), daily AS (
         -- "displays" grows by one when this display's row for the cell was new (xmax = 0: inserted, not updated)
         INSERT INTO ${t('play_daily')} AS d ("tenant_id", "day", "campaign_id", "creative_id", "store_id", "plays", "play_ms", "displays")
         SELECT k."tenant_id", k."day", k."campaign_id", k."creative_id", k."store_id", k."plays", k."play_ms",
           (SELECT count(*) FROM rolled r WHERE r."fresh" AND r."day" = k."day" AND r."campaign_id" = k."campaign_id"
             AND r."creative_id" = k."creative_id")
         FROM (SELECT "tenant_id", "day", "campaign_id", "creative_id", "store_id", count(*) AS "plays",
             sum("duration_ms") AS "play_ms"
           FROM keyed GROUP BY 1, 2, 3, 4, 5) AS k
         ON CONFLICT ("tenant_id", "day", "campaign_id", "creative_id", "store_id")
         DO UPDATE SET "plays" = d."plays" + EXCLUDED."plays", "play_ms" = d."play_ms" + EXCLUDED."play_ms",
           "displays" = d."displays" + EXCLUDED."displays"
       ), campaign_seen AS (
         INSERT INTO ${t('display_campaign_day')} ("tenant_id", "day", "campaign_id", "store_id", "display_id")
         SELECT DISTINCT "tenant_id", "day", "campaign_id", "store_id", "display_id" FROM keyed
         ON CONFLICT DO NOTHING
         RETURNING "tenant_id", "day", "campaign_id", "store_id"
       ), campaign_reach AS (
         INSERT INTO ${t('campaign_daily')} AS c ("tenant_id", "day", "campaign_id", "store_id", "displays")
         SELECT "tenant_id", "day", "campaign_id", "store_id", count(*) FROM campaign_seen GROUP BY 1, 2, 3, 4
         ON CONFLICT ("tenant_id", "day", "campaign_id", "store_id")
         DO UPDATE SET "displays" = c."displays" + EXCLUDED."displays"
       ), creative_seen AS (
         INSERT INTO ${t('display_creative_day')} ("tenant_id", "day", "creative_id", "store_id", "display_id")
         SELECT DISTINCT "tenant_id", "day", "creative_id", "store_id", "display_id" FROM keyed
         ON CONFLICT DO NOTHING
         RETURNING "tenant_id", "day", "creative_id", "store_id"
       ), creative_reach AS (
         INSERT INTO ${t('creative_daily')} AS c ("tenant_id", "day", "creative_id", "store_id", "displays")
         SELECT "tenant_id", "day", "creative_id", "store_id", count(*) FROM creative_seen GROUP BY 1, 2, 3, 4
         ON CONFLICT ("tenant_id", "day", "creative_id", "store_id")
         DO UPDATE SET "displays" = c."displays" + EXCLUDED."displays"
       ), reached AS (
         INSERT INTO ${t('play_reach')} AS r ("tenant_id", "campaign_id", "creative_id", "store_id", "display_id", "year", "days")
         SELECT "tenant_id", "campaign_id", "creative_id", "store_id", "display_id", extract(year FROM "day")::smallint,
           bit_or(set_bit(B'0'::bit(366), extract(doy FROM "day")::int - 1, 1))
         FROM keyed
         GROUP BY 1, 2, 3, 4, 5, 6
         ON CONFLICT ("tenant_id", "campaign_id", "creative_id", "store_id", "display_id", "year")
         DO UPDATE SET "days" = r."days" | EXCLUDED."days"
       ), seen AS (
         INSERT INTO ${t('display_day')} ("tenant_id", "day", "store_id", "display_id")
         SELECT DISTINCT "tenant_id", "day", "store_id", "display_id" FROM keyed
         ON CONFLICT DO NOTHING
         RETURNING "tenant_id", "day", "store_id"
       ), store_reach AS (
         INSERT INTO ${t('store_daily')} AS c ("tenant_id", "day", "store_id", "displays")
         SELECT "tenant_id", "day", "store_id", count(*) FROM seen GROUP BY 1, 2, 3
         ON CONFLICT ("tenant_id", "day", "store_id") DO UPDATE SET "displays" = c."displays" + EXCLUDED."displays"
       )
       SELECT count(*)::int AS "count", max("ended_at") AS "lastPlayAt" FROM keyed`,
      [JSON.stringify(b.plays), b.tenantId, b.displayId, b.storeId, b.receivedAt],
    )) as { count: number; lastPlayAt: Date | null }[];
    const { count, lastPlayAt } = rows[0] ?? { count: 0, lastPlayAt: null };
    if (count && lastPlayAt) {
      await m.query(
        `INSERT INTO ${state} AS s ("display_id", "tenant_id", "store_id", "last_play_at")
         VALUES ($1, $2, $3, $4)
         ON CONFLICT ("display_id") DO UPDATE SET
           "last_play_at" = GREATEST(s."last_play_at", EXCLUDED."last_play_at"), "store_id" = EXCLUDED."store_id"`,
        [b.displayId, b.tenantId, b.storeId, lastPlayAt],
      );
    }
    return count;
  }

  private async writeHeartbeats(m: EntityManager, b: PlaybackBatch): Promise<number> {
    if (!b.heartbeats.length) return 0;
    const heartbeat = tableName(this.dataSource, 'heartbeat');
    const state = tableName(this.dataSource, 'display_state');
    const inserted = (await m.query(
      `INSERT INTO ${heartbeat} ("id", "tenant_id", "display_id", "at", "current_creative_id", "playlist_version",
         "app_version", "uptime_seconds", "received_at")
       SELECT "id", $2, $3, "at", "currentCreativeId", "playlistVersion", "appVersion", "uptimeSeconds", $4
       FROM jsonb_to_recordset($1::jsonb) AS x("id" uuid, "at" timestamptz, "currentCreativeId" uuid,
         "playlistVersion" text, "appVersion" text, "uptimeSeconds" integer)
       ON CONFLICT ("id") DO NOTHING
       RETURNING "at", "current_creative_id" AS "creativeId", "playlist_version" AS "version",
         "app_version" AS "appVersion", "uptime_seconds" AS "uptime"`,
      [JSON.stringify(b.heartbeats), b.tenantId, b.displayId, b.receivedAt],
    )) as {
      at: Date;
      creativeId: string | null;
      version: string | null;
      appVersion: string | null;
      uptime: number | null;
    }[];
    const latest = inserted.reduce<(typeof inserted)[number] | undefined>(
      (best, h) => (!best || h.at > best.at ? h : best),
      undefined,
    );
    if (!latest) return 0;
    // Only a newer heartbeat moves the state; `reported_since` restarts when the reported version changes.
    await m.query(
      `INSERT INTO ${state} AS s ("display_id", "tenant_id", "store_id", "first_seen_at", "last_seen_at",
         "reported_version", "reported_since", "current_creative_id", "app_version", "uptime_seconds")
       VALUES ($1, $2, $3, $4, $4, $5, $4, $6, $7, $8)
       ON CONFLICT ("display_id") DO UPDATE SET
         "store_id" = EXCLUDED."store_id",
         "first_seen_at" = COALESCE(s."first_seen_at", EXCLUDED."first_seen_at"),
         "last_seen_at" = EXCLUDED."last_seen_at",
         "reported_since" = CASE WHEN s."reported_version" IS NOT DISTINCT FROM EXCLUDED."reported_version"
           THEN COALESCE(s."reported_since", EXCLUDED."reported_since") ELSE EXCLUDED."reported_since" END,
         "reported_version" = EXCLUDED."reported_version",
         "current_creative_id" = EXCLUDED."current_creative_id",
         "app_version" = EXCLUDED."app_version",
         "uptime_seconds" = EXCLUDED."uptime_seconds"
       WHERE s."last_seen_at" IS NULL OR s."last_seen_at" <= EXCLUDED."last_seen_at"`,
      [
        b.displayId,
        b.tenantId,
        b.storeId,
        latest.at,
        latest.version,
        latest.creativeId,
        latest.appVersion,
        latest.uptime,
      ],
    );
    return inserted.length;
  }
}
