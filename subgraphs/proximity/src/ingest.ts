import { createHash } from 'node:crypto';
import { presenceMomentEventV1, segmentKey, type PresenceMomentEventV1 } from '@phub/contracts';
import { enqueue, type Clock, type Logger } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { hashDevice, type ConnectionKeys } from './keys.js';
import type { ProximityMetrics } from './metrics.js';
import {
  describeIssue,
  deviceOf,
  mistLocationEvent,
  mistMessage,
  mistZoneEvent,
  MIST_SIGNATURE_HEADER,
  verifyMist,
} from './mist.js';
import type { SegmentSource } from './segments.js';
import { tableName } from './tables.js';

/** What became of one event of a message, in the order Mist sent them. */
export interface EventResult {
  index: number;
  status: 'stored' | 'duplicate' | 'rejected';
  reason?: string;
}

/** The HTTP answer to a webhook message. */
export interface IngestAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface IngestOptions {
  momentSeconds: number;
  presenceMaxMinutes: number;
  maxEvents: number;
}

interface Site {
  storeId: string;
  zones: Map<string, string>;
}

/** A UUID (version-5 layout) derived from its parts: the same parts, the same moment. */
function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
const unauthorized = (reason: string): IngestAnswer => ({ status: 401, body: { error: 'unauthorized', reason } });

/**
 * The Mist webhook receiver's work. A message is verified with the tenant's secret (401 and nothing stored
 * otherwise), then each event is checked on its own: malformed ones and those of unmapped sites are rejected (the
 * latter counted per site), the rest are stored in one transaction with the moments they cause (outbox). Mist does
 * not replay, so an event seen before — same site, zone, device and timestamp — is answered `duplicate` and
 * changes nothing. MACs are hashed with the tenant's key before anything is written.
 *
 * Moments: anonymous presence in a zone is one moment per zone (its id derived from tenant and zone), extended by
 * every enter and ended by the exit that leaves the zone empty; a device whose hash is linked to a consenting
 * visitor (see segments.ts) has a moment of its own carrying its segment keys, ended by its exit.
 */
export class IngestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: ConnectionKeys,
    private readonly segments: SegmentSource,
    private readonly clock: Clock,
    private readonly metrics: ProximityMetrics,
    private readonly logger: Logger,
    private readonly nudgeOutbox: () => void,
    private readonly options: IngestOptions,
  ) {}

  async receive(tenantId: string, body: Buffer, headers: Record<string, string | undefined>): Promise<IngestAnswer> {
    const answer = await this.handle(tenantId, body, headers);
    this.metrics.messages.inc({ outcome: String(answer.status) });
    return answer;
  }

  private async handle(
    tenantId: string,
    body: Buffer,
    headers: Record<string, string | undefined>,
  ): Promise<IngestAnswer> {
    const connection = await this.keys.get(tenantId);
    if (!connection?.secret) return unauthorized('no Mist webhook secret is configured for this tenant');
    if (!verifyMist(connection.secret, body, headers[MIST_SIGNATURE_HEADER]))
      return unauthorized(`${MIST_SIGNATURE_HEADER} does not match the body`);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, body: { error: 'bad_request', reason: 'the body is not JSON' } };
    }
    const message = mistMessage.safeParse(json);
    if (!message.success)
      return { status: 400, body: { error: 'bad_request', reason: 'expected {"topic": …, "events": [ … ]}' } };
    const { topic, events } = message.data;
    if (events.length > this.options.maxEvents)
      return { status: 413, body: { error: 'too_many_events', max: this.options.maxEvents } };
    if (topic !== 'zone' && topic !== 'location') {
      // Other topics are Mist's to send and not ours to keep: acknowledged, so Mist does not flag the endpoint.
      return { status: 200, body: { topic, received: events.length, stored: 0, ignored: events.length, results: [] } };
    }
    const results = await this.store(tenantId, topic, events, connection.macKey);
    const count = (s: EventResult['status']) => results.filter((r) => r.status === s).length;
    for (const r of results) this.metrics.events.inc({ topic, outcome: r.status });
    return {
      status: 200,
      body: {
        topic,
        received: events.length,
        stored: count('stored'),
        duplicates: count('duplicate'),
        rejected: count('rejected'),
        results,
      },
    };
  }

  private async store(
    tenantId: string,
    topic: 'zone' | 'location',
    events: unknown[],
    macKey: Buffer,
  ): Promise<EventResult[]> {
    const results: EventResult[] = [];
    type Parsed = {
      index: number;
      siteId: string;
      zoneId: string;
      trigger: string | null;
      at: Date;
      device: string;
      x: number | null;
      y: number | null;
    };
    const parsed: Parsed[] = [];
    events.forEach((raw, index) => {
      if (topic === 'zone') {
        const e = mistZoneEvent.safeParse(raw);
        if (!e.success) return results.push({ index, status: 'rejected', reason: describeIssue(e.error) });
        const d = e.data;
        parsed.push({
          index,
          siteId: d.site_id,
          zoneId: d.zone_id,
          trigger: d.trigger,
          at: d.timestamp,
          device: deviceOf(d),
          x: null,
          y: null,
        });
      } else {
        const e = mistLocationEvent.safeParse(raw);
        if (!e.success) return results.push({ index, status: 'rejected', reason: describeIssue(e.error) });
        const d = e.data;
        parsed.push({
          index,
          siteId: d.site_id,
          zoneId: '',
          trigger: null,
          at: d.timestamp,
          device: deviceOf(d),
          x: d.x,
          y: d.y,
        });
      }
    });
    const sites = await this.sites(tenantId, [...new Set(parsed.map((p) => p.siteId))]);
    const known: Parsed[] = [];
    const unknown = new Map<string, number>();
    for (const p of parsed) {
      if (sites.has(p.siteId)) known.push(p);
      else {
        unknown.set(p.siteId, (unknown.get(p.siteId) ?? 0) + 1);
        results.push({ index: p.index, status: 'rejected', reason: `unknown site ${p.siteId}` });
      }
    }
    // In time order, so an enter and the exit after it in one message pair up.
    known.sort((a, b) => a.at.getTime() - b.at.getTime() || a.index - b.index);
    const moments: PresenceMomentEventV1[] = [];
    await this.dataSource.transaction(async (manager) => {
      if (unknown.size) await this.countUnknown(manager, tenantId, unknown);
      const cells: Cells = new Map();
      for (const p of known) {
        const site = sites.get(p.siteId)!;
        const zoneId = p.zoneId ? (site.zones.get(p.zoneId) ?? null) : null;
        const deviceHash = hashDevice(macKey, p.device);
        const inserted = (await manager.query(
          `INSERT INTO ${tableName(manager, 'proximity_event')}
             ("tenant_id", "mist_site_id", "mist_zone_id", "device_hash", "at", "topic", "trigger", "store_id", "zone_id", "x", "y")
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT ("tenant_id", "mist_site_id", "mist_zone_id", "device_hash", "at") DO NOTHING
           RETURNING "id"`,
          [tenantId, p.siteId, p.zoneId, deviceHash, p.at, topic, p.trigger, site.storeId, zoneId, p.x, p.y],
        )) as unknown[];
        if (!inserted.length) {
          results.push({ index: p.index, status: 'duplicate' });
          continue;
        }
        results.push(
          p.zoneId && !zoneId
            ? { index: p.index, status: 'stored', reason: `zone ${p.zoneId} is not mapped: no footfall or moment` }
            : { index: p.index, status: 'stored' },
        );
        if (!zoneId) continue;
        const key = { tenantId, storeId: site.storeId, zoneId, deviceHash, at: p.at };
        if (p.trigger === 'enter') moments.push(...(await this.enter(manager, key, cells)));
        else moments.push(...(await this.exit(manager, key, cells)));
      }
      await this.rollup(manager, tenantId, cells);
      await enqueue(
        manager,
        ...moments.map((m) => ({ topic: presenceMomentEventV1.topic, key: m.storeId, payload: m })),
      );
    });
    if (moments.length) this.nudgeOutbox();
    return results.sort((a, b) => a.index - b.index);
  }

  private async enter(manager: EntityManager, k: PresenceKey, cells: Cells): Promise<PresenceMomentEventV1[]> {
    const deviceMoment = derivedId('device', k.tenantId, k.zoneId, k.deviceHash);
    await manager.query(
      `INSERT INTO ${tableName(manager, 'zone_presence')} ("tenant_id", "zone_id", "device_hash", "store_id", "entered_at", "moment_id")
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ("tenant_id", "zone_id", "device_hash") DO UPDATE SET "entered_at" = EXCLUDED."entered_at"`,
      [k.tenantId, k.zoneId, k.deviceHash, k.storeId, k.at, deviceMoment],
    );
    count(cells, k, 'enter', null);
    const expiresAt = new Date(k.at.getTime() + this.options.momentSeconds * 1000);
    const segmentKeys = (await this.segments.segmentsOf(manager, k.tenantId, k.deviceHash)).filter(
      (s) => segmentKey.safeParse(s).success,
    );
    const out = [this.moment(k, derivedId('zone', k.tenantId, k.zoneId), [], expiresAt)];
    if (segmentKeys.length) out.push(this.moment(k, deviceMoment, segmentKeys.slice(0, 50), expiresAt));
    this.metrics.moments.inc({ kind: 'start' }, out.length);
    return out;
  }

  private async exit(manager: EntityManager, k: PresenceKey, cells: Cells): Promise<PresenceMomentEventV1[]> {
    const [left] = (await manager.query(
      // As a CTE: TypeORM answers a bare DELETE with [rows, count], a SELECT with the rows.
      `WITH gone AS (DELETE FROM ${tableName(manager, 'zone_presence')}
         WHERE "tenant_id" = $1 AND "zone_id" = $2 AND "device_hash" = $3 RETURNING "entered_at", "moment_id")
       SELECT * FROM gone`,
      [k.tenantId, k.zoneId, k.deviceHash],
    )) as { entered_at: Date; moment_id: string }[];
    const dwell =
      left && left.entered_at <= k.at ? Math.round((k.at.getTime() - left.entered_at.getTime()) / 1000) : null;
    count(cells, k, 'exit', dwell);
    const [{ others }] = (await manager.query(
      `SELECT count(*)::int AS "others" FROM ${tableName(manager, 'zone_presence')}
       WHERE "tenant_id" = $1 AND "zone_id" = $2 AND "entered_at" > $3`,
      [k.tenantId, k.zoneId, new Date(k.at.getTime() - this.options.presenceMaxMinutes * 60_000)],
    )) as [{ others: number }];
    const out: PresenceMomentEventV1[] = [];
    // Ended: expiresAt = occurredAt (the contract's way); a device moment only if one was made for it.
    if (others === 0) out.push(this.moment(k, derivedId('zone', k.tenantId, k.zoneId), [], k.at));
    if (left && (await this.segments.segmentsOf(manager, k.tenantId, k.deviceHash)).length)
      out.push(this.moment(k, left.moment_id, [], k.at));
    this.metrics.moments.inc({ kind: 'end' }, out.length);
    return out;
  }

  private moment(k: PresenceKey, momentId: string, segmentKeys: string[], expiresAt: Date): PresenceMomentEventV1 {
    return presenceMomentEventV1.schema.parse({
      tenantId: k.tenantId,
      storeId: k.storeId,
      momentId,
      source: 'PROXIMITY',
      zoneId: k.zoneId,
      segmentKeys,
      occurredAt: k.at.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
  }

  /**
   * Adds a message's counts to `zone_hour` in one statement, in (zone, hour) order, last in the transaction:
   * concurrent messages touch the same hot rows, so their locks are taken in one order (taken in the events' order
   * they deadlocked) and held only from this statement to the commit.
   */
  private async rollup(manager: EntityManager, tenantId: string, cells: Cells) {
    if (!cells.size) return;
    const c = [...cells.values()];
    await manager.query(
      `INSERT INTO ${tableName(manager, 'zone_hour')} AS h ("tenant_id", "store_id", "zone_id", "hour", "enters", "exits", "dwell_seconds", "dwells")
       SELECT $1, t.* FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[], $5::int[], $6::int[], $7::bigint[], $8::int[])
         AS t("store_id", "zone_id", "hour", "enters", "exits", "dwell_seconds", "dwells")
       ORDER BY t."zone_id", t."hour"
       ON CONFLICT ("tenant_id", "zone_id", "hour") DO UPDATE SET
         "enters" = h."enters" + EXCLUDED."enters", "exits" = h."exits" + EXCLUDED."exits",
         "dwell_seconds" = h."dwell_seconds" + EXCLUDED."dwell_seconds", "dwells" = h."dwells" + EXCLUDED."dwells"`,
      [
        tenantId,
        c.map((x) => x.storeId),
        c.map((x) => x.zoneId),
        c.map((x) => x.hour),
        c.map((x) => x.enters),
        c.map((x) => x.exits),
        c.map((x) => x.dwellSeconds),
        c.map((x) => x.dwells),
      ],
    );
  }

  private async countUnknown(manager: EntityManager, tenantId: string, unknown: Map<string, number>) {
    for (const [siteId, n] of [...unknown].sort()) {
      await manager.query(
        `INSERT INTO ${tableName(manager, 'unknown_site')} AS u ("tenant_id", "mist_site_id", "events", "last_seen_at")
         VALUES ($1, $2, $3, $4)
         ON CONFLICT ("tenant_id", "mist_site_id") DO UPDATE SET "events" = u."events" + EXCLUDED."events", "last_seen_at" = EXCLUDED."last_seen_at"`,
        [tenantId, siteId.slice(0, 100), n, new Date(this.clock.now())],
      );
    }
    this.logger.info({ tenantId, sites: unknown.size }, 'Mist events of unmapped sites rejected');
  }

  /** The tenant's mapped sites among `siteIds`, with their zone mappings. */
  private async sites(tenantId: string, siteIds: string[]): Promise<Map<string, Site>> {
    const sites = new Map<string, Site>();
    if (!siteIds.length) return sites;
    const rows = (await this.dataSource.query(
      `SELECT s."mist_site_id", s."store_id", z."mist_zone_id", z."zone_id"
       FROM ${tableName(this.dataSource, 'mist_site')} s
       LEFT JOIN ${tableName(this.dataSource, 'mist_zone')} z USING ("tenant_id", "mist_site_id")
       WHERE s."tenant_id" = $1 AND s."mist_site_id" = ANY($2::text[])`,
      [tenantId, siteIds],
    )) as { mist_site_id: string; store_id: string; mist_zone_id: string | null; zone_id: string | null }[];
    for (const r of rows) {
      let site = sites.get(r.mist_site_id);
      if (!site) sites.set(r.mist_site_id, (site = { storeId: r.store_id, zones: new Map() }));
      if (r.mist_zone_id && r.zone_id) site.zones.set(r.mist_zone_id, r.zone_id);
    }
    return sites;
  }
}

/** A message's footfall, exits and dwell per zone and hour, written to `zone_hour` at the end of its transaction. */
interface Cell {
  storeId: string;
  zoneId: string;
  hour: Date;
  enters: number;
  exits: number;
  dwellSeconds: number;
  dwells: number;
}
type Cells = Map<string, Cell>;

/** Footfall (enters) by the hour of the enter; exits and dwell by the hour of the exit. */
function count(cells: Cells, k: PresenceKey, kind: 'enter' | 'exit', dwellSeconds: number | null): void {
  const hour = hourOf(k.at);
  const key = `${k.zoneId}|${hour.getTime()}`;
  let c = cells.get(key);
  if (!c)
    cells.set(
      key,
      (c = { storeId: k.storeId, zoneId: k.zoneId, hour, enters: 0, exits: 0, dwellSeconds: 0, dwells: 0 }),
    );
  if (kind === 'enter') c.enters++;
  else c.exits++;
  if (dwellSeconds !== null) {
    c.dwellSeconds += dwellSeconds;
    c.dwells++;
  }
}

interface PresenceKey {
  tenantId: string;
  storeId: string;
  zoneId: string;
  deviceHash: string;
  at: Date;
}
