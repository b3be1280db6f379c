import { badInput, type Connection, type Logger, notFound, paginate, type PlatformPubSub } from '@phub/kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '@phub/kit';
import type { PlaybackMetrics } from '../../metrics.js';
import type { PlaybackScope } from '../../scope.js';
import { tableName } from '../../tables.js';
import { DisplayStatus, type HealthThresholds, type OpeningWindow, assess } from '../health/health.rules.js';
import type { NotificationService } from '../notification/notification.service.js';
import {
  type AlertPayload,
  alertChannel,
  type StatusPayload,
  fleetStatusChannel,
  statusChannel,
} from './alert.channels.js';
import { Alert, AlertKind, AlertState } from './alert.entity.js';
import type { AlertWebhooks } from './alert.webhooks.js';

const MESSAGES: Record<AlertKind, string> = {
  [AlertKind.OFFLINE]: 'The display has sent no heartbeat',
  [AlertKind.NOT_PLAYING_EXPECTED]: 'The display reports another playlist version than the one resolved for it',
  [AlertKind.STALE_CONTENT]: 'The display is online, its store is open, but it has reported no play',
};

interface StateRow {
  displayId: string;
  tenantId: string;
  storeId: string;
  status: string;
  firstSeenAt: Date | null;
  lastSeenAt: Date | null;
  lastPlayAt: Date | null;
  reportedVersion: string | null;
  reportedSince: Date | null;
  expectedVersion: string | null;
  expectedAt: Date | null;
  expectedItems: number | null;
  contentSince: Date | null;
  timezone: string | null;
  openingHours: OpeningWindow[] | null;
}

export const toAlertPayload = (a: Alert): AlertPayload => ({
  id: a.id,
  tenantId: a.tenantId,
  storeId: a.storeId,
  displayId: a.displayId,
  kind: a.kind,
  state: a.state,
  message: a.message,
  raisedAt: new Date(a.raisedAt).toISOString(),
  acknowledgedAt: a.acknowledgedAt ? new Date(a.acknowledgedAt).toISOString() : null,
  acknowledgedBy: a.acknowledgedBy,
  resolvedAt: a.resolvedAt ? new Date(a.resolvedAt).toISOString() : null,
});

export const fromAlertPayload = (p: AlertPayload): Alert =>
  Object.assign(new Alert(), {
    ...p,
    raisedAt: new Date(p.raisedAt),
    acknowledgedAt: p.acknowledgedAt ? new Date(p.acknowledgedAt) : null,
    resolvedAt: p.resolvedAt ? new Date(p.resolvedAt) : null,
  });

/**
 * Display health: the evaluator (the worker's `playback.health-sweep` job, and each written batch for its
 * display) turns display state into statuses and alerts; alerts are
 * raised once per display and kind (a partial unique index keeps replicas from doubling them), acknowledged
 * by people, and resolved automatically when their condition clears.
 */
export class AlertService {
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly pubsub: PlatformPubSub,
    private readonly notifications: NotificationService,
    private readonly webhooks: AlertWebhooks,
    private readonly clock: Clock,
    private readonly metrics: PlaybackMetrics,
    private readonly logger: Logger,
    readonly thresholds: HealthThresholds,
  ) {}

  /** Resolves when no evaluation is in flight. */
  idle(): Promise<void> {
    return this.running;
  }

  /** Every display now, for the health-sweep job: unlike `evaluate`, a failure is the caller's (the job's). */
  sweep(): Promise<void> {
    const run = this.running.then(() => this.evaluateNow());
    this.running = run.catch(() => undefined);
    return run;
  }

  /** Looks at every display (or the given ones) now; evaluations run one at a time. */
  evaluate(filter?: { tenantId: string; displayIds: string[] }): Promise<void> {
    const run = this.running.then(() =>
      this.evaluateNow(filter).catch((err: unknown) => this.logger.warn({ err }, 'display health evaluation failed')),
    );
    this.running = run;
    return run;
  }

  private async evaluateNow(filter?: { tenantId: string; displayIds: string[] }): Promise<void> {
    const now = this.clock.now();
    const params: unknown[] = [];
    let where = '';
    if (filter) {
      params.push(filter.tenantId, filter.displayIds);
      where = 'WHERE s."tenant_id" = $1 AND s."display_id" = ANY($2::uuid[])';
    }
    const rows = (await this.dataSource.query(
      `SELECT s."display_id" AS "displayId", s."tenant_id" AS "tenantId", s."store_id" AS "storeId", s."status",
         s."first_seen_at" AS "firstSeenAt", s."last_seen_at" AS "lastSeenAt", s."last_play_at" AS "lastPlayAt",
         s."reported_version" AS "reportedVersion", s."reported_since" AS "reportedSince",
         e."version" AS "expectedVersion", e."occurred_at" AS "expectedAt",
         e."items" AS "expectedItems", e."content_since" AS "contentSince",
         k."timezone", k."opening_hours" AS "openingHours"
       FROM ${tableName(this.dataSource, 'display_state')} s
       LEFT JOIN ${tableName(this.dataSource, 'expected_playlist')} e
         ON e."display_id" = s."display_id" AND e."tenant_id" = s."tenant_id"
       LEFT JOIN ${tableName(this.dataSource, 'known_store')} k
         ON k."id" = s."store_id" AND k."tenant_id" = s."tenant_id"
       ${where}`,
      params,
    )) as StateRow[];
    if (!rows.length) return;
    const open = await this.dataSource
      .getRepository(Alert)
      .createQueryBuilder('a')
      .where('a.state <> :resolved', { resolved: AlertState.RESOLVED })
      .andWhere('a.displayId IN (:...ids)', { ids: rows.map((r) => r.displayId) })
      .getMany();
    for (const row of rows) {
      const { status, conditions } = assess(row, now, this.thresholds);
      if (status !== row.status) await this.changeStatus(row, status, now);
      const mine = open.filter((a) => a.displayId === row.displayId && a.tenantId === row.tenantId);
      for (const kind of conditions) {
        if (!mine.some((a) => a.kind === kind)) await this.raise(row, kind, now);
      }
      for (const alert of mine) {
        if (!conditions.includes(alert.kind)) await this.resolve(alert, now);
      }
    }
  }

  private async changeStatus(row: StateRow, status: DisplayStatus, now: number): Promise<void> {
    // Compare-and-set: with several replicas evaluating, only one publishes the change.
    const [, affected] = (await this.dataSource.query(
      `UPDATE ${tableName(this.dataSource, 'display_state')} SET "status" = $3, "status_changed_at" = $4
       WHERE "display_id" = $1 AND "status" = $2`,
      [row.displayId, row.status, status, new Date(now)],
    )) as [unknown, number];
    if (!affected) return;
    const change: StatusPayload = {
      tenantId: row.tenantId,
      displayId: row.displayId,
      storeId: row.storeId,
      status,
      previous: row.status,
      lastSeenAt: row.lastSeenAt ? new Date(row.lastSeenAt).toISOString() : null,
      at: new Date(now).toISOString(),
    };
    this.pubsub.publish(statusChannel(row.tenantId, row.displayId), change);
    this.pubsub.publish(fleetStatusChannel(row.tenantId), change);
  }

  private async raise(row: StateRow, kind: AlertKind, now: number): Promise<void> {
    // The alert and its webhook deliveries commit together: none for an alert another replica raised first.
    const alert = await this.dataSource.transaction(async (m) => {
      const inserted = (await m.query(
        `INSERT INTO ${tableName(this.dataSource, 'alert')} ("tenant_id", "store_id", "display_id", "kind", "state", "message", "raised_at")
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT ("display_id", "kind") WHERE "state" <> 'RESOLVED' DO NOTHING
         RETURNING "id"`,
        [row.tenantId, row.storeId, row.displayId, kind, AlertState.RAISED, MESSAGES[kind], new Date(now)],
      )) as { id: string }[];
      const id = inserted[0]?.id;
      if (!id) return null;
      const raised = await m.getRepository(Alert).findOneByOrFail({ id });
      await this.webhooks.fanOut(m, toAlertPayload(raised), 'raised', new Date(now));
      return raised;
    });
    if (!alert) return;
    this.metrics.alertsRaised.inc({ kind });
    this.pubsub.publish(alertChannel(alert.tenantId, alert.storeId), toAlertPayload(alert));
    await this.notifications.alertRaised(alert);
  }

  private async resolve(alert: Alert, now: number): Promise<void> {
    const resolved = await this.dataSource.transaction(async (m) => {
      const [rows] = (await m.query(
        `UPDATE ${tableName(this.dataSource, 'alert')} SET "state" = $2, "resolved_at" = $3
         WHERE "id" = $1 AND "state" <> $2 RETURNING "id"`,
        [alert.id, AlertState.RESOLVED, new Date(now)],
      )) as [unknown[], number];
      if (!rows.length) return null;
      const done = Object.assign(alert, { state: AlertState.RESOLVED, resolvedAt: new Date(now) });
      await this.webhooks.fanOut(m, toAlertPayload(done), 'resolved', new Date(now));
      return done;
    });
    if (!resolved) return;
    this.metrics.alertsResolved.inc({ kind: alert.kind });
    this.pubsub.publish(alertChannel(alert.tenantId, alert.storeId), toAlertPayload(resolved));
  }

  /** A person has seen the alert; RESOLVED alerts stay resolved. */
  async acknowledge(scope: PlaybackScope, id: string): Promise<Alert> {
    const alert = await this.find(scope, id);
    scope.assertCanAcknowledge(alert.storeId);
    if (alert.state === AlertState.RAISED) {
      const at = new Date(this.clock.now());
      const changed = await this.dataSource.transaction(async (m) => {
        const { affected } = await m
          .getRepository(Alert)
          .update(
            { id, state: AlertState.RAISED },
            { state: AlertState.ACKNOWLEDGED, acknowledgedAt: at, acknowledgedBy: scope.who.subject },
          );
        if (!affected) return false;
        const acknowledged = await m.getRepository(Alert).findOneByOrFail({ id });
        await this.webhooks.fanOut(m, toAlertPayload(acknowledged), 'acknowledged', at);
        return true;
      });
      const updated = await this.find(scope, id);
      if (changed) this.pubsub.publish(alertChannel(updated.tenantId, updated.storeId), toAlertPayload(updated));
      return updated;
    }
    return alert;
  }

  async find(scope: PlaybackScope, id: string): Promise<Alert> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('Alert', id);
    const alert = await (
      await scope.scoped(Alert, 'a', { store: 'storeId', display: 'displayId' })
    )
      .andWhere('a.id = :id', { id })
      .getOne();
    if (!alert) throw notFound('Alert', id);
    return alert;
  }

  async list(
    scope: PlaybackScope,
    filter: {
      storeId?: string | null;
      displayId?: string | null;
      states?: AlertState[] | null;
      kind?: AlertKind | null;
    },
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<Alert>> {
    const qb = await scope.scoped(Alert, 'a', { store: 'storeId', display: 'displayId' });
    if (filter.storeId) qb.andWhere('a.storeId = :storeId', { storeId: filter.storeId });
    if (filter.displayId) qb.andWhere('a.displayId = :displayId', { displayId: filter.displayId });
    if (filter.states?.length) qb.andWhere('a.state IN (:...states)', { states: filter.states });
    if (filter.kind) qb.andWhere('a.kind = :kind', { kind: filter.kind });
    if ((filter.storeId && !isUuid(filter.storeId)) || (filter.displayId && !isUuid(filter.displayId))) {
      throw badInput('storeId and displayId must be UUIDs');
    }
    // Newest first: what a store page or an on-call person looks at.
    return paginate(qb, { first, after, sortColumn: 'raisedAt', direction: 'DESC' });
  }
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
