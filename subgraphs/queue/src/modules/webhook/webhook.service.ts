import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { type Clock, type Connection, forbidden, type Logger, paginate } from '@phub/kit';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { PersonalData } from '../../personal-data.js';
import { retryDelayMs } from '../../retry.js';
import type { QueueScope } from '../../scope.js';
import { isUuid, tableName } from '../../tables.js';
import { storeNotKnown } from '../line/line.errors.js';
import { KnownStore } from '../projection/projection.entity.js';
import type { Ticket, TicketActionKind } from '../ticket/ticket.entity.js';
import { descriptionTooLong, endpointNotFound, noEvents, tooManyEndpoints } from './webhook.errors.js';
import { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from './webhook.entity.js';
import type { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from './webhook.input.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook.signature.js';
import { assertPublicHost, parseWebhookUrl, safeLookup, type UrlPolicy } from './webhook.url.js';

export interface WebhookSettings extends UrlPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
  /** A claimed delivery whose sender died is tried again after this long. */
  leaseMs: number;
  timeoutMs: number;
}

/** A created endpoint and its signing secret, which is shown this once. */
export interface CreatedEndpoint {
  endpoint: WebhookEndpoint;
  secret: string;
}

const MAX_ENDPOINTS_PER_TENANT = 50;
type Outcome = 'delivered' | 'retrying' | 'failed';

/**
 * Outbound webhooks as Qminder has them: endpoints per tenant or store, each ticket event fanned out to the
 * matching ones in the transaction of the change (a delivery row with the frozen body), then POSTed by the
 * worker's `queue.webhooks` job, signed with HMAC-SHA256, retried with exponential backoff, every attempt
 * recorded on the delivery.
 */
export class WebhookService {
  private readonly lookup;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly personal: PersonalData,
    private readonly settings: WebhookSettings,
    private readonly logger?: Logger,
  ) {
    this.lookup = safeLookup(settings);
  }

  // --- endpoints ---

  async create(scope: QueueScope, input: CreateWebhookEndpointInput): Promise<CreatedEndpoint> {
    const storeId = input.storeId ?? null;
    this.assertManage(scope, storeId);
    if (storeId) {
      const known =
        isUuid(storeId) &&
        (await this.dataSource.manager.countBy(KnownStore, { id: storeId, tenantId: scope.tenantId }));
      if (!known) throw storeNotKnown(storeId);
    }
    const url = await this.checkedUrl(input.url);
    const events = this.checkedEvents(input.events);
    const description = this.checkedDescription(input.description);
    const count = await this.dataSource.manager.countBy(WebhookEndpoint, { tenantId: scope.tenantId });
    if (count >= MAX_ENDPOINTS_PER_TENANT) throw tooManyEndpoints(MAX_ENDPOINTS_PER_TENANT);
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const now = new Date(this.clock.now());
    const endpoint = Object.assign(new WebhookEndpoint(), {
      id,
      tenantId: scope.tenantId,
      storeId,
      url,
      events,
      description,
      secret: this.personal.seal(id, 'webhookSecret', secret)!,
      active: true,
      createdBy: scope.actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await this.dataSource.manager.insert(WebhookEndpoint, endpoint);
    return { endpoint, secret };
  }

  /** The endpoints the viewer manages: HQ admins all of the tenant's, store managers their stores'. */
  async list(scope: QueueScope, storeId?: string | null): Promise<WebhookEndpoint[]> {
    const qb = this.dataSource
      .getRepository(WebhookEndpoint)
      .createQueryBuilder('e')
      .where('e.tenantId = :t', { t: scope.tenantId });
    if (storeId) {
      if (!isUuid(storeId)) return [];
      qb.andWhere('e.storeId = :s', { s: storeId });
    }
    const rows = await qb.orderBy('e.createdAt').addOrderBy('e.id').getMany();
    return rows.filter((e) => scope.canManageWebhooks(e.storeId));
  }

  async get(scope: QueueScope, id: string): Promise<WebhookEndpoint> {
    const endpoint = isUuid(id) ? await this.dataSource.manager.findOneBy(WebhookEndpoint, { id }) : null;
    if (!endpoint || endpoint.tenantId !== scope.tenantId || !scope.canManageWebhooks(endpoint.storeId)) {
      throw endpointNotFound(id);
    }
    return endpoint;
  }

  async update(scope: QueueScope, input: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
    const endpoint = await this.get(scope, input.id);
    if (input.url != null) endpoint.url = await this.checkedUrl(input.url);
    if (input.events != null) endpoint.events = this.checkedEvents(input.events);
    if (input.description !== undefined) endpoint.description = this.checkedDescription(input.description);
    if (input.active != null) endpoint.active = input.active;
    endpoint.updatedAt = new Date(this.clock.now());
    return this.dataSource.manager.save(endpoint);
  }

  /** Deletes the endpoint and its delivery log. */
  async remove(scope: QueueScope, id: string): Promise<boolean> {
    const endpoint = await this.get(scope, id);
    await this.dataSource.manager.delete(WebhookEndpoint, { id: endpoint.id });
    return true;
  }

  deliveries(
    endpoint: WebhookEndpoint,
    status?: WebhookDeliveryStatus | null,
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<WebhookDelivery>> {
    const qb = this.dataSource
      .getRepository(WebhookDelivery)
      .createQueryBuilder('d')
      .where('d.endpointId = :e', { e: endpoint.id });
    if (status) qb.andWhere('d.status = :status', { status });
    return paginate(qb, { first, after, sortColumn: 'createdAt', direction: 'DESC' });
  }

  private assertManage(scope: QueueScope, storeId: string | null): void {
    if (!scope.canManageWebhooks(storeId)) {
      throw forbidden(
        storeId
          ? `You may not manage the webhooks of store ${storeId}`
          : 'Only HQ admins manage tenant-wide webhooks; store managers name one of their stores',
      );
    }
  }

  private async checkedUrl(raw: string): Promise<string> {
    const url = parseWebhookUrl(raw, this.settings);
    await assertPublicHost(url, this.settings);
    return url.toString();
  }

  private checkedEvents(events: TicketActionKind[]): TicketActionKind[] {
    const unique = [...new Set(events)];
    if (!unique.length) throw noEvents();
    return unique;
  }

  private checkedDescription(description: string | null | undefined): string | null {
    const d = description?.trim() || null;
    if (d && d.length > 200) throw descriptionTooLong();
    return d;
  }

  // --- fan-out (inside the ticket change's transaction) ---

  /** A delivery per active endpoint of the tenant (or of the ticket's store) that wants this event. */
  async fanOut(
    m: EntityManager,
    ticket: Ticket,
    event: TicketActionKind,
    eventId: string,
    body: object,
  ): Promise<number> {
    const now = new Date(this.clock.now());
    const rows = (await m.query(
      `INSERT INTO ${tableName(m, 'webhook_delivery')} ("id", "endpoint_id", "tenant_id", "store_id", "event_id",
         "event", "ticket_id", "payload", "status", "attempts", "created_at", "next_attempt_at")
       SELECT gen_random_uuid(), e."id", e."tenant_id", $2, $3, $4, $5, $6::jsonb, 'PENDING', 0, $7, $7
       FROM ${tableName(m, 'webhook_endpoint')} e
       WHERE e."tenant_id" = $1 AND e."active" AND (e."store_id" IS NULL OR e."store_id" = $2) AND $4 = ANY(e."events")
       RETURNING "id"`,
      [ticket.tenantId, ticket.storeId, eventId, event, ticket.id, JSON.stringify(body), now],
    )) as { id: string }[];
    return rows.length;
  }

  // --- delivering (the worker's queue.webhooks job) ---

  /** Delivers every due delivery, a batch at a time (in parallel within it), until none is left or `signal` aborts. */
  async dispatchDue(signal?: AbortSignal, batchSize = 10): Promise<Record<Outcome, number>> {
    const result: Record<Outcome, number> = { delivered: 0, retrying: 0, failed: 0 };
    while (!signal?.aborted) {
      const batch = await this.claim(batchSize);
      if (!batch.length) break;
      // Endpoints side by side; one endpoint's deliveries one after another, oldest first.
      const byEndpoint = new Map<string, WebhookDelivery[]>();
      for (const d of batch) byEndpoint.set(d.endpointId, [...(byEndpoint.get(d.endpointId) ?? []), d]);
      await Promise.all(
        [...byEndpoint.values()].map(async (list) => {
          for (const d of list) result[await this.deliver(d, signal)] += 1;
        }),
      );
    }
    return result;
  }

  private async claim(limit: number): Promise<WebhookDelivery[]> {
    const now = this.clock.now();
    const table = tableName(this.dataSource, 'webhook_delivery');
    const [rows] = (await this.dataSource.query(
      `UPDATE ${table} SET "attempts" = "attempts" + 1, "next_attempt_at" = $2, "last_attempt_at" = $1
       WHERE "id" IN (SELECT "id" FROM ${table} WHERE "status" = 'PENDING' AND "next_attempt_at" <= $1
                      ORDER BY "next_attempt_at" LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING "id"`,
      [new Date(now), new Date(now + this.settings.leaseMs), limit],
    )) as [{ id: string }[], number];
    if (!rows.length) return [];
    return this.dataSource.manager.find(WebhookDelivery, {
      where: { id: In(rows.map((r) => r.id)) },
      order: { createdAt: 'ASC' },
    });
  }

  private async deliver(delivery: WebhookDelivery, signal?: AbortSignal): Promise<Outcome> {
    const endpoint = await this.dataSource.manager.findOneBy(WebhookEndpoint, { id: delivery.endpointId });
    if (!endpoint?.active) return this.settle(delivery, null, 'the endpoint was deactivated', true);
    let status: number | null = null;
    try {
      const url = parseWebhookUrl(endpoint.url, this.settings);
      const secret = this.personal.open(endpoint.id, 'webhookSecret', endpoint.secret)!;
      const body = JSON.stringify(delivery.payload);
      const timestamp = Math.floor(this.clock.now() / 1000);
      status = await this.post(
        url,
        body,
        {
          'content-type': 'application/json',
          'user-agent': 'phub-webhooks/1',
          'phub-event': delivery.event,
          'phub-delivery': delivery.id,
          [SIGNATURE_HEADER]: signWebhook(secret, body, timestamp),
        },
        signal,
      );
    } catch (err) {
      return this.settle(delivery, null, err instanceof Error ? err.message : String(err), false);
    }
    if (status >= 200 && status < 300) return this.settle(delivery, status, null, false);
    // 410 Gone: the receiver says the endpoint is no more; anything else may pass.
    return this.settle(
      delivery,
      status,
      `HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`,
      status === 410,
    );
  }

  private async settle(
    d: WebhookDelivery,
    statusCode: number | null,
    error: string | null,
    permanent: boolean,
  ): Promise<Outcome> {
    const now = this.clock.now();
    const repo = this.dataSource.getRepository(WebhookDelivery);
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
    if (permanent || d.attempts >= this.settings.maxAttempts) {
      await repo.update(where, {
        status: WebhookDeliveryStatus.FAILED,
        lastStatusCode: statusCode,
        lastError,
        failedAt: new Date(now),
      });
      this.logger?.warn(
        { deliveryId: d.id, endpointId: d.endpointId, attempts: d.attempts, error },
        'webhook failed for good',
      );
      return 'failed';
    }
    const delay = retryDelayMs(d.attempts, this.settings.retryBaseMs, this.settings.retryCapMs);
    await repo.update(where, { lastStatusCode: statusCode, lastError, nextAttemptAt: new Date(now + delay) });
    return 'retrying';
  }

  /** One POST; resolves with the status code. The socket connects only to a checked address (safeLookup). */
  private post(url: URL, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<number> {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<number>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup: this.lookup,
          timeout: this.settings.timeoutMs,
          ...(signal ? { signal } : {}),
        },
        (res) => {
          // The answer's body is not kept; read (and drop) it so the socket is freed.
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.settings.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
