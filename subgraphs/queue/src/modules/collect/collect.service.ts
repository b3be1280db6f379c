import { randomUUID } from 'node:crypto';
import { type Clock, forbidden } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { newCheckInCode, qrPayload } from '../../codes.js';
import type { PersonalData } from '../../personal-data.js';
import type { Actor, QueueScope } from '../../scope.js';
import { isUuid } from '../../tables.js';
import { Line, LineKind } from '../line/line.entity.js';
import { lineArchived, lineKindWrong } from '../line/line.errors.js';
import type { LineService } from '../line/line.service.js';
import { Ticket, TicketActionKind, TicketSource, TicketState } from '../ticket/ticket.entity.js';
import { phoneInvalid } from '../ticket/ticket.errors.js';
import { normalisePhone } from '../ticket/ticket.rules.js';
import type { IssuedTicket, TicketService } from '../ticket/ticket.service.js';
import { CollectOrder, CollectOrderState, type CreatedCollectOrder } from './collect.entity.js';
import { collectOrderNotFound, duplicateReference, orderNotCalled, orderState } from './collect.errors.js';
import type { CreateCollectOrderInput } from './collect.input.js';

const constraintOf = (err: unknown): string | undefined =>
  (err as { driverError?: { code?: string; constraint?: string } })?.driverError?.code === '23505'
    ? ((err as { driverError: { constraint?: string } }).driverError.constraint ?? '')
    : undefined;

/**
 * Click&Collect: partners (queue:write) and staff create orders on a COLLECT line; the customer checks in
 * with the order's code (modules/checkin), which puts a ticket on that line; staff see the order with the
 * ticket and hand it over, which serves the ticket and marks the order COLLECTED.
 */
export class CollectService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lines: LineService,
    private readonly tickets: TicketService,
    private readonly personal: PersonalData,
    private readonly clock: Clock,
  ) {}

  reveal(o: CollectOrder, field: 'customerName' | 'customerPhone'): string | null {
    return this.personal.open(o.id, field, o[field]);
  }

  async create(scope: QueueScope, input: CreateCollectOrderInput): Promise<CreatedCollectOrder> {
    const line = await this.lines.get(scope, input.lineId);
    if (!scope.canAct(line.storeId)) throw forbidden(`You may not create orders in store ${line.storeId}`);
    if (line.kind !== LineKind.COLLECT) throw lineKindWrong(line.id, line.kind, 'orders go to a COLLECT line');
    if (line.archivedAt) throw lineArchived(line.id);
    await this.lines.knownStore(line.tenantId, line.storeId);
    let phone: string | null = null;
    if (input.customerPhone?.trim()) {
      phone = normalisePhone(input.customerPhone);
      if (!phone) throw phoneInvalid();
    }
    const reference = input.reference.trim();
    const now = new Date(this.clock.now());
    const id = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const code = newCheckInCode();
      try {
        await this.dataSource.manager.insert(CollectOrder, {
          id,
          tenantId: line.tenantId,
          storeId: line.storeId,
          lineId: line.id,
          reference,
          state: CollectOrderState.READY,
          customerName: this.personal.seal(id, 'customerName', input.customerName.trim()),
          customerPhone: this.personal.seal(id, 'customerPhone', phone),
          phoneHash: phone ? this.personal.phoneHash(line.tenantId, phone) : null,
          codeHash: this.personal.codeHash(code),
          ticketId: null,
          createdByKind: scope.actor.kind,
          createdById: scope.actor.id,
          createdAt: now,
          checkedInAt: null,
          collectedAt: null,
          cancelledAt: null,
          updatedAt: now,
        });
        const order = await this.dataSource.manager.findOneByOrFail(CollectOrder, { id });
        return { order, code, qrPayload: qrPayload(code) };
      } catch (err) {
        const constraint = constraintOf(err);
        if (constraint === undefined) throw err;
        if (constraint.includes('reference')) throw duplicateReference(reference);
        // A fresh code clashing with a stored one is rare (31^8 codes); try another.
        if (attempt >= 3) throw err;
      }
    }
  }

  /** By id, for a ticket's own order (the ticket was visible already). */
  find(id: string): Promise<CollectOrder | null> {
    return this.dataSource.manager.findOneBy(CollectOrder, { id });
  }

  async get(scope: QueueScope, id: string, m: EntityManager = this.dataSource.manager): Promise<CollectOrder> {
    const o = isUuid(id) ? await m.findOneBy(CollectOrder, { id }) : null;
    if (!o || !scope.canRead(o.tenantId, o.storeId)) throw collectOrderNotFound(id);
    return o;
  }

  /** A store's orders (by default those not yet collected or cancelled), oldest first. */
  async list(scope: QueueScope, storeId: string, states?: CollectOrderState[] | null): Promise<CollectOrder[]> {
    if (!isUuid(storeId) || !scope.canRead(scope.tenantId, storeId)) return [];
    const wanted = states?.length ? states : [CollectOrderState.READY, CollectOrderState.CHECKED_IN];
    return this.dataSource
      .getRepository(CollectOrder)
      .createQueryBuilder('o')
      .where('o.tenantId = :t AND o.storeId = :s AND o.state IN (:...states)', {
        t: scope.tenantId,
        s: storeId,
        states: wanted,
      })
      .orderBy('o.createdAt')
      .limit(500)
      .getMany();
  }

  /** An order by its check-in code, locked, or null. */
  byCode(m: EntityManager, code: string): Promise<CollectOrder | null> {
    return m
      .getRepository(CollectOrder)
      .createQueryBuilder('o')
      .setLock('pessimistic_write')
      .where('o.codeHash = :h', { h: this.personal.codeHash(code) })
      .getOne();
  }

  /** READY only: the order will not be collected (the shop refunded it, the customer cancelled). */
  async cancel(scope: QueueScope, id: string): Promise<CollectOrder> {
    const now = new Date(this.clock.now());
    return this.dataSource.transaction(async (m) => {
      const o = await this.lockedFor(scope, m, id, 'cancel');
      if (o.state !== CollectOrderState.READY) throw orderState('cancel', o.state);
      o.state = CollectOrderState.CANCELLED;
      o.cancelledAt = now;
      o.updatedAt = now;
      return m.save(o);
    });
  }

  /**
   * The order changes hands at the desk. Checked in with a CALLED ticket: the ticket is served, which marks
   * the order COLLECTED with it (TicketService.markServed). READY (the customer came straight to the desk),
   * or checked in with a ticket that ended unserved (came back after a no-show): COLLECTED directly.
   */
  async handOver(scope: QueueScope, id: string): Promise<CollectOrder> {
    const order = await this.get(scope, id);
    if (!scope.canAct(order.storeId)) throw forbidden(`You may not hand over orders in store ${order.storeId}`);
    if (order.state === CollectOrderState.CHECKED_IN && order.ticketId) {
      const ticket = await this.dataSource.manager.findOneByOrFail(Ticket, { id: order.ticketId });
      if (ticket.state === TicketState.CALLED) {
        await this.tickets.markServed(scope, ticket.id);
        return this.get(scope, id);
      }
      if (ticket.state === TicketState.NEW) throw orderNotCalled();
    }
    const now = new Date(this.clock.now());
    return this.dataSource.transaction(async (m) => {
      const o = await this.lockedFor(scope, m, id, 'hand over');
      if (o.state !== CollectOrderState.READY && o.state !== CollectOrderState.CHECKED_IN) {
        throw orderState('hand over', o.state);
      }
      o.state = CollectOrderState.COLLECTED;
      o.collectedAt = now;
      o.updatedAt = now;
      return m.save(o);
    });
  }

  /** Checks a locked READY order in (the caller's transaction; the caller announces the ticket after commit). */
  async checkInLocked(m: EntityManager, o: CollectOrder, actor: Actor, source: TicketSource): Promise<IssuedTicket> {
    if (o.state !== CollectOrderState.READY) throw orderState('check in', o.state);
    const now = new Date(this.clock.now());
    const line = await m.findOneByOrFail(Line, { id: o.lineId });
    const issued = await this.tickets.issueWithin(
      m,
      line,
      actor,
      source,
      { name: this.reveal(o, 'customerName'), phone: this.reveal(o, 'customerPhone') },
      {
        collectOrderId: o.id,
        action: TicketActionKind.CHECKED_IN,
        detail: { collectOrderId: o.id, reference: o.reference },
      },
    );
    o.state = CollectOrderState.CHECKED_IN;
    o.checkedInAt = now;
    o.ticketId = issued.ticket.id;
    o.updatedAt = now;
    await m.save(o);
    return issued;
  }

  private async lockedFor(scope: QueueScope, m: EntityManager, id: string, action: string): Promise<CollectOrder> {
    const o = isUuid(id)
      ? await m
          .getRepository(CollectOrder)
          .createQueryBuilder('o')
          .setLock('pessimistic_write')
          .where('o.id = :id', { id })
          .getOne()
      : null;
    if (!o || !scope.canRead(o.tenantId, o.storeId)) throw collectOrderNotFound(id);
    if (!scope.canAct(o.storeId)) throw forbidden(`You may not ${action} orders in store ${o.storeId}`);
    return o;
  }
}
