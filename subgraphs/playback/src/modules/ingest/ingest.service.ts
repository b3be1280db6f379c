import { badInput, ErrorCode, type EventBus } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { Clock } from '@phub/kit';
import { type HeartbeatEventData, type PlaybackBatch, PlaybackTopic, type PlayEventData } from '../../events.js';
import type { PlaybackMetrics } from '../../metrics.js';
import type { PlaybackScope } from '../../scope.js';
import { tableName } from '../../tables.js';
import {
  type IngestFlag,
  IngestFlagReason,
  type IngestRejection,
  type IngestResult,
  PlaybackEventKind,
} from './ingest.input.js';
import { heartbeat as heartbeatRules, MAX_FUTURE_MS, play as playRules, toIso } from './ingest.rules.js';

/** Default for how old an event may be: reports reach back 400 days (PLAYBACK_REPORT_MAX_DAYS) at most. */
export const DEFAULT_MAX_EVENT_AGE_MS = 400 * 86_400_000;

/** The JSON shape of a batch, as the graph and `POST /ingest` take it. */
export interface IngestBatch {
  plays?: unknown[] | null;
  heartbeats?: unknown[] | null;
}

const idOf = (value: unknown): string | null => {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 100) : null;
};
const displayOf = (value: unknown): string | null => {
  const id = (value as { displayId?: unknown } | null)?.displayId;
  return typeof id === 'string' ? id : null;
};

/**
 * Takes batches of proof-of-play and heartbeats from players: checks who may record for which display,
 * rejects malformed events one by one, and publishes the rest on `playback.events.v1` (keyed by display),
 * where the writer stores them idempotently.
 */
export class IngestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly metrics: PlaybackMetrics,
    private readonly maxBatch: number,
    /** Older events are refused: a replayed backlog from a broken player must not rewrite old reports. */
    private readonly maxAgeMs: number = DEFAULT_MAX_EVENT_AGE_MS,
  ) {}

  async ingest(scope: PlaybackScope, batch: IngestBatch): Promise<IngestResult> {
    const plays = batch.plays ?? [];
    const heartbeats = batch.heartbeats ?? [];
    if (!Array.isArray(plays) || !Array.isArray(heartbeats)) throw badInput('plays and heartbeats must be lists');
    if (plays.length + heartbeats.length > this.maxBatch) {
      throw badInput(`A batch holds at most ${this.maxBatch} events`, { max: this.maxBatch });
    }
    // Authorisation first: naming a display the caller may not record for fails the whole batch.
    for (const e of [...plays, ...heartbeats]) {
      const displayId = displayOf(e);
      if (displayId !== null) scope.assertCanRecord(displayId);
    }

    const rejected: IngestRejection[] = [];
    const now = this.clock.now();
    const validPlays: { index: number; event: PlayEventData }[] = [];
    const validBeats: { index: number; event: HeartbeatEventData }[] = [];
    const reject = (
      kind: PlaybackEventKind,
      index: number,
      raw: unknown,
      reason: string,
      code: string = ErrorCode.BAD_USER_INPUT,
    ) => rejected.push({ kind, index, id: idOf(raw), reason, code });

    const oldest = now - this.maxAgeMs;
    const latest = now + MAX_FUTURE_MS;
    // Instants are normalised to UTC ISO strings: the writer then never parses an offset itself.
    const tooOld = `is older than ${Math.round(this.maxAgeMs / 86_400_000)} days`;
    plays.forEach((raw, index) => {
      const parsed = playRules.safeParse(raw);
      if (!parsed.success) return reject(PlaybackEventKind.PLAY, index, raw, describe(parsed.error));
      const p = parsed.data;
      if (p.endedAt > latest) return reject(PlaybackEventKind.PLAY, index, raw, 'endedAt is in the future');
      if (p.startedAt < oldest) return reject(PlaybackEventKind.PLAY, index, raw, `startedAt ${tooOld}`);
      validPlays.push({
        index,
        event: {
          id: p.id,
          displayId: p.displayId,
          campaignId: p.campaignId ?? null,
          creativeId: p.creativeId,
          playlistVersion: p.playlistVersion,
          startedAt: toIso(p.startedAt),
          endedAt: toIso(p.endedAt),
          durationMs: p.durationMs,
        },
      });
    });
    heartbeats.forEach((raw, index) => {
      const parsed = heartbeatRules.safeParse(raw);
      if (!parsed.success) return reject(PlaybackEventKind.HEARTBEAT, index, raw, describe(parsed.error));
      const h = parsed.data;
      if (h.at > latest) return reject(PlaybackEventKind.HEARTBEAT, index, raw, 'at is in the future');
      if (h.at < oldest) return reject(PlaybackEventKind.HEARTBEAT, index, raw, `at ${tooOld}`);
      validBeats.push({
        index,
        event: {
          id: h.id,
          displayId: h.displayId,
          at: toIso(h.at),
          currentCreativeId: h.currentCreativeId ?? null,
          playlistVersion: h.playlistVersion ?? null,
          appVersion: h.appVersion ?? null,
          uptimeSeconds: h.uptimeSeconds ?? null,
        },
      });
    });

    const stores = await this.storesOf(scope, [
      ...new Set([...validPlays, ...validBeats].map((v) => v.event.displayId)),
    ]);
    const known = <T extends { displayId: string }>(kind: PlaybackEventKind, list: { index: number; event: T }[]) =>
      list.filter((v) => {
        if (stores.has(v.event.displayId)) return true;
        reject(kind, v.index, v.event, `display ${v.event.displayId} is not known`, ErrorCode.NOT_FOUND);
        return false;
      });
    const knownPlays = known(PlaybackEventKind.PLAY, validPlays);
    const knownBeats = known(PlaybackEventKind.HEARTBEAT, validBeats);

    // Duplicates: repeated within this batch, or already stored (a retried batch).
    const seenPlays = await this.existing(
      'play',
      knownPlays.map((p) => p.event.id),
    );
    const seenBeats = await this.existing(
      'heartbeat',
      knownBeats.map((h) => h.event.id),
    );
    const freshPlays = dedupe(
      knownPlays.map((p) => p.event),
      seenPlays,
    );
    const freshBeats = dedupe(
      knownBeats.map((h) => h.event),
      seenBeats,
    );
    const duplicates = knownPlays.length - freshPlays.length + (knownBeats.length - freshBeats.length);

    const byDisplay = new Map<string, PlaybackBatch>();
    const receivedAt = new Date(now).toISOString();
    const entry = (displayId: string) => {
      let b = byDisplay.get(displayId);
      if (!b) {
        b = {
          tenantId: scope.tenantId,
          storeId: stores.get(displayId)!,
          displayId,
          receivedAt,
          plays: [],
          heartbeats: [],
        };
        byDisplay.set(displayId, b);
      }
      return b;
    };
    for (const p of freshPlays) entry(p.displayId).plays.push(p);
    for (const h of freshBeats) entry(h.displayId).heartbeats.push(h);
    if (byDisplay.size) {
      await this.bus.publish(
        PlaybackTopic.events,
        [...byDisplay.values()].map((b) => ({ key: b.displayId, value: b })),
      );
    }

    const count = (kind: 'play' | 'heartbeat', outcome: string, n: number) => {
      if (n) this.metrics.ingested.inc({ kind, outcome }, n);
    };
    count('play', 'accepted', freshPlays.length);
    count('heartbeat', 'accepted', freshBeats.length);
    count('play', 'duplicate', knownPlays.length - freshPlays.length);
    count('heartbeat', 'duplicate', knownBeats.length - freshBeats.length);
    count('play', 'rejected', rejected.filter((r) => r.kind === PlaybackEventKind.PLAY).length);
    const flagged = await this.flag(scope.tenantId, knownPlays);
    count('play', 'flagged', flagged.length);
    count('heartbeat', 'rejected', rejected.filter((r) => r.kind === PlaybackEventKind.HEARTBEAT).length);
    rejected.sort((a, b) => a.kind.localeCompare(b.kind) || a.index - b.index);
    return { accepted: freshPlays.length + freshBeats.length, duplicates, rejected, flagged };
  }

  /** Plays naming a campaign of the tenant playback never heard of, or a creative that campaign never had. */
  private async flag(tenantId: string, plays: { index: number; event: PlayEventData }[]): Promise<IngestFlag[]> {
    const campaignIds = [...new Set(plays.flatMap((p) => (p.event.campaignId ? [p.event.campaignId] : [])))];
    if (!campaignIds.length) return [];
    const rows = (await this.dataSource.query(
      `SELECT "id", "creative_ids" AS "creativeIds" FROM ${tableName(this.dataSource, 'known_campaign')}
       WHERE "tenant_id" = $1 AND "id" = ANY($2::uuid[])`,
      [tenantId, campaignIds],
    )) as { id: string; creativeIds: string[] }[];
    const creatives = new Map(rows.map((r) => [r.id, new Set(r.creativeIds)]));
    const flags: IngestFlag[] = [];
    for (const { index, event } of plays) {
      if (!event.campaignId) continue;
      const known = creatives.get(event.campaignId.toLowerCase());
      const reason = !known
        ? IngestFlagReason.UNKNOWN_CAMPAIGN
        : known.has(event.creativeId.toLowerCase())
          ? null
          : IngestFlagReason.UNKNOWN_CREATIVE;
      if (reason) flags.push({ index, id: event.id, reason });
    }
    return flags;
  }

  /** Store of each display of the caller's tenant that location told us about (a device: its token's store). */
  private async storesOf(scope: PlaybackScope, displayIds: string[]): Promise<Map<string, string>> {
    const stores = new Map<string, string>();
    if (!displayIds.length) return stores;
    const rows = (await this.dataSource.query(
      `SELECT "id", "store_id" AS "storeId" FROM ${tableName(this.dataSource, 'known_display')}
       WHERE "tenant_id" = $1 AND "id" = ANY($2::uuid[]) AND "archived_at" IS NULL`,
      [scope.tenantId, displayIds],
    )) as { id: string; storeId: string }[];
    for (const r of rows) stores.set(r.id, r.storeId);
    const v = scope.who;
    // Which store a play is counted in, not what anyone may see: a display location's event has not reached
    // yet still records its own plays, in the store its token names. Once playback knows the display, its
    // record wins (a moved display counts in its new store), as in the visibility rule.
    if (v.displayId && !stores.has(v.displayId) && displayIds.includes(v.displayId) && v.storeIds[0]) {
      stores.set(v.displayId, v.storeIds[0]);
    }
    return stores;
  }

  private async existing(table: 'play' | 'heartbeat', ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = (await this.dataSource.query(
      `SELECT "id" FROM ${tableName(this.dataSource, table)} WHERE "id" = ANY($1::uuid[])`,
      [ids],
    )) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }
}

function dedupe<T extends { id: string }>(events: T[], seen: Set<string>): T[] {
  const ids = new Set(seen);
  return events.filter((e) => {
    const id = e.id.toLowerCase();
    if (ids.has(id)) return false;
    ids.add(id);
    return true;
  });
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}
