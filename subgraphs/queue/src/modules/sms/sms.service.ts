import { randomUUID } from 'node:crypto';
import { type Clock, type Connection, type Logger, outboundMetrics, paginate } from '@phub/kit';
import { type DataSource, type EntityManager, In } from 'typeorm';
import type { PersonalData } from '../../personal-data.js';
import { retryDelayMs } from '../../retry.js';
import type { QueueScope } from '../../scope.js';
import { isUniqueViolation, isUuid, tableName } from '../../tables.js';
import { Line } from '../line/line.entity.js';
import { storeNotKnown } from '../line/line.errors.js';
import { KnownStore } from '../projection/projection.entity.js';
import { phoneInvalid } from '../ticket/ticket.errors.js';
import { normalisePhone } from '../ticket/ticket.rules.js';
import { Ticket, TicketState } from '../ticket/ticket.entity.js';
import { SmsKind, SmsMessage, SmsStatus } from './sms.entity.js';
import { reminderInPast, reminderLine, reminderReference } from './sms.errors.js';
import { maskPhone, smsText } from './sms.rules.js';
import { SmsSendError, type SmsTransport } from './sms.transport.js';

export interface SmsSettings {
  /** Attempts before a message is FAILED (a permanent refusal fails it at once). */
  maxAttempts: number;
  /** Wait after the first failed attempt; doubled after each further one, up to `retryCapMs`. */
  retryBaseMs: number;
  retryCapMs: number;
  /** A claimed message whose sender died is tried again after this long. */
  leaseMs: number;
  /** How long before an appointment its reminder goes, unless the caller says when. */
  reminderLeadMs: number;
}

/**
 * What an appointments module asks for: an SMS reminding the holder of `phone` of an appointment at `storeId`
 * on `appointmentAt`. One per `reference` (asking again returns the one already queued or sent; one withdrawn by
 * `cancelReminder` is queued again); with `smsConsent` false nothing is queued (null).
 */
export interface ReminderRequest {
  tenantId: string;
  storeId: string;
  phone: string;
  appointmentAt: Date;
  reference: string;
  smsConsent: boolean;
  /** When to send; default `reminderLeadMs` before the appointment, or at once when that has passed. */
  sendAt?: Date;
  /** The line (service) of the appointment, named in the text. */
  lineId?: string | null;
}

export interface SmsFilter {
  storeId?: string | null;
  status?: SmsStatus | null;
}

export interface DispatchResult {
  sent: number;
  retrying: number;
  failed: number;
  cancelled: number;
}

/**
 * SMS to visitors: queued in the transaction of the change that calls for them (only with the visitor's
 * consent), sent later by the worker's `queue.sms` job through the transport (SNS, or the outbox table), with
 * retries and backoff recorded on the row. Phone numbers are sealed like the tickets' personal data.
 */
export class SmsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly personal: PersonalData,
    private readonly transport: SmsTransport,
    private readonly settings: SmsSettings,
    private readonly logger?: Logger,
  ) {}

  // --- queueing (inside the caller's transaction) ---

  /** Queues a ticket's SMS when its visitor consented and left a number; false when it did not (or already went). */
  async queueForTicket(m: EntityManager, ticket: Ticket, kind: SmsKind.NEXT | SmsKind.CALLED, body: string) {
    if (!ticket.smsConsent || !ticket.visitorPhone) return false;
    const phone = this.personal.open(ticket.id, 'visitorPhone', ticket.visitorPhone);
    if (!phone) return false;
    const now = new Date(this.clock.now());
    const id = randomUUID();
    // "You are next" goes once per ticket: the partial unique index keeps a second one out.
    const rows = (await m.query(
      `INSERT INTO ${tableName(m, 'sms_message')} ("id", "tenant_id", "store_id", "ticket_id", "kind", "recipient",
         "recipient_masked", "body", "status", "attempts", "created_at", "send_after", "next_attempt_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'QUEUED', 0, $9, $9, $9)
       ON CONFLICT ("ticket_id") WHERE "kind" = 'NEXT' DO NOTHING RETURNING "id"`,
      [
        id,
        ticket.tenantId,
        ticket.storeId,
        ticket.id,
        kind,
        this.personal.seal(id, 'recipient', phone),
        maskPhone(phone),
        body,
        now,
      ],
    )) as { id: string }[];
    return rows.length > 0;
  }

  /** Queues an appointment reminder (see ReminderRequest); pass the caller's transaction to make it part of it. */
  async scheduleReminder(
    request: ReminderRequest,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SmsMessage | null> {
    const phone = normalisePhone(request.phone);
    if (!phone) throw phoneInvalid();
    const reference = request.reference.trim();
    if (!reference || reference.length > 200) throw reminderReference();
    const now = this.clock.now();
    if (request.appointmentAt.getTime() <= now) throw reminderInPast();
    if (!isUuid(request.storeId)) throw storeNotKnown(request.storeId);
    const store = await manager.findOneBy(KnownStore, { id: request.storeId, tenantId: request.tenantId });
    if (!store || store.archivedAt) throw storeNotKnown(request.storeId);
    let lineName: string | null = null;
    if (request.lineId) {
      const line = isUuid(request.lineId) ? await manager.findOneBy(Line, { id: request.lineId }) : null;
      if (!line || line.storeId !== store.id || line.tenantId !== request.tenantId) throw reminderLine(request.lineId);
      lineName = line.name;
    }
    if (!request.smsConsent) return null;
    const existing = await manager.findOneBy(SmsMessage, {
      tenantId: request.tenantId,
      kind: SmsKind.REMINDER,
      reference,
    });
    const sendAt = new Date(
      Math.max(now, request.sendAt?.getTime() ?? request.appointmentAt.getTime() - this.settings.reminderLeadMs),
    );
    const body = smsText.reminder(request.appointmentAt, store.timezone, lineName);
    if (existing?.status === SmsStatus.CANCELLED) {
      // Withdrawn, then asked for again (an appointment moved away and back): it goes after all, as asked now.
      Object.assign(existing, {
        status: SmsStatus.QUEUED,
        recipient: this.personal.seal(existing.id, 'recipient', phone)!,
        recipientMasked: maskPhone(phone),
        body,
        attempts: 0,
        lastError: null,
        sendAfter: sendAt,
        nextAttemptAt: sendAt,
      });
      return manager.save(existing);
    }
    if (existing) return existing;
    const id = randomUUID();
    const row = Object.assign(new SmsMessage(), {
      id,
      tenantId: request.tenantId,
      storeId: store.id,
      ticketId: null,
      kind: SmsKind.REMINDER,
      reference,
      recipient: this.personal.seal(id, 'recipient', phone)!,
      recipientMasked: maskPhone(phone),
      body,
      status: SmsStatus.QUEUED,
      transport: null,
      providerMessageId: null,
      attempts: 0,
      lastError: null,
      createdAt: new Date(now),
      sendAfter: sendAt,
      nextAttemptAt: sendAt,
      sentAt: null,
      failedAt: null,
    });
    try {
      await manager.insert(SmsMessage, row);
    } catch (err) {
      // The same reference asked for twice at once: the first one stands.
      if (!isUniqueViolation(err)) throw err;
      return manager.findOneByOrFail(SmsMessage, { tenantId: request.tenantId, kind: SmsKind.REMINDER, reference });
    }
    return row;
  }

  /** Cancels a reminder not sent yet (the appointment moved or was cancelled); false when there is none to cancel. */
  async cancelReminder(
    tenantId: string,
    reference: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const [, count] = (await manager.query(
      `UPDATE ${tableName(manager, 'sms_message')} SET "status" = 'CANCELLED', "last_error" = 'reminder cancelled'
       WHERE "tenant_id" = $1 AND "kind" = 'REMINDER' AND "reference" = $2 AND "status" = 'QUEUED'`,
      [tenantId, reference.trim()],
    )) as [unknown, number];
    return count > 0;
  }

  // --- reads ---

  /** The outbox: messages of the stores the viewer may read, newest first. */
  list(scope: QueueScope, filter: SmsFilter, first?: number | null, after?: string | null) {
    const qb = this.dataSource
      .getRepository(SmsMessage)
      .createQueryBuilder('m')
      .where('m.tenantId = :t', { t: scope.tenantId });
    const stores = scope.visibleStores();
    if (filter.storeId) {
      if (!isUuid(filter.storeId) || !scope.canRead(scope.tenantId, filter.storeId)) qb.andWhere('FALSE');
      else qb.andWhere('m.storeId = :s', { s: filter.storeId });
    } else if (stores !== 'all') {
      qb.andWhere(stores.length ? 'm.storeId IN (:...stores)' : 'FALSE', { stores });
    }
    if (filter.status) qb.andWhere('m.status = :status', { status: filter.status });
    return paginate(qb, { first, after, sortColumn: 'createdAt', direction: 'DESC' }) as Promise<
      Connection<SmsMessage>
    >;
  }

  forTicket(ticketId: string): Promise<SmsMessage[]> {
    return this.dataSource.manager.find(SmsMessage, { where: { ticketId }, order: { createdAt: 'ASC', kind: 'ASC' } });
  }

  forTickets(ticketIds: readonly string[]): Promise<SmsMessage[]> {
    return this.dataSource.manager.find(SmsMessage, {
      where: { ticketId: In([...ticketIds]) },
      order: { createdAt: 'ASC', kind: 'ASC' },
    });
  }

  // --- sending (the worker's queue.sms job) ---

  /** Sends every message that is due, a batch at a time, until none is left or `signal` aborts. */
  async dispatchDue(signal?: AbortSignal, batchSize = 20): Promise<DispatchResult> {
    const result: DispatchResult = { sent: 0, retrying: 0, failed: 0, cancelled: 0 };
    while (!signal?.aborted) {
      const batch = await this.claim(batchSize);
      if (!batch.length) break;
      for (const message of batch) {
        const outcome = await this.deliver(message, signal);
        result[outcome] += 1;
        outboundMetrics.count('sms', 'queue', outcome === 'sent' ? 'delivered' : outcome);
      }
    }
    return result;
  }

  /** Takes due messages for one attempt: counted now, and due again after the lease should this sender die. */
  private async claim(limit: number): Promise<SmsMessage[]> {
    const now = this.clock.now();
    const table = tableName(this.dataSource, 'sms_message');
    const [rows] = (await this.dataSource.query(
      `UPDATE ${table} SET "attempts" = "attempts" + 1, "next_attempt_at" = $2
       WHERE "id" IN (SELECT "id" FROM ${table} WHERE "status" = 'QUEUED' AND "next_attempt_at" <= $1
                      ORDER BY "next_attempt_at" LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING "id"`,
      [new Date(now), new Date(now + this.settings.leaseMs), limit],
    )) as [{ id: string }[], number];
    if (!rows.length) return [];
    return this.dataSource.manager.find(SmsMessage, {
      where: { id: In(rows.map((r) => r.id)) },
      // Oldest first (the claim has just moved every next attempt to the same lease time).
      order: { createdAt: 'ASC', sendAfter: 'ASC' },
    });
  }

  private async deliver(message: SmsMessage, signal?: AbortSignal): Promise<keyof DispatchResult> {
    const repo = this.dataSource.getRepository(SmsMessage);
    const stale = await this.staleReason(message);
    if (stale) {
      await repo.update(
        { id: message.id, status: SmsStatus.QUEUED },
        { status: SmsStatus.CANCELLED, lastError: stale, attempts: message.attempts - 1 },
      );
      return 'cancelled';
    }
    const phone = this.personal.open(message.id, 'recipient', message.recipient)!;
    try {
      const providerId = await this.transport.send(phone, message.body, signal);
      await repo.update(
        { id: message.id, status: SmsStatus.QUEUED },
        {
          status: SmsStatus.SENT,
          transport: this.transport.name,
          providerMessageId: providerId,
          sentAt: new Date(this.clock.now()),
          lastError: null,
        },
      );
      return 'sent';
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof SmsSendError && err.permanent;
      const now = this.clock.now();
      if (permanent || message.attempts >= this.settings.maxAttempts) {
        await repo.update(
          { id: message.id, status: SmsStatus.QUEUED },
          { status: SmsStatus.FAILED, failedAt: new Date(now), lastError: reason.slice(0, 500) },
        );
        this.logger?.warn({ smsId: message.id, attempts: message.attempts, reason }, 'SMS failed for good');
        return 'failed';
      }
      const delay = retryDelayMs(message.attempts, this.settings.retryBaseMs, this.settings.retryCapMs);
      await repo.update(
        { id: message.id, status: SmsStatus.QUEUED },
        { nextAttemptAt: new Date(now + delay), lastError: reason.slice(0, 500) },
      );
      return 'retrying';
    }
  }

  /** A ticket's SMS that no longer fits its ticket when its turn comes (called already, left the line). */
  private async staleReason(message: SmsMessage): Promise<string | null> {
    if (!message.ticketId || message.kind === SmsKind.REMINDER) return null;
    const ticket = await this.dataSource.manager.findOneBy(Ticket, { id: message.ticketId });
    if (!ticket) return 'the ticket is gone';
    if (message.kind === SmsKind.NEXT && ticket.state !== TicketState.NEW) {
      return `the ticket was ${ticket.state} before the SMS went`;
    }
    if (message.kind === SmsKind.CALLED && ticket.state !== TicketState.CALLED) {
      return `the ticket was ${ticket.state} before the SMS went`;
    }
    return null;
  }
}
