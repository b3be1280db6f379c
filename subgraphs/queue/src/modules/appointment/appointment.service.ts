import { randomUUID } from 'node:crypto';
import { type Clock, DomainError, forbidden, type Logger } from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { newCheckInCode, qrPayload } from '../../codes.js';
import type { PersonalData } from '../../personal-data.js';
import type { Actor, QueueScope } from '../../scope.js';
import { isUniqueViolation, isUuid, tableName } from '../../tables.js';
import { hashToken, isTokenShaped, newVisitorToken } from '../../tokens.js';
import { Line, LineKind } from '../line/line.entity.js';
import { lineArchived, lineNotFound } from '../line/line.errors.js';
import { localDay } from '../line/line.hours.js';
import type { LineService } from '../line/line.service.js';
import { TicketActionKind, TicketSource } from '../ticket/ticket.entity.js';
import { phoneInvalid, phoneLimit } from '../ticket/ticket.errors.js';
import { normalisePhone } from '../ticket/ticket.rules.js';
import type { IssuedTicket, TicketService } from '../ticket/ticket.service.js';
import type { SmsService } from '../sms/sms.service.js';
import {
  Appointment,
  AppointmentSlot,
  AppointmentSource,
  AppointmentState,
  type BookedAppointment,
} from './appointment.entity.js';
import {
  appointmentLinkExpired,
  appointmentMissed,
  appointmentNotFound,
  appointmentState,
  appointmentTokenNotFound,
  checkInTooEarly,
  dayInvalid,
  noAppointments,
  notASlot,
  slotFull,
  slotPast,
  slotTooFar,
} from './appointment.errors.js';
import type { BookAppointmentInput } from './appointment.input.js';
import { isDay, slotAt, type SlotTime, slotsOfDay } from './appointment.slots.js';

export interface AppointmentSettings {
  /** A checked-in appointment's place in the line: this long before its slot starts (see README.md). */
  priorityMs: number;
  /** Check-in opens this long before the slot starts. */
  checkInEarlyMs: number;
  /** Check-in stays open this long after the slot started; later, the appointment is a no-show. */
  graceMs: number;
  /** Bookings reach this many days ahead. */
  maxDaysAhead: number;
  /** Upcoming appointments one phone number may hold on one line (visitors booking by link). */
  maxPerPhone: number;
}

/** What appointments need of the SMS module: queueing and withdrawing reminders inside their own transaction. */
export type Reminders = Pick<SmsService, 'scheduleReminder' | 'cancelReminder'>;

/** The SMS reminder of an appointment's slot: one per slot it holds, so a moved appointment gets a new one. */
export function reminderReference(a: Pick<Appointment, 'id' | 'start'>): string {
  return `appointment:${a.id}:${a.start.toISOString()}`;
}

const VISITOR: Actor = { kind: 'visitor', id: null };
const HELD = [AppointmentState.BOOKED, AppointmentState.CHECKED_IN];

/**
 * Appointments: slots from a line's hours in its store's zone, booking within each slot's capacity
 * (race-safe: bookings of a line are serialised on its row), rescheduling, cancelling, check-in into the
 * live queue with priority for the slot (README.md), the no-show sweep, and reminders' due list.
 */
export class AppointmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lines: LineService,
    private readonly tickets: TicketService,
    private readonly personal: PersonalData,
    private readonly clock: Clock,
    private readonly settings: AppointmentSettings,
    private readonly reminders: Reminders,
    private readonly logger?: Logger,
  ) {}

  reveal(a: Appointment, field: 'visitorName' | 'visitorPhone'): string | null {
    return this.personal.open(a.id, field, a[field]);
  }

  // --- slots ---

  /** The slots of a line on a store-local day that start later than now and still have room (public). */
  async freeSlots(lineId: string, day: string): Promise<AppointmentSlot[]> {
    if (!isDay(day)) throw dayInvalid();
    const line = await this.lines.find(lineId);
    if (!line || line.archivedAt) throw lineNotFound(lineId);
    const slots = await this.slotsOf(line, day);
    const capacity = line.slotCapacity ?? 1;
    const rows = (await this.dataSource.query(
      `SELECT "slot_start", count(*)::int AS "n" FROM ${tableName(this.dataSource, 'appointment')}
       WHERE "line_id" = $1 AND "day" = $2 AND "state" = ANY($3) GROUP BY "slot_start"`,
      [line.id, day, HELD],
    )) as { slot_start: Date; n: number }[];
    const taken = new Map(rows.map((r) => [new Date(r.slot_start).getTime(), r.n]));
    const now = this.clock.now();
    return slots
      .filter((s) => s.start.getTime() > now)
      .map((s) => ({ ...s, capacity, free: Math.max(0, capacity - (taken.get(s.start.getTime()) ?? 0)) }))
      .filter((s) => s.free > 0);
  }

  private async slotsOf(line: Line, day: string, m: EntityManager = this.dataSource.manager): Promise<SlotTime[]> {
    if (!line.slotMinutes || line.kind !== LineKind.WALK_IN) throw noAppointments(line.id);
    const store = await this.lines.knownStore(line.tenantId, line.storeId, m);
    return slotsOfDay(line.openingHours ?? store.openingHours, store.timezone, day, line.slotMinutes);
  }

  /** The slot starting at `start`, checked: a real slot of the line, not started, not too far ahead. */
  private async slotFor(line: Line, start: Date, m: EntityManager): Promise<{ slot: SlotTime; day: string }> {
    if (line.archivedAt) throw lineArchived(line.id);
    if (!line.slotMinutes || line.kind !== LineKind.WALK_IN) throw noAppointments(line.id);
    if (Number.isNaN(start.getTime())) throw notASlot(String(start));
    const store = await this.lines.knownStore(line.tenantId, line.storeId, m);
    const day = localDay(store.timezone, start.getTime());
    const slot = slotAt(line.openingHours ?? store.openingHours, store.timezone, day, line.slotMinutes, start);
    if (!slot) throw notASlot(start.toISOString());
    const now = this.clock.now();
    if (slot.start.getTime() <= now) throw slotPast();
    if (slot.start.getTime() - now > this.settings.maxDaysAhead * 86_400_000) {
      throw slotTooFar(this.settings.maxDaysAhead);
    }
    return { slot, day };
  }

  /** Locks the line (bookings of a line are serialised) and refuses a full slot; `except` is being moved. */
  private async reserve(m: EntityManager, line: Line, slot: SlotTime, except?: string): Promise<void> {
    await m.query(`SELECT 1 FROM ${tableName(m, 'line')} WHERE "id" = $1 FOR UPDATE`, [line.id]);
    const [row] = (await m.query(
      `SELECT count(*)::int AS "n" FROM ${tableName(m, 'appointment')}
       WHERE "line_id" = $1 AND "slot_start" = $2 AND "state" = ANY($3) AND "id" <> $4`,
      [line.id, slot.start, HELD, except ?? '00000000-0000-0000-0000-000000000000'],
    )) as { n: number }[];
    if ((row?.n ?? 0) >= (line.slotCapacity ?? 1)) throw slotFull();
  }

  // --- reads ---

  /** By id, for a ticket's own appointment (the ticket was visible already). */
  find(id: string): Promise<Appointment | null> {
    return this.dataSource.manager.findOneBy(Appointment, { id });
  }

  async get(scope: QueueScope, id: string): Promise<Appointment> {
    const a = isUuid(id) ? await this.dataSource.manager.findOneBy(Appointment, { id }) : null;
    if (!a || !scope.canRead(a.tenantId, a.storeId)) throw appointmentNotFound(id);
    return a;
  }

  /** A store's appointments of a store-local day (optionally one line's), by slot; empty when not visible. */
  async list(scope: QueueScope, storeId: string, day: string, lineId?: string | null): Promise<Appointment[]> {
    if (!isDay(day)) throw dayInvalid();
    if (!isUuid(storeId) || !scope.canRead(scope.tenantId, storeId)) return [];
    const qb = this.dataSource
      .getRepository(Appointment)
      .createQueryBuilder('a')
      .where('a.tenantId = :t AND a.storeId = :s AND a.day = :d', { t: scope.tenantId, s: storeId, d: day });
    if (lineId) {
      if (!isUuid(lineId)) return [];
      qb.andWhere('a.lineId = :l', { l: lineId });
    }
    return qb.orderBy('a.start').addOrderBy('a.createdAt').limit(1000).getMany();
  }

  /** The appointment a visitor's link opens; UNAUTHENTICATED (TOKEN_EXPIRED) once its slot and grace are over. */
  async byToken(token: string, m: EntityManager = this.dataSource.manager, lock = false): Promise<Appointment> {
    if (!isTokenShaped(token)) throw appointmentTokenNotFound();
    const qb = m
      .getRepository(Appointment)
      .createQueryBuilder('a')
      .where('a.tokenHash = :h', { h: hashToken(token) });
    if (lock) qb.setLock('pessimistic_write');
    const a = await qb.getOne();
    if (!a) throw appointmentTokenNotFound();
    if (this.clock.now() > a.end.getTime() + this.settings.graceMs) throw appointmentLinkExpired();
    return a;
  }

  /** An appointment by its check-in code, locked, or null (the check-in module counts wrong codes). */
  async byCode(m: EntityManager, code: string): Promise<Appointment | null> {
    return m
      .getRepository(Appointment)
      .createQueryBuilder('a')
      .setLock('pessimistic_write')
      .where('a.codeHash = :h', { h: this.personal.codeHash(code) })
      .getOne();
  }

  // --- booking ---

  /**
   * Books a slot. Without a viewer it is the visitor booking by the line's link (per-phone limits apply);
   * with one, staff (their stores), HQ admins or partners with queue:write book for a visitor.
   */
  async book(scope: QueueScope, input: BookAppointmentInput): Promise<BookedAppointment> {
    const line = await this.lines.find(input.lineId);
    const source = this.sourceOf(scope);
    if (!line || (scope.viewer && !scope.canReadLines(line.tenantId, line.storeId))) throw lineNotFound(input.lineId);
    if (scope.viewer && !scope.canAct(line.storeId)) {
      throw forbidden(`You may not book appointments in store ${line.storeId}`);
    }
    const phone = this.phone(input.visitorPhone);
    const phoneHash = phone ? this.personal.phoneHash(line.tenantId, phone) : null;
    const actor = scope.viewer ? scope.actor : VISITOR;
    const now = new Date(this.clock.now());
    const id = randomUUID();
    const token = newVisitorToken();
    for (let attempt = 0; ; attempt++) {
      const code = newCheckInCode();
      try {
        const appointment = await this.dataSource.transaction(async (m) => {
          const { slot, day } = await this.slotFor(line, input.start, m);
          await this.reserve(m, line, slot);
          if (!scope.viewer && phoneHash) await this.checkPhone(m, line, phoneHash);
          const a = m.create(Appointment, {
            id,
            tenantId: line.tenantId,
            storeId: line.storeId,
            lineId: line.id,
            start: slot.start,
            end: slot.end,
            day,
            state: AppointmentState.BOOKED,
            source,
            visitorName: this.personal.seal(id, 'visitorName', input.visitorName?.trim() || null),
            visitorPhone: this.personal.seal(id, 'visitorPhone', phone),
            phoneHash,
            smsConsent: !!input.smsConsent,
            tokenHash: hashToken(token),
            codeHash: this.personal.codeHash(code),
            ticketId: null,
            bookedByKind: actor.kind,
            bookedById: actor.id,
            remindedAt: null,
            checkedInAt: null,
            cancelledAt: null,
            noShowAt: null,
            createdAt: now,
            updatedAt: now,
          });
          await m.insert(Appointment, a);
          return m.findOneByOrFail(Appointment, { id });
        });
        return { appointment, token, code, qrPayload: qrPayload(code) };
      } catch (err) {
        // A fresh code clashing with a stored one is rare (31^8 codes); try another.
        if (!isUniqueViolation(err) || attempt >= 3) throw err;
      }
    }
  }

  private sourceOf(scope: QueueScope): AppointmentSource {
    if (!scope.viewer) return AppointmentSource.VISITOR;
    return scope.viewer.kind === 'partner' ? AppointmentSource.PARTNER : AppointmentSource.STAFF;
  }

  private phone(raw: string | null | undefined): string | null {
    if (raw == null || raw.trim() === '') return null;
    const phone = normalisePhone(raw);
    if (!phone) throw phoneInvalid();
    return phone;
  }

  private async checkPhone(m: EntityManager, line: Line, phoneHash: string): Promise<void> {
    const [row] = (await m.query(
      `SELECT count(*)::int AS "n" FROM ${tableName(m, 'appointment')}
       WHERE "line_id" = $1 AND "phone_hash" = $2 AND "state" = 'BOOKED' AND "slot_end" > $3`,
      [line.id, phoneHash, new Date(this.clock.now())],
    )) as { n: number }[];
    if ((row?.n ?? 0) >= this.settings.maxPerPhone)
      throw phoneLimit(this.settings.maxPerPhone, 'upcoming appointments');
  }

  /** Staff, HQ admins or partners (queue:write) move an appointment to another slot of its line. */
  reschedule(scope: QueueScope, id: string, start: Date): Promise<Appointment> {
    return this.change(this.locked(scope, id, 'reschedule'), (m, a) => this.move(m, a, start));
  }

  rescheduleByToken(token: string, start: Date): Promise<Appointment> {
    return this.change(
      (m) => this.byToken(token, m, true),
      (m, a) => this.move(m, a, start),
      'reschedule',
    );
  }

  cancel(scope: QueueScope, id: string): Promise<Appointment> {
    return this.change(this.locked(scope, id, 'cancel'), (m, a, now) => this.cancelled(m, a, now));
  }

  cancelByToken(token: string): Promise<Appointment> {
    return this.change(
      (m) => this.byToken(token, m, true),
      (m, a, now) => this.cancelled(m, a, now),
      'cancel',
    );
  }

  private async cancelled(m: EntityManager, a: Appointment, now: Date): Promise<void> {
    a.state = AppointmentState.CANCELLED;
    a.cancelledAt = now;
    await this.withdrawReminder(m, a);
  }

  private async move(m: EntityManager, a: Appointment, start: Date): Promise<void> {
    const line = await m.findOneByOrFail(Line, { id: a.lineId });
    const { slot, day } = await this.slotFor(line, start, m);
    await this.reserve(m, line, slot, a.id);
    // The old slot's reminder, if it has not gone yet, must not go; the new slot is due for its own.
    await this.withdrawReminder(m, a);
    a.start = slot.start;
    a.end = slot.end;
    a.day = day;
    a.remindedAt = null;
  }

  /** Withdraws the reminder of the appointment's current slot if it is still queued (same transaction). */
  private async withdrawReminder(m: EntityManager, a: Appointment): Promise<void> {
    if (a.remindedAt) await this.reminders.cancelReminder(a.tenantId, reminderReference(a), m);
  }

  /** Finds and locks an appointment the viewer may change (staff of its store, HQ admins, partners with queue:write). */
  private locked(scope: QueueScope, id: string, action: string) {
    return async (m: EntityManager): Promise<Appointment> => {
      const a = isUuid(id)
        ? await m
            .getRepository(Appointment)
            .createQueryBuilder('a')
            .setLock('pessimistic_write')
            .where('a.id = :id', { id })
            .getOne()
        : null;
      if (!a || !scope.canRead(a.tenantId, a.storeId)) throw appointmentNotFound(id);
      if (!scope.canAct(a.storeId)) throw forbidden(`You may not ${action} appointments in store ${a.storeId}`);
      return a;
    };
  }

  /** Changes a BOOKED appointment in one transaction; any other state is a CONFLICT that changes nothing. */
  private async change(
    load: (m: EntityManager) => Promise<Appointment>,
    apply: (m: EntityManager, a: Appointment, now: Date) => Promise<void>,
    action = 'change',
  ): Promise<Appointment> {
    const now = new Date(this.clock.now());
    return this.dataSource.transaction(async (m) => {
      const a = await load(m);
      if (a.state !== AppointmentState.BOOKED) throw appointmentState(action, a.state);
      await apply(m, a, now);
      a.updatedAt = now;
      return m.save(a);
    });
  }

  // --- check-in ---

  /** Staff check a visitor in at the desk. */
  async checkIn(scope: QueueScope, id: string): Promise<IssuedTicket> {
    return this.checkInWith((m) => this.locked(scope, id, 'check in')(m), scope.actor, TicketSource.DESK);
  }

  /** The visitor checks in with their link. */
  checkInByToken(token: string): Promise<IssuedTicket> {
    return this.checkInWith((m) => this.byToken(token, m, true), VISITOR, TicketSource.REMOTE);
  }

  private async checkInWith(
    load: (m: EntityManager) => Promise<Appointment>,
    actor: Actor,
    source: TicketSource,
  ): Promise<IssuedTicket> {
    const issued = await this.dataSource.transaction(async (m) => this.checkInLocked(m, await load(m), actor, source));
    await this.tickets.announce(issued, TicketActionKind.CHECKED_IN);
    return issued;
  }

  /**
   * Checks a locked appointment in (the caller's transaction; the caller announces the ticket after commit):
   * BOOKED only, from `checkInEarly` before its slot until `grace` after it started; the ticket's place in
   * the line is the slot's start minus `priority` (README.md).
   */
  async checkInLocked(m: EntityManager, a: Appointment, actor: Actor, source: TicketSource): Promise<IssuedTicket> {
    if (a.state !== AppointmentState.BOOKED) throw appointmentState('check in', a.state);
    const now = new Date(this.clock.now());
    const opensAt = new Date(a.start.getTime() - this.settings.checkInEarlyMs);
    if (now < opensAt) throw checkInTooEarly(opensAt);
    if (now.getTime() > a.start.getTime() + this.settings.graceMs) throw appointmentMissed();
    const line = await m.findOneByOrFail(Line, { id: a.lineId });
    const issued = await this.tickets.issueWithin(
      m,
      line,
      actor,
      source,
      { name: this.reveal(a, 'visitorName'), phone: this.reveal(a, 'visitorPhone') },
      {
        queuedAt: new Date(a.start.getTime() - this.settings.priorityMs),
        appointmentId: a.id,
        action: TicketActionKind.CHECKED_IN,
        detail: { appointmentId: a.id, slotStart: a.start.toISOString() },
      },
    );
    // Here already: a reminder still waiting for its send (SNS retrying) would only confuse.
    await this.withdrawReminder(m, a);
    a.state = AppointmentState.CHECKED_IN;
    a.checkedInAt = now;
    a.ticketId = issued.ticket.id;
    a.updatedAt = now;
    await m.save(a);
    return issued;
  }

  // --- the worker's jobs: no-shows and reminders ---

  /** BOOKED appointments whose slot started more than the grace time ago become NO_SHOW; returns how many. */
  async markMissed(): Promise<number> {
    const now = new Date(this.clock.now());
    const rows = (await this.dataSource.query(
      `UPDATE ${tableName(this.dataSource, 'appointment')} SET "state" = 'NO_SHOW', "no_show_at" = $1, "updated_at" = $1
       WHERE "state" = 'BOOKED' AND "slot_start" < $2 RETURNING "id"`,
      [now, new Date(now.getTime() - this.settings.graceMs)],
    )) as [unknown[], number] | unknown[];
    return Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
  }

  /**
   * Queues one REMINDER SMS for each BOOKED appointment with the visitor's consent and phone whose slot starts
   * within `leadMs` and that was not reminded for this slot yet; returns how many were queued. Each batch is one
   * transaction that locks its appointments (others' locked rows are skipped), queues their SMS and marks them
   * reminded together: two workers, or a run repeated after a crash, never send one twice.
   */
  async sendReminders(leadMs: number, batchSize = 100): Promise<number> {
    let queued = 0;
    for (;;) {
      const { picked, sent } = await this.remindBatch(leadMs, batchSize);
      queued += sent;
      if (picked < batchSize) return queued;
    }
  }

  private remindBatch(leadMs: number, limit: number): Promise<{ picked: number; sent: number }> {
    const now = new Date(this.clock.now());
    return this.dataSource.transaction(async (m) => {
      const due = await m
        .getRepository(Appointment)
        .createQueryBuilder('a')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where('a.state = :s AND a.smsConsent AND a.remindedAt IS NULL AND a.visitorPhone IS NOT NULL', {
          s: AppointmentState.BOOKED,
        })
        .andWhere('a.start > :now AND a.start <= :until', { now, until: new Date(now.getTime() + leadMs) })
        .orderBy('a.start')
        .limit(limit)
        .getMany();
      let sent = 0;
      for (const a of due) {
        const phone = this.reveal(a, 'visitorPhone');
        try {
          if (phone) {
            const sms = await this.reminders.scheduleReminder(
              {
                tenantId: a.tenantId,
                storeId: a.storeId,
                phone,
                appointmentAt: a.start,
                reference: reminderReference(a),
                smsConsent: a.smsConsent,
                lineId: a.lineId,
              },
              m,
            );
            if (sms) sent += 1;
          }
        } catch (err) {
          // Refused before anything was written (the store was archived meanwhile): no reminder can go for this
          // slot, and asking again every minute would not change that.
          if (!(err instanceof DomainError)) throw err;
          this.logger?.warn({ appointmentId: a.id, reason: err.message }, 'appointment reminder not sent');
        }
      }
      if (due.length) {
        await m.query(`UPDATE ${tableName(m, 'appointment')} SET "reminded_at" = $2 WHERE "id" = ANY($1::uuid[])`, [
          due.map((a) => a.id),
          now,
        ]);
      }
      return { picked: due.length, sent };
    });
  }
}
