import { randomBytes, randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { Role } from '../auth/viewer.js';
import type { Clock } from '../clock.js';
import type { AlongsideStatement } from '../bus/outbox.js';
import { badInput, conflict, forbidden, notFound } from '../errors.js';
import type { Logger } from '../logger.js';
import { type Connection, paginate } from '../relay.js';
import { outboundMetrics } from '../metrics.js';
import type { Visibility } from '../visibility/visibility.js';
import type { WebhookEgress } from './webhook.egress.js';
import { WebhookDeliveryRecord, WebhookDeliveryStatus, WebhookEndpointRecord } from './webhook.entity.js';
import type { WebhookSecrets } from './webhook.secrets.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook.signature.js';
import { assertPublicHost, parseWebhookUrl, type UrlPolicy } from './webhook.url.js';

export interface RetrySettings {
  /** Attempts before a delivery is FAILED. */
  maxAttempts: number;
  /** First retry after this long, doubled after each further failure… */
  retryBaseMs: number;
  /** …up to this long. */
  retryCapMs: number;
  /** A claimed delivery whose sender died is tried again after this long. */
  leaseMs: number;
}

/** How long to wait after `attempt` failed attempts: base·2^(attempt−1), at most `capMs`. */
export function webhookBackoffMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** One event of a family, as an adopting subgraph hands it over (in its transaction, or from the bus). */
export interface WebhookEvent {
  tenantId: string;
  /** Null for a tenant-wide event: only tenant-wide endpoints receive it. */
  storeId: string | null;
  /** One of the family's event names. */
  event: string;
  /** The same for every endpoint; receivers deduplicate by it. */
  eventId: string;
  subjectId: string;
  /** The JSON body; never personal data. */
  payload: object;
}

export interface EndpointInput {
  storeId?: string | null;
  url: string;
  events: string[];
  description?: string | null;
}

export interface EndpointChange {
  id: string;
  url?: string | null;
  events?: string[] | null;
  description?: string | null;
  active?: boolean | null;
}

/** A created endpoint and its signing secret, which is shown this once. */
export interface CreatedEndpoint {
  endpoint: WebhookEndpointRecord;
  secret: string;
}

export interface WebhookHubOptions {
  /** The family's name: `queue` → job `queue.webhooks`. */
  family: string;
  /** Every event name of the family (what endpoints may subscribe to). */
  events: readonly string[];
  dataSource: DataSource;
  clock: Clock;
  retry: RetrySettings;
  urls: UrlPolicy;
  egress: WebhookEgress;
  /** The secrets' data key, opened once on first use (async: KMS). */
  secrets: () => Promise<WebhookSecrets>;
  /** Whether the tenant has this store (the subgraph's projection); without it any id is taken. */
  storeExists?: (tenantId: string, storeId: string) => Promise<boolean>;
  /** Wakes the delivery job after a commit that queued deliveries (best effort). */
  nudge?: () => void;
  logger?: Logger;
}

export type DispatchOutcome = 'delivered' | 'retrying' | 'failed';
const MAX_ENDPOINTS_PER_TENANT = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (s: string) => UUID.test(s);

/**
 * One family's outbound webhooks in one subgraph: the endpoint registry, fan-out of events into a delivery
 * log (in the event's own transaction, or from the bus), and delivery by the worker's `<family>.webhooks`
 * job: signed with HMAC-SHA256, retried with exponential backoff up to a cap, every attempt on record, and any
 * logged delivery sent again on request.
 *
 * Who manages endpoints is the kit's visibility rule in the family's domain: HQ admins tenant-wide or for any
 * store, store managers for their stores, partners (API clients) with the domain's read scope — FORBIDDEN
 * without it — and then only their own endpoints. Another tenant's endpoint is NOT_FOUND.
 */
export class WebhookHub {
  readonly jobName: string;

  constructor(private readonly o: WebhookHubOptions) {
    this.jobName = `${o.family}.webhooks`;
  }

  get family(): string {
    return this.o.family;
  }

  // --- who ---

  /** Whether the viewer manages any endpoints of this family at all (FORBIDDEN for a partner without the scope). */
  private assertMayManage(scope: Visibility): void {
    if (scope.isPartner) return scope.assertCanRead();
    if (scope.isHqAdmin || (scope.isPerson && scope.who.roles.includes(Role.STORE_MANAGER))) return;
    throw forbidden('Webhooks are managed by HQ admins, store managers and partners');
  }

  private assertMayCreate(scope: Visibility, storeId: string | null): void {
    this.assertMayManage(scope);
    if (scope.isPartner) return;
    const ok = storeId === null ? scope.isHqAdmin : scope.canManageStore(storeId);
    if (!ok) {
      throw forbidden(
        storeId
          ? `You may not manage the webhooks of store ${storeId}`
          : 'Only HQ admins and partners manage tenant-wide webhooks; store managers name one of their stores',
      );
    }
  }

  /** An endpoint the viewer manages: its tenant's, and a partner's own, a store manager's stores'. */
  private manages(scope: Visibility, e: WebhookEndpointRecord): boolean {
    if (e.tenantId !== scope.tenantId) return false;
    if (scope.isPartner) return e.createdBy === scope.subject;
    return e.storeId === null ? scope.isHqAdmin : scope.canManageStore(e.storeId);
  }

  // --- endpoints ---

  async create(scope: Visibility, input: EndpointInput): Promise<CreatedEndpoint> {
    const storeId = input.storeId ?? null;
    this.assertMayCreate(scope, storeId);
    if (storeId) {
      const known = isUuid(storeId) && (await (this.o.storeExists?.(scope.tenantId, storeId) ?? true));
      if (!known) throw notFound('Store', storeId);
    }
    const url = await this.checkedUrl(input.url);
    const events = this.checkedEvents(input.events);
    const description = this.checkedDescription(input.description);
    const m = this.o.dataSource.manager;
    const count = await m.countBy(WebhookEndpointRecord, { tenantId: scope.tenantId });
    if (count >= MAX_ENDPOINTS_PER_TENANT) {
      throw conflict(`A tenant has at most ${MAX_ENDPOINTS_PER_TENANT} webhook endpoints of one kind`, {
        reason: 'WEBHOOK_LIMIT',
        limit: MAX_ENDPOINTS_PER_TENANT,
      });
    }
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const now = new Date(this.o.clock.now());
    const endpoint = Object.assign(new WebhookEndpointRecord(), {
      id,
      tenantId: scope.tenantId,
      storeId,
      url,
      events,
      description,
      secret: (await this.o.secrets()).seal(id, secret),
      active: true,
      createdBy: scope.subject,
      createdAt: now,
      updatedAt: now,
    });
    await m.insert(WebhookEndpointRecord, endpoint);
    return { endpoint, secret };
  }

  /** The endpoints the viewer manages (optionally one store's), oldest first. */
  async list(scope: Visibility, storeId?: string | null): Promise<WebhookEndpointRecord[]> {
    this.assertMayManage(scope);
    const qb = this.o.dataSource
      .getRepository(WebhookEndpointRecord)
      .createQueryBuilder('e')
      .where('e.tenantId = :t', { t: scope.tenantId });
    if (storeId) {
      if (!isUuid(storeId)) return [];
      qb.andWhere('e.storeId = :s', { s: storeId });
    }
    const rows = await qb.orderBy('e.createdAt').addOrderBy('e.id').getMany();
    return rows.filter((e) => this.manages(scope, e));
  }

  async get(scope: Visibility, id: string): Promise<WebhookEndpointRecord> {
    this.assertMayManage(scope);
    const e = isUuid(id) ? await this.o.dataSource.manager.findOneBy(WebhookEndpointRecord, { id }) : null;
    if (!e || !this.manages(scope, e)) throw notFound('WebhookEndpoint', id);
    return e;
  }

  async update(scope: Visibility, change: EndpointChange): Promise<WebhookEndpointRecord> {
    const e = await this.get(scope, change.id);
    if (change.url != null) e.url = await this.checkedUrl(change.url);
    if (change.events != null) e.events = this.checkedEvents(change.events);
    if (change.description !== undefined) e.description = this.checkedDescription(change.description);
    if (change.active != null) e.active = change.active;
    e.updatedAt = new Date(this.o.clock.now());
    return this.o.dataSource.manager.save(e);
  }

  /** Deletes the endpoint and its delivery log. */
  async remove(scope: Visibility, id: string): Promise<boolean> {
    const e = await this.get(scope, id);
    await this.o.dataSource.manager.delete(WebhookEndpointRecord, { id: e.id });
    return true;
  }

  /** An endpoint's delivery log, newest first (the endpoint was checked when it was read). */
  deliveries(
    endpoint: WebhookEndpointRecord,
    status?: WebhookDeliveryStatus | null,
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<WebhookDeliveryRecord>> {
    const qb = this.o.dataSource
      .getRepository(WebhookDeliveryRecord)
      .createQueryBuilder('d')
      .where('d.endpointId = :e', { e: endpoint.id });
    if (status) qb.andWhere('d.status = :status', { status });
    return paginate(qb, { first, after, sortColumn: 'createdAt', direction: 'DESC' });
  }

  /**
   * Sends a logged delivery again (whatever its outcome): a new delivery of the same event, body and event
   * id, due now, that names the one it repeats. Another tenant's, or another partner's, is NOT_FOUND.
   */
  async redeliver(scope: Visibility, deliveryId: string): Promise<WebhookDeliveryRecord> {
    this.assertMayManage(scope);
    const m = this.o.dataSource.manager;
    const original = isUuid(deliveryId) ? await m.findOneBy(WebhookDeliveryRecord, { id: deliveryId }) : null;
    const endpoint = original ? await m.findOneBy(WebhookEndpointRecord, { id: original.endpointId }) : null;
    if (!original || !endpoint || !this.manages(scope, endpoint)) throw notFound('WebhookDelivery', deliveryId);
    if (!endpoint.active) {
      throw conflict('The endpoint is inactive: activate it before redelivering', { reason: 'WEBHOOK_INACTIVE' });
    }
    const now = new Date(this.o.clock.now());
    const copy = Object.assign(new WebhookDeliveryRecord(), {
      id: randomUUID(),
      endpointId: original.endpointId,
      tenantId: original.tenantId,
      storeId: original.storeId,
      eventId: original.eventId,
      event: original.event,
      subjectId: original.subjectId,
      payload: original.payload,
      status: WebhookDeliveryStatus.PENDING,
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      createdAt: now,
      nextAttemptAt: now,
      lastAttemptAt: null,
      deliveredAt: null,
      failedAt: null,
      redeliveryOf: original.id,
    });
    await m.save(copy);
    this.o.nudge?.();
    return copy;
  }

  private async checkedUrl(raw: string): Promise<string> {
    const url = parseWebhookUrl(raw, this.o.urls);
    await assertPublicHost(url, this.o.urls);
    return url.toString();
  }

  private checkedEvents(events: string[]): string[] {
    const unique = [...new Set(events)];
    if (!unique.length) throw badInput(`events: at least one ${this.o.family} event`, { field: 'events' });
    const unknown = unique.filter((e) => !this.o.events.includes(e));
    if (unknown.length) throw badInput(`events: unknown ${unknown.join(', ')}`, { field: 'events' });
    return unique;
  }

  private checkedDescription(description: string | null | undefined): string | null {
    const d = description?.trim() || null;
    if (d && d.length > 200) throw badInput('description: at most 200 characters', { field: 'description' });
    return d;
  }

  // --- fan-out ---

  /**
   * A delivery per active endpoint of the tenant (tenant-wide, or of the event's store) that wants the event,
   * written with `m` — inside the change's transaction, so the event and its deliveries commit together.
   * The same event twice (a bus message handled again) adds nothing.
   */
  async fanOut(m: EntityManager, e: WebhookEvent): Promise<number> {
    const { sql, params } = this.fanOutStatement(m, e);
    return ((await m.query(sql, params)) as { id: string }[]).length;
  }

  /** `fanOut` as a statement, to run with other writes of the change in one (the kit's `enqueueWith`). */
  fanOutStatement(m: EntityManager, e: WebhookEvent): AlongsideStatement {
    const now = new Date(this.o.clock.now());
    const schema = m.connection.driver.schema ?? 'public';
    return {
      sql: `INSERT INTO "${schema}"."webhook_delivery" ("id", "endpoint_id", "tenant_id", "store_id", "event_id",
         "event", "subject_id", "payload", "status", "attempts", "created_at", "next_attempt_at")
       SELECT gen_random_uuid(), e."id", e."tenant_id", $2::uuid, $3, $4, $5, $6::jsonb, 'PENDING', 0, $7, $7
       FROM "${schema}"."webhook_endpoint" e
       WHERE e."tenant_id" = $1 AND e."active" AND $4 = ANY(e."events")
         AND (e."store_id" IS NULL OR e."store_id" = $2::uuid)
       ON CONFLICT ("endpoint_id", "event_id") WHERE "redelivery_of" IS NULL DO NOTHING
       RETURNING "id"`,
      params: [e.tenantId, e.storeId, e.eventId, e.event, e.subjectId, JSON.stringify(e.payload), now],
    };
  }

  /** Fans out in a transaction of its own and wakes the job: for events taken from the bus. */
  async fanOutNow(events: WebhookEvent[]): Promise<number> {
    if (!events.length) return 0;
    const n = await this.o.dataSource.transaction(async (m) => {
      let total = 0;
      for (const e of events) total += await this.fanOut(m, e);
      return total;
    });
    if (n) this.o.nudge?.();
    return n;
  }

  // --- delivering (the worker's `<family>.webhooks` job) ---

  /** Delivers every due delivery, a batch at a time (in parallel within it), until none is left or `signal` aborts. */
  async dispatchDue(signal?: AbortSignal, batchSize = 10): Promise<Record<DispatchOutcome, number>> {
    const result: Record<DispatchOutcome, number> = { delivered: 0, retrying: 0, failed: 0 };
    while (!signal?.aborted) {
      const batch = await this.claim(batchSize);
      if (!batch.length) break;
      // Endpoints side by side; one endpoint's deliveries one after another, oldest first.
      const byEndpoint = new Map<string, WebhookDeliveryRecord[]>();
      for (const d of batch) byEndpoint.set(d.endpointId, [...(byEndpoint.get(d.endpointId) ?? []), d]);
      await Promise.all(
        [...byEndpoint.values()].map(async (list) => {
          for (const d of list) result[await this.deliver(d, signal)] += 1;
        }),
      );
    }
    return result;
  }

  private async claim(limit: number): Promise<WebhookDeliveryRecord[]> {
    const now = this.o.clock.now();
    const ds = this.o.dataSource;
    const table = `"${ds.driver.schema ?? 'public'}"."webhook_delivery"`;
    const [rows] = (await ds.query(
      `UPDATE ${table} SET "attempts" = "attempts" + 1, "next_attempt_at" = $2, "last_attempt_at" = $1
       WHERE "id" IN (SELECT "id" FROM ${table} WHERE "status" = 'PENDING' AND "next_attempt_at" <= $1
                      ORDER BY "next_attempt_at" LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING "id"`,
      [new Date(now), new Date(now + this.o.retry.leaseMs), limit],
    )) as [{ id: string }[], number];
    if (!rows.length) return [];
    return ds.manager.find(WebhookDeliveryRecord, {
      where: { id: In(rows.map((r) => r.id)) },
      order: { createdAt: 'ASC' },
    });
  }

  private async deliver(d: WebhookDeliveryRecord, signal?: AbortSignal): Promise<DispatchOutcome> {
    const endpoint = await this.o.dataSource.manager.findOneBy(WebhookEndpointRecord, { id: d.endpointId });
    if (!endpoint?.active) return this.settle(d, null, 'the endpoint was deactivated', true);
    let status: number;
    try {
      const url = parseWebhookUrl(endpoint.url, this.o.urls);
      const secret = (await this.o.secrets()).open(endpoint.id, endpoint.secret);
      const body = JSON.stringify(d.payload);
      const timestamp = Math.floor(this.o.clock.now() / 1000);
      status = await this.o.egress.post(
        url,
        body,
        {
          'content-type': 'application/json',
          'user-agent': 'phub-webhooks/1',
          'phub-event': d.event,
          'phub-event-id': d.eventId,
          'phub-delivery': d.id,
          [SIGNATURE_HEADER]: signWebhook(secret, body, timestamp),
        },
        signal,
      );
    } catch (err) {
      return this.settle(d, null, err instanceof Error ? err.message : String(err), false);
    }
    if (status >= 200 && status < 300) return this.settle(d, status, null, false);
    // 410 Gone: the receiver says the endpoint is no more; anything else may pass.
    return this.settle(
      d,
      status,
      `HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`,
      status === 410,
    );
  }

  private async settle(
    d: WebhookDeliveryRecord,
    statusCode: number | null,
    error: string | null,
    permanent: boolean,
  ): Promise<DispatchOutcome> {
    const outcome = await this.record(d, statusCode, error, permanent);
    outboundMetrics.count('webhook', this.o.family, outcome);
    return outcome;
  }

  private async record(
    d: WebhookDeliveryRecord,
    statusCode: number | null,
    error: string | null,
    permanent: boolean,
  ): Promise<DispatchOutcome> {
    const now = this.o.clock.now();
    const repo = this.o.dataSource.getRepository(WebhookDeliveryRecord);
    const where = { id: d.id, status: WebhookDeliveryStatus.PENDING };
    if (!error) {
      await repo.update(where, {
        status: WebhookDeliveryStatus.DELIVERED,
        lastStatusCode: statusCode,
        lastError: null,
        deliveredAt: new Date(now),
      });
      return 'delivered';
    }
    const lastError = error.slice(0, 500);
    if (permanent || d.attempts >= this.o.retry.maxAttempts) {
      await repo.update(where, {
        status: WebhookDeliveryStatus.FAILED,
        lastStatusCode: statusCode,
        lastError,
        failedAt: new Date(now),
      });
      this.o.logger?.warn(
        { deliveryId: d.id, endpointId: d.endpointId, attempts: d.attempts, error },
        'webhook failed for good',
      );
      return 'failed';
    }
    const delay = webhookBackoffMs(d.attempts, this.o.retry.retryBaseMs, this.o.retry.retryCapMs);
    await repo.update(where, { lastStatusCode: statusCode, lastError, nextAttemptAt: new Date(now + delay) });
    return 'retrying';
  }
}
