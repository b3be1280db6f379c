import { createHash } from 'node:crypto';
import { presenceMomentEventV1, segmentKey, type PresenceMomentEventV1 } from '@phub/contracts';
import { enqueue, type Clock, type Logger } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { hashDevice, type ConnectionKeys } from './keys.js';
import { GroupWriter } from './group-writer.js';
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
import type { Site, SiteDirectory } from './sites.js';
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
  /** An enter into an occupied zone re-emits its moment only when that moves the expiry by at least this much. */
  momentRefreshSeconds: number;
  presenceMaxMinutes: number;
  maxEvents: number;
}

/** A UUID (version-5 layout) derived from its parts: the same parts, the same moment. */
function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

// Events of one group write (one transaction) at most: several messages, bounded so one write stays short.
const GROUP_MAX_EVENTS = 5_000;
// Group writes of one tenant at once: two overlap one's events and presence with the other's zone rows and commit.
const GROUP_LANES = 2;

const hourOf = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
const unauthorized = (reason: string): IngestAnswer => ({ status: 401, body: { error: 'unauthorized', reason } });

/**
 * The Mist webhook receiver's work. A message is verified with the tenant's secret (401 and nothing stored
 * otherwise), then each event is checked on its own: malformed ones and those of unmapped sites are rejected (the
 * latter counted per site), the rest are stored in one transaction with the moments they cause (outbox). Mist does
 * not replay, so an event seen before — same site, zone, device and timestamp — is answered `duplicate` and
 * changes nothing. MACs are hashed with the tenant's key before anything is written.
 *
 * A message is a handful of set-wise statements, not a few per event: its events in one multi-row insert, the
 * presence of its devices read and written once, its segment lookup once, and its zones' moments decided once per
 * zone from the presence the message leaves (see `zoneMoments`).
 *
 * Moments: anonymous presence in a zone is one moment per zone (its id derived from tenant and zone). It is emitted
 * when the zone's presence changes — an enter into a zone without a live moment starts it, the exit that leaves the
 * zone empty ends it — and an enter into an occupied zone extends it only when that moves its expiry by at least
 * `momentRefreshSeconds` (so a busy zone costs campaign a refresh every few seconds, not one per event; its moment
 * may end up to that much before the last enter's `momentSeconds`). A device whose hash is linked to a consenting
 * visitor (see segments.ts) has a moment of its own carrying its segment keys, ended by its exit.
 */
export class IngestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: ConnectionKeys,
    private readonly directory: SiteDirectory,
    private readonly segments: SegmentSource,
    private readonly clock: Clock,
    private readonly metrics: ProximityMetrics,
    private readonly logger: Logger,
    private readonly nudgeOutbox: () => void,
    private readonly options: IngestOptions,
  ) {
    this.writer = new GroupWriter(
      (tenantId, jobs) => this.writeGroup(tenantId, jobs),
      GROUP_MAX_EVENTS,
      GROUP_LANES,
      (n) => this.metrics.groups.observe(n),
      (err, jobs) => this.logger.warn({ err, jobs }, 'a group of Mist messages failed; writing each alone'),
    );
  }

  private readonly writer: GroupWriter<Job>;
  private order = 0;

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
    const parsed: Parsed[] = [];
    const hashes = new Map<string, string>();
    const hashOf = (device: string) => {
      let h = hashes.get(device);
      if (h === undefined) hashes.set(device, (h = hashDevice(macKey, device)));
      return h;
    };
    events.forEach((raw, index) => {
      if (topic === 'zone') {
        const e = mistZoneEvent.safeParse(raw);
        if (!e.success) return results.push({ index, status: 'rejected', reason: describeIssue(e.error) });
        const d = e.data;
        parsed.push({
          index,
          siteId: d.site_id,
          mistZoneId: d.zone_id,
          trigger: d.trigger,
          at: d.timestamp,
          deviceHash: hashOf(deviceOf(d)),
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
          mistZoneId: '',
          trigger: null,
          at: d.timestamp,
          deviceHash: hashOf(deviceOf(d)),
          x: d.x,
          y: d.y,
        });
      }
    });
    const sites = parsed.length ? await this.directory.sitesOf(tenantId) : new Map<string, Site>();
    const unknown = new Map<string, number>();
    // One row per key: a repeat inside the message is a duplicate of its first occurrence.
    const rows = new Map<string, Row>();
    for (const p of parsed) {
      const site = sites.get(p.siteId);
      if (!site) {
        unknown.set(p.siteId, (unknown.get(p.siteId) ?? 0) + 1);
        results.push({ index: p.index, status: 'rejected', reason: `unknown site ${p.siteId}` });
        continue;
      }
      const key = eventKey(p.siteId, p.mistZoneId, p.deviceHash, p.at);
      if (rows.has(key)) results.push({ index: p.index, status: 'duplicate' });
      else
        rows.set(key, {
          ...p,
          key,
          topic,
          order: this.order++,
          storeId: site.storeId,
          zoneId: p.mistZoneId ? (site.zones.get(p.mistZoneId) ?? null) : null,
          stored: false,
        });
    }
    if (rows.size || unknown.size) {
      const job: Job = { rows: [...rows.values()], unknown };
      await this.writer.submit(tenantId, job, job.rows.length);
    }
    for (const r of rows.values())
      results.push(
        !r.stored
          ? { index: r.index, status: 'duplicate' }
          : r.mistZoneId && !r.zoneId
            ? { index: r.index, status: 'stored', reason: `zone ${r.mistZoneId} is not mapped: no footfall or moment` }
            : { index: r.index, status: 'stored' },
      );
    return results.sort((a, b) => a.index - b.index);
  }

  /**
   * The messages of one group (see GroupWriter) in one transaction, as if one after the other: an event in two of
   * them is stored for the first; presence is played in time order over all of them; each zone's moment is
   * decided once for the group. Marks each row `stored` or not.
   */
  private async writeGroup(tenantId: string, jobs: Job[]): Promise<void> {
    const rows = new Map<string, Row>();
    const unknown = new Map<string, number>();
    for (const job of jobs) {
      for (const [site, n] of job.unknown) unknown.set(site, (unknown.get(site) ?? 0) + n);
      for (const r of job.rows) {
        r.stored = false;
        if (!rows.has(r.key)) rows.set(r.key, r);
      }
    }
    const moments: PresenceMomentEventV1[] = [];
    await this.dataSource.transaction(async (manager) => {
      if (unknown.size) await this.countUnknown(manager, tenantId, unknown);
      const stored = await this.insertEvents(manager, tenantId, [...rows.entries()]);
      const changes: Row[] = [];
      for (const [key, r] of rows) {
        if (!stored.has(key)) continue;
        r.stored = true;
        if (r.zoneId && r.trigger) changes.push(r);
      }
      if (!changes.length) return;
      // In time order, so an enter and the exit after it pair up (ties: in the order Mist sent them).
      changes.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
      const cells: Cells = new Map();
      moments.push(...(await this.presence(manager, tenantId, changes, cells)));
      moments.push(...(await this.zoneMoments(manager, tenantId, changes)));
      await this.rollup(manager, tenantId, cells);
      await enqueue(
        manager,
        ...moments.map((m) => ({ topic: presenceMomentEventV1.topic, key: m.storeId, payload: m })),
      );
    });
    if (moments.length) this.nudgeOutbox();
  }

  /**
   * The message's new events in one statement (in key order, so concurrent messages take the unique index's locks
   * in one order); answers the keys that were new. Mist's repeats conflict and are left out.
   */
  private async insertEvents(manager: EntityManager, tenantId: string, entries: [string, Row][]): Promise<Set<string>> {
    if (!entries.length) return new Set();
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const rows = entries.map(([, r]) => r);
    const inserted = (await manager.query(
      `INSERT INTO ${tableName(manager, 'proximity_event')}
         ("tenant_id", "mist_site_id", "mist_zone_id", "device_hash", "at", "topic", "trigger", "store_id", "zone_id", "x", "y")
       SELECT $1, t."site", t."zone", t."device", t."at", t."topic", t."trigger", t."store", t."zone_id", t."x", t."y"
       FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::uuid[],
                   $9::uuid[], $10::float8[], $11::float8[]) WITH ORDINALITY
         AS t("site", "zone", "device", "at", "topic", "trigger", "store", "zone_id", "x", "y", "n")
       ORDER BY t."n"
       ON CONFLICT ("tenant_id", "mist_site_id", "mist_zone_id", "device_hash", "at") DO NOTHING
       RETURNING "mist_site_id", "mist_zone_id", "device_hash", "at"`,
      [
        tenantId,
        rows.map((r) => r.siteId),
        rows.map((r) => r.mistZoneId),
        rows.map((r) => r.deviceHash),
        rows.map((r) => r.at),
        rows.map((r) => r.topic),
        rows.map((r) => r.trigger),
        rows.map((r) => r.storeId),
        rows.map((r) => r.zoneId),
        rows.map((r) => r.x),
        rows.map((r) => r.y),
      ],
    )) as { mist_site_id: string; mist_zone_id: string; device_hash: string; at: Date }[];
    return new Set(inserted.map((r) => eventKey(r.mist_site_id, r.mist_zone_id, r.device_hash, r.at)));
  }

  /**
   * Who is in which zone after the message's enters and exits: the devices' rows read (locked) once, the events
   * played over them in time order in memory (footfall, exits and dwell counted into `cells`), the outcome written
   * back in one statement. Answers the moments of devices linked to a consenting visitor.
   */
  private async presence(
    manager: EntityManager,
    tenantId: string,
    changes: Row[],
    cells: Cells,
  ): Promise<PresenceMomentEventV1[]> {
    const table = tableName(manager, 'zone_presence');
    const pairs = new Map<string, { zoneId: string; deviceHash: string; storeId: string }>();
    for (const r of changes)
      pairs.set(`${r.zoneId}|${r.deviceHash}`, { zoneId: r.zoneId!, deviceHash: r.deviceHash, storeId: r.storeId });
    const ordered = [...pairs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, p]) => p);
    const before = (await manager.query(
      `SELECT p."zone_id", p."device_hash", p."entered_at", p."moment_id" FROM ${table} p
       JOIN unnest($2::uuid[], $3::text[]) AS t("zone_id", "device_hash") USING ("zone_id", "device_hash")
       WHERE p."tenant_id" = $1
       ORDER BY p."zone_id", p."device_hash" FOR UPDATE OF p`,
      [tenantId, ordered.map((p) => p.zoneId), ordered.map((p) => p.deviceHash)],
    )) as { zone_id: string; device_hash: string; entered_at: Date; moment_id: string }[];
    const state = new Map<string, { enteredAt: Date; momentId: string } | null>();
    const existed = new Set<string>();
    for (const b of before) {
      state.set(`${b.zone_id}|${b.device_hash}`, { enteredAt: b.entered_at, momentId: b.moment_id });
      existed.add(`${b.zone_id}|${b.device_hash}`);
    }
    const segments = await this.segments.segmentsOf(manager, tenantId, [...new Set(changes.map((r) => r.deviceHash))]);
    // A device's moment: the last thing the message says of it (a later event with the same id replaces earlier).
    const deviceMoments = new Map<string, PresenceMomentEventV1>();
    for (const r of changes) {
      const pair = `${r.zoneId}|${r.deviceHash}`;
      const k: PresenceKey = { tenantId, storeId: r.storeId, zoneId: r.zoneId!, deviceHash: r.deviceHash, at: r.at };
      const keys = (segments.get(r.deviceHash) ?? []).filter((s) => segmentKey.safeParse(s).success).slice(0, 50);
      if (r.trigger === 'enter') {
        const momentId = state.get(pair)?.momentId ?? derivedId('device', tenantId, k.zoneId, k.deviceHash);
        state.set(pair, { enteredAt: r.at, momentId });
        count(cells, k, 'enter', null);
        if (keys.length)
          deviceMoments.set(
            momentId,
            this.moment(k, momentId, keys, new Date(r.at.getTime() + this.options.momentSeconds * 1000)),
          );
      } else {
        const left = state.get(pair) ?? null;
        state.set(pair, null);
        const dwell =
          left && left.enteredAt <= r.at ? Math.round((r.at.getTime() - left.enteredAt.getTime()) / 1000) : null;
        count(cells, k, 'exit', dwell);
        // Ended: expiresAt = occurredAt (the contract's way); only a device moment that was made for it.
        if (left && keys.length) deviceMoments.set(left.momentId, this.moment(k, left.momentId, [], r.at));
      }
    }
    const stay = ordered.filter((p) => state.get(`${p.zoneId}|${p.deviceHash}`));
    const gone = ordered.filter(
      (p) => !state.get(`${p.zoneId}|${p.deviceHash}`) && existed.has(`${p.zoneId}|${p.deviceHash}`),
    );
    if (stay.length || gone.length) {
      const now = stay.map((p) => state.get(`${p.zoneId}|${p.deviceHash}`)!);
      // One statement (one round trip): the devices that left deleted, those present written (rows apart).
      await manager.query(
        `WITH gone AS (
           DELETE FROM ${table} p USING unnest($7::uuid[], $8::text[]) AS g("zone_id", "device_hash")
           WHERE p."tenant_id" = $1 AND p."zone_id" = g."zone_id" AND p."device_hash" = g."device_hash"
         )
         INSERT INTO ${table} AS p ("tenant_id", "zone_id", "device_hash", "store_id", "entered_at", "moment_id")
         SELECT $1, t.* FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[], $6::uuid[])
           AS t("zone_id", "device_hash", "store_id", "entered_at", "moment_id")
         ON CONFLICT ("tenant_id", "zone_id", "device_hash") DO UPDATE SET "entered_at" = EXCLUDED."entered_at"`,
        [
          tenantId,
          stay.map((p) => p.zoneId),
          stay.map((p) => p.deviceHash),
          stay.map((p) => p.storeId),
          now.map((s) => s.enteredAt),
          now.map((s) => s.momentId),
          gone.map((p) => p.zoneId),
          gone.map((p) => p.deviceHash),
        ],
      );
    }
    const out = [...deviceMoments.values()];
    this.countMoments(out);
    return out;
  }

  /**
   * Each zone's anonymous moment, decided once per message from the presence it leaves. `zone_moment` holds what
   * was last emitted for the zone; its rows are locked in zone order first (concurrent messages over a zone decide
   * one after the other, each seeing the presence the one before committed), then the zones' occupancy is read.
   * Occupied with an enter: start the moment when none is live, or extend it when that moves its expiry by at least
   * `momentRefreshSeconds`. Empty while a moment is live: end it. Otherwise nothing changes for campaign.
   */
  private async zoneMoments(
    manager: EntityManager,
    tenantId: string,
    changes: Row[],
  ): Promise<PresenceMomentEventV1[]> {
    const zones = new Map<string, { storeId: string; lastEnter: Date | null; last: Date }>();
    for (const r of changes) {
      const z = zones.get(r.zoneId!) ?? { storeId: r.storeId, lastEnter: null, last: r.at };
      if (r.trigger === 'enter') z.lastEnter = r.at;
      z.last = r.at;
      zones.set(r.zoneId!, z);
    }
    const ids = [...zones.keys()].sort();
    const table = tableName(manager, 'zone_moment');
    const emitted = (await manager.query(
      // DO UPDATE (not NOTHING) so an existing row is locked and returned as it is now.
      `INSERT INTO ${table} AS m ("tenant_id", "zone_id", "store_id", "occurred_at", "expires_at")
       SELECT $1, t."zone_id", t."store_id", 'epoch', 'epoch' FROM unnest($2::uuid[], $3::uuid[]) AS t("zone_id", "store_id")
       ORDER BY t."zone_id"
       ON CONFLICT ("tenant_id", "zone_id") DO UPDATE SET "store_id" = EXCLUDED."store_id"
       RETURNING "zone_id", "occurred_at", "expires_at"`,
      [tenantId, ids, ids.map((z) => zones.get(z)!.storeId)],
    )) as { zone_id: string; occurred_at: Date; expires_at: Date }[];
    const maxAgeMs = this.options.presenceMaxMinutes * 60_000;
    const occupied = new Set(
      (
        (await manager.query(
          `SELECT t."zone_id" FROM unnest($2::uuid[], $3::timestamptz[]) AS t("zone_id", "since")
           WHERE EXISTS (SELECT 1 FROM ${tableName(manager, 'zone_presence')} p
                         WHERE p."tenant_id" = $1 AND p."zone_id" = t."zone_id" AND p."entered_at" > t."since")`,
          [tenantId, ids, ids.map((z) => new Date(zones.get(z)!.last.getTime() - maxAgeMs))],
        )) as { zone_id: string }[]
      ).map((r) => r.zone_id),
    );
    const out: PresenceMomentEventV1[] = [];
    let started = 0;
    for (const e of emitted) {
      const z = zones.get(e.zone_id)!;
      const k = { tenantId, storeId: z.storeId, zoneId: e.zone_id, deviceHash: '', at: z.last };
      const momentId = derivedId('zone', tenantId, e.zone_id);
      const live = e.expires_at.getTime();
      if (occupied.has(e.zone_id)) {
        // An event older than what was last emitted would be dropped by campaign as stale anyway.
        if (!z.lastEnter || z.lastEnter < e.occurred_at) continue;
        const expires = z.lastEnter.getTime() + this.options.momentSeconds * 1000;
        if (live > z.lastEnter.getTime() && expires - live < this.options.momentRefreshSeconds * 1000) continue;
        out.push(this.moment({ ...k, at: z.lastEnter }, momentId, [], new Date(expires)));
        started++;
      } else if (live > z.last.getTime()) {
        const at = z.last < e.occurred_at ? e.occurred_at : z.last;
        out.push(this.moment({ ...k, at }, momentId, [], at));
      }
    }
    if (out.length)
      await manager.query(
        `UPDATE ${table} AS m SET "occurred_at" = t."occurred_at", "expires_at" = t."expires_at"
         FROM unnest($2::uuid[], $3::timestamptz[], $4::timestamptz[]) AS t("zone_id", "occurred_at", "expires_at")
         WHERE m."tenant_id" = $1 AND m."zone_id" = t."zone_id"`,
        [tenantId, out.map((m) => m.zoneId), out.map((m) => m.occurredAt), out.map((m) => m.expiresAt)],
      );
    this.metrics.moments.inc({ kind: 'start' }, started);
    this.metrics.moments.inc({ kind: 'end' }, out.length - started);
    return out;
  }

  private countMoments(moments: PresenceMomentEventV1[]): void {
    const ended = moments.filter((m) => m.expiresAt <= m.occurredAt).length;
    this.metrics.moments.inc({ kind: 'start' }, moments.length - ended);
    this.metrics.moments.inc({ kind: 'end' }, ended);
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
}

/** A parsed event: the device already hashed. */
interface Parsed {
  index: number;
  siteId: string;
  mistZoneId: string;
  trigger: 'enter' | 'exit' | null;
  at: Date;
  deviceHash: string;
  x: number | null;
  y: number | null;
}

/** A parsed event of a mapped site, with its store and location zone (null: the Mist zone is not mapped). */
interface Row extends Parsed {
  key: string;
  topic: 'zone' | 'location';
  /** Arrival order in this process: the tie-break of events with the same timestamp. */
  order: number;
  storeId: string;
  zoneId: string | null;
  /** Set by the group's write: new (stored) or seen before (duplicate). */
  stored: boolean;
}

/** One message's share of a group write. */
interface Job {
  rows: Row[];
  unknown: Map<string, number>;
}

/** The idempotency key of an event, as `proximity_event`'s unique key has it. */
const eventKey = (siteId: string, mistZoneId: string, deviceHash: string, at: Date) =>
  `${siteId}\u0000${mistZoneId}\u0000${deviceHash}\u0000${at.getTime()}`;

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
