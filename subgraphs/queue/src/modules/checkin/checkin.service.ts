import type { Cache } from '@phub/kit';
import type { DataSource } from 'typeorm';
import { normaliseCheckInCode } from '../../codes.js';
import type { QueueMetrics } from '../../metrics.js';
import type { Actor, QueueScope } from '../../scope.js';
import type { AppointmentService } from '../appointment/appointment.service.js';
import { Line } from '../line/line.entity.js';
import { lineClosed } from '../line/line.errors.js';
import type { LineService } from '../line/line.service.js';
import { TicketActionKind, TicketSource } from '../ticket/ticket.entity.js';
import type { IssuedTicket, TicketService } from '../ticket/ticket.service.js';
import type { CollectService } from '../collect/collect.service.js';
import { codeUnknown, notAKiosk, tooManyWrongCodes } from './checkin.errors.js';

export interface CheckInLimits {
  /** Wrong codes one kiosk or one address may try per window before it is refused. */
  maxWrongCodes: number;
  windowSeconds: number;
}

const VISITOR: Actor = { kind: 'visitor', id: null };

/** Sentinel for "no such code here": rolls the transaction back, then counts as a wrong guess. */
class WrongCode extends Error {}

/**
 * Check-in by code: the short code of an appointment or a collect order, typed or scanned (QR), at the
 * store's kiosk or on the visitor's own phone. Wrong codes are counted per kiosk (its display id) or per
 * client address in the shared cache, and refused once too many (RATE_LIMITED) before any lookup.
 */
export class CheckInService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lines: LineService,
    private readonly tickets: TicketService,
    private readonly appointments: AppointmentService,
    private readonly orders: CollectService,
    private readonly cache: Cache,
    private readonly metrics: QueueMetrics,
    private readonly limits: CheckInLimits,
  ) {}

  async checkIn(scope: QueueScope, raw: string, clientIp: string): Promise<IssuedTicket> {
    // Displays, HQ editors and viewers, partners without queue:write check nobody in.
    if (scope.viewer && !scope.isKiosk && !scope.servesQueues) throw notAKiosk();
    const key = `queue:checkin:wrong:${scope.isKiosk ? `kiosk:${scope.who.displayId ?? scope.who.subject}` : `ip:${clientIp}`}`;
    const wrong = (await this.cache.get<number>(key)) ?? 0;
    if (wrong >= this.limits.maxWrongCodes) {
      this.metrics.joins.inc({ channel: 'checkin', outcome: 'code_guesses' });
      throw tooManyWrongCodes(this.limits.windowSeconds);
    }
    const actor = scope.viewer ? scope.actor : VISITOR;
    const source = scope.isKiosk ? TicketSource.KIOSK : scope.viewer ? TicketSource.DESK : TicketSource.REMOTE;
    // Staff and partners check in only what they may serve; a kiosk only its own store's; a visitor anything.
    const mayUse = (tenantId: string, storeId: string) =>
      !scope.viewer ||
      (scope.isKiosk ? scope.isKioskOf(tenantId, storeId) : scope.canRead(tenantId, storeId) && scope.canAct(storeId));
    try {
      const code = normaliseCheckInCode(raw);
      if (!code) throw new WrongCode();
      const issued = await this.dataSource.transaction(async (m) => {
        const appointment = await this.appointments.byCode(m, code);
        if (appointment) {
          if (!mayUse(appointment.tenantId, appointment.storeId)) throw new WrongCode();
          return this.appointments.checkInLocked(m, appointment, actor, source);
        }
        const order = await this.orders.byCode(m, code);
        if (!order || !mayUse(order.tenantId, order.storeId)) throw new WrongCode();
        // Customers collect while the pickup line is open; staff at the desk decide for themselves.
        const line = await m.findOneByOrFail(Line, { id: order.lineId });
        if (source !== TicketSource.DESK && !(await this.lines.isOpen(line, m))) throw lineClosed(line.id);
        return this.orders.checkInLocked(m, order, actor, source);
      });
      await this.tickets.announce(issued, TicketActionKind.CHECKED_IN);
      this.metrics.joins.inc({ channel: 'checkin', outcome: 'issued' });
      return issued;
    } catch (err) {
      if (!(err instanceof WrongCode)) throw err;
      await this.cache.incr(key, this.limits.windowSeconds);
      this.metrics.joins.inc({ channel: 'checkin', outcome: 'code_unknown' });
      throw codeUnknown();
    }
  }
}
