import { randomUUID } from 'node:crypto';
import {
  type Clock,
  DomainError,
  ErrorCode,
  forbidden,
  type PlatformPubSub,
  isPipelined,
  preparedQuery,
  transaction,
} from '@phub/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { QueueMetrics } from '../../metrics.js';
import type { PersonalData } from '../../personal-data.js';
import type { Actor, QueueScope } from '../../scope.js';
import { asEntity, columnsOf, insertOf, isUuid, tableName } from '../../tables.js';
import { hashToken, isTokenShaped, newVisitorToken } from '../../tokens.js';
import type { DeskService } from '../desk/desk.service.js';
import { Line, LineKind } from '../line/line.entity.js';
import { lineArchived, lineClosed, lineFull, lineKindWrong, lineNotFound, storeNotKnown } from '../line/line.errors.js';
import { localDay } from '../line/line.hours.js';
import { KnownStore } from '../projection/projection.entity.js';
import type { LineService } from '../line/line.service.js';
import { storeQueueChannel, ticketChannel, toPayload } from './ticket.channels.js';
import { Ticket, TicketAction, TicketActionKind, TicketSource, TicketState } from './ticket.entity.js';
import {
  actionNotAllowed,
  phoneInvalid,
  phoneLimit,
  ticketNotFound,
  tokenNotFound,
  movedMeanwhile,
  transferNowhere,
} from './ticket.errors.js';
import type { Pending, TicketEvents } from './ticket.events.js';
import type { AddTicketInput, TicketFilter } from './ticket.input.js';
import { ACTIVE_STATES, ALLOWED, normalisePhone, OUTCOME, type TicketOperation } from './ticket.rules.js';

/** How a ticket is issued besides the defaults. */
export interface IssueOptions {
  /** Remote and kiosk joins: the line's capacity and the per-phone limits apply. */
  remote?: boolean;
  /** Its place in the line when not "now" (appointments: see modules/appointment/README.md). */
  queuedAt?: Date;
  appointmentId?: string | null;
  collectOrderId?: string | null;
  /** The audit action; JOINED (remote) or CREATED by default. */
  action?: TicketActionKind;
  detail?: Record<string, unknown>;
  /** Checks the line as read under its lock (e.g. the caller's rights on it); throws to refuse. */
  check?: (line: Line) => void;
}

export interface TicketLimits {
  maxActivePerPhone: number;
  maxJoinsPerPhonePerDay: number;
  defaultCapacity: number;
  tokenTtlMs: number;
}

/** A ticket and the secret a remote visitor holds for it (shown once; only its hash is stored). */
export interface IssuedTicket {
  ticket: Ticket;
  token: string;
  /** What the issuing transaction recorded for the bus and the worker, released by `announce`. */
  pending?: Pending;
}

interface Visitor {
  name?: string | null;
  phone?: string | null;
  note?: string | null;
  smsConsent?: boolean | null;
}

/** A change made in a transaction, and what it left for the worker to send. */
interface Applied {
  ticket: Ticket;
  pending: Pending;
}
/** A call-next, and the wait it ended (null when the ticket had been called before). */
type FirstCall = Applied & { waited: number | null };

const VISITOR: Actor = { kind: 'visitor', id: null };

/** Who did what to a ticket, from which state, when: its audit row besides the ticket's own fields. */
interface AuditEntry {
  actor: Actor;
  action: TicketActionKind;
  from: TicketState | null;
  at: Date;
}

/** The audit detail of an issued ticket. */
const detail = (line: Line, options: IssueOptions): Record<string, unknown> => ({ lineId: line.id, ...options.detail });

/** The columns a clerk action may change (`writeAudited` compares them before and after). */
const MUTABLE = [
  'state',
  'parked',
  'lineId',
  'deskId',
  'queuedAt',
  'calledAt',
  'recalledAt',
  'recallCount',
  'parkedAt',
  'servedAt',
  'noShowAt',
  'cancelledAt',
  'note',
  'updatedAt',
] as const satisfies readonly (keyof Ticket)[];

/** A ticket's first call ends its visitor's wait (seconds since joining); a recall or a call after a return does not. */
function waitedSeconds(t: Ticket, now: Date): number | null {
  return t.calledAt === null ? Math.max(0, (now.getTime() - t.createdAt.getTime()) / 1000) : null;
}

/**
 * Tickets: issuing (desk and remote), every clerk action as a checked state transition in one transaction
 * with its audit row, and live updates after commit.
 */
export class TicketService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lines: LineService,
    private readonly desks: DeskService,
    private readonly pubsub: PlatformPubSub,
    private readonly clock: Clock,
    private readonly metrics: QueueMetrics,
    private readonly limits: TicketLimits,
    private readonly personal: PersonalData,
    private readonly events: TicketEvents,
  ) {}

  /** A personal field of a ticket in clear text. */
  reveal(t: Ticket, field: 'visitorName' | 'visitorPhone' | 'note'): string | null {
    return this.personal.open(t.id, field, t[field]);
  }

  // --- reads ---

  async list(scope: QueueScope, storeId: string, filter: TicketFilter = {}): Promise<Ticket[]> {
    if (!isUuid(storeId) || !scope.canRead(scope.tenantId, storeId)) return [];
    const qb = this.dataSource
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .where('t.tenantId = :t AND t.storeId = :s', { t: scope.tenantId, s: storeId });
    if (filter.lineId) {
      if (!isUuid(filter.lineId)) return [];
      qb.andWhere('t.lineId = :l', { l: filter.lineId });
    }
    if (filter.includeFinished) {
      const store = await this.lines.knownStore(scope.tenantId, storeId).catch(() => null);
      qb.andWhere('t.day = :day', { day: localDay(store?.timezone ?? 'UTC', this.clock.now()) });
    } else qb.andWhere('t.state IN (:...states)', { states: ACTIVE_STATES });
    return qb.orderBy('t.queuedAt').addOrderBy('t.seq').limit(500).getMany();
  }

  async get(scope: QueueScope, id: string): Promise<Ticket> {
    const ticket = isUuid(id) ? await this.dataSource.manager.findOneBy(Ticket, { id }) : null;
    if (!ticket || !scope.canRead(ticket.tenantId, ticket.storeId)) throw ticketNotFound(id);
    return ticket;
  }

  /** The ticket a visitor token belongs to; NOT_FOUND for unknown tokens, UNAUTHENTICATED once expired. */
  async byToken(token: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Ticket> {
    if (!isTokenShaped(token)) throw tokenNotFound();
    const qb = manager
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .where('t.tokenHash = :h', { h: hashToken(token) });
    if (lock) qb.setLock('pessimistic_write');
    const ticket = await qb.getOne();
    if (!ticket) throw tokenNotFound();
    if (this.clock.now() - ticket.createdAt.getTime() > this.limits.tokenTtlMs) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This ticket link has expired', { reason: 'TOKEN_EXPIRED' });
    }
    return ticket;
  }

  /** Whether location told us of this store in this tenant (archived or not). */
  async storeOfTenant(tenantId: string, storeId: string): Promise<boolean> {
    if (!isUuid(storeId)) return false;
    return (await this.dataSource.manager.countBy(KnownStore, { id: storeId, tenantId })) > 0;
  }

  actions(ticketId: string): Promise<TicketAction[]> {
    return this.dataSource.manager.find(TicketAction, { where: { ticketId }, order: { at: 'ASC' } });
  }

  /** Waiting tickets before each given one in its line, for those that wait; one query for all of them. */
  async aheadMany(tickets: readonly Ticket[]): Promise<Map<string, number>> {
    const waiting = tickets.filter((t) => t.state === TicketState.NEW && !t.parked);
    if (!waiting.length) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT "id", "ahead" FROM (
         SELECT "id", (row_number() OVER (PARTITION BY "line_id" ORDER BY "queued_at", "seq") - 1)::int AS "ahead"
         FROM ${tableName(this.dataSource, 'ticket')}
         WHERE "line_id" = ANY($1::uuid[]) AND "state" = 'NEW' AND NOT "parked"
       ) r WHERE "id" = ANY($2::uuid[])`,
      [[...new Set(waiting.map((t) => t.lineId))], waiting.map((t) => t.id)],
    )) as { id: string; ahead: number }[];
    return new Map(rows.map((r) => [r.id, r.ahead]));
  }

  // --- issuing ---

  /** Staff add a visitor at the desk (open or closed line: staff decide). */
  async add(scope: QueueScope, input: AddTicketInput): Promise<Ticket> {
    if (!isUuid(input.lineId)) throw lineNotFound(input.lineId);
    const phone = this.phone(input.visitorPhone);
    const visitor = { name: input.visitorName, phone, note: input.note, smsConsent: input.smsConsent };
    // The line is read with its lock (no read before: every desk add would pay a round trip for it) and the
    // staff member's rights are checked on it there.
    const issued = await transaction(this.dataSource, (m) =>
      this.issueWithin(m, input.lineId, scope.actor, TicketSource.DESK, visitor, {
        check: (line) => {
          if (!scope.canReadLines(line.tenantId, line.storeId)) throw lineNotFound(input.lineId);
          if (!scope.canAct(line.storeId))
            throw forbidden(`You may not add visitors to the queue of store ${line.storeId}`);
        },
      }),
    );
    await this.announce(issued, TicketActionKind.CREATED);
    this.metrics.joins.inc({ channel: 'desk', outcome: 'issued' });
    return issued.ticket;
  }

  /**
   * A visitor joins remotely, without an account, by the line's link. Only while the line is open, within
   * its capacity and the per-phone limits; the token returned is the visitor's only key to the ticket.
   */
  async join(
    lineId: string,
    name?: string | null,
    phoneRaw?: string | null,
    smsConsent = false,
  ): Promise<IssuedTicket> {
    const outcome = (o: string) => this.metrics.joins.inc({ channel: 'remote', outcome: o });
    try {
      const line = await this.lines.find(lineId);
      if (!line) throw lineNotFound(lineId);
      const phone = this.phone(phoneRaw);
      if (line.kind === LineKind.COLLECT) throw lineKindWrong(line.id, line.kind, 'check in with the order code');
      if (!(await this.lines.isOpen(line))) throw lineClosed(lineId);
      const issued = await this.issue(line, VISITOR, TicketSource.REMOTE, { name, phone, smsConsent }, true);
      outcome('issued');
      return issued;
    } catch (err) {
      if (err instanceof DomainError) outcome(String(err.details.reason ?? err.code).toLowerCase());
      throw err;
    }
  }

  private phone(raw: string | null | undefined): string | null {
    if (raw == null || raw.trim() === '') return null;
    const phone = normalisePhone(raw);
    if (!phone) throw phoneInvalid();
    return phone;
  }

  /** Issues a ticket in its own transaction and announces it after commit. */
  private async issue(
    line: Line,
    actor: Actor,
    source: TicketSource,
    visitor: Visitor,
    remote = false,
  ): Promise<IssuedTicket> {
    const issued = await transaction(this.dataSource, (m) =>
      this.issueWithin(m, line, actor, source, visitor, { remote }),
    );
    await this.announce(issued, remote ? TicketActionKind.JOINED : TicketActionKind.CREATED);
    return issued;
  }

  /**
   * Issues a ticket inside the caller's transaction (check-ins change their appointment or order in the same
   * one); the caller announces it with `announce` after commit.
   */
  async issueWithin(
    m: EntityManager,
    lineOrId: Line | string,
    actor: Actor,
    source: TicketSource,
    visitor: Visitor,
    options: IssueOptions = {},
  ): Promise<IssuedTicket> {
    const now = new Date(this.clock.now());
    const token = newVisitorToken();
    const id = randomUUID();
    // One issuer per line at a time: capacity and phone limits are checked against settled counts. The line is
    // read again with its lock (what is checked is what is locked) and the store's zone with it: one round trip,
    // for every ticket issued.
    const [row] = (await preparedQuery(
      m,
      `SELECT ${columnsOf(m, Line, 'l', 'line.')}, s."timezone", s."archived_at" IS NOT NULL AS "archived"
       FROM ${tableName(m, 'line')} l
       LEFT JOIN ${tableName(m, 'known_store')} s ON s."id" = l."store_id" AND s."tenant_id" = l."tenant_id"
       WHERE l."id" = $1 FOR UPDATE OF l`,
      [typeof lineOrId === 'string' ? lineOrId : lineOrId.id],
    )) as (Record<string, unknown> & { timezone: string | null; archived: boolean | null })[];
    if (!row) throw lineNotFound(typeof lineOrId === 'string' ? lineOrId : lineOrId.id);
    const line = asEntity(Line, row, 'line.');
    options.check?.(line);
    if (line.archivedAt) throw lineArchived(line.id);
    if (!row.timezone || row.archived) throw storeNotKnown(line.storeId);
    const phoneHash = visitor.phone ? this.personal.phoneHash(line.tenantId, visitor.phone) : null;
    const day = localDay(row.timezone, now.getTime());
    if (options.remote) await this.checkRemoteLimits(m, line, day, phoneHash);
    const created = Object.assign(new Ticket(), {
      id,
      tenantId: line.tenantId,
      storeId: line.storeId,
      lineId: line.id,
      deskId: null,
      // The INSERT writes the prefix and the line's counter (below).
      number: '',
      day,
      state: TicketState.NEW,
      parked: false,
      source,
      queuedAt: options.queuedAt ?? now,
      createdAt: now,
      calledAt: null,
      recalledAt: null,
      recallCount: 0,
      parkedAt: null,
      servedAt: null,
      noShowAt: null,
      cancelledAt: null,
      visitorName: this.personal.seal(id, 'visitorName', visitor.name?.trim() || null),
      visitorPhone: this.personal.seal(id, 'visitorPhone', visitor.phone ?? null),
      phoneHash,
      note: this.personal.seal(id, 'note', visitor.note?.trim() || null),
      tokenHash: hashToken(token),
      smsConsent: !!visitor.smsConsent,
      appointmentId: options.appointmentId ?? null,
      collectOrderId: options.collectOrderId ?? null,
      updatedAt: now,
    });
    const action = options.action ?? (options.remote ? TicketActionKind.JOINED : TicketActionKind.CREATED);
    // The day's counter, the ticket and its audit row in one statement; the ticket's number (as `ticketNumber`
    // writes it) and the sequence's tie-breaker come back with it (no second read of the row just written).
    const insert = insertOf(m, Ticket, Object.assign(created, { number: line.prefix }), {
      number: (prefix) =>
        `(${prefix}::text || (SELECT lpad("last"::text, greatest(3, length("last"::text)), '0') FROM "c"))`,
    });
    const n = insert.params.length;
    const audit = this.auditInsert(m, created, { actor, action, from: null, at: now }, detail(line, options), n + 2);
    const inserted = preparedQuery<{ seq: string; number: string }>(
      m,
      `WITH "c" AS (INSERT INTO ${tableName(m, 'line_counter')} AS c ("line_id", "day", "last") VALUES ($${n + 1}, $${n + 2}, 1)
         ON CONFLICT ("line_id", "day") DO UPDATE SET "last" = c."last" + 1 RETURNING "last"),
       "t" AS (${insert.sql} RETURNING "seq", "number"), "a" AS (${audit.sql})
       SELECT "seq"::text, "number" FROM "t"`,
      [...insert.params, line.id, day, ...audit.params],
      { followed: true },
    ).then(([row]) => Object.assign(created, { seq: row!.seq, number: row!.number }));
    if (!isPipelined(m)) await inserted;
    // Events, SMS and webhooks are recorded in this transaction (the line's state query in the round trip of the
    // insert, whose number is on the ticket once it is answered); `announce` releases them after the commit.
    const change = { ticket: created, action, actor, at: now, before: null };
    const pending = await this.events.record(m, change, line.id, inserted);
    return { ticket: created, token, pending };
  }

  /** Tells desks, the visitor, the bus and the worker about a ticket issued by `issueWithin`, once committed. */
  announce(issued: IssuedTicket, action: TicketActionKind): Promise<void> {
    if (issued.pending) this.events.afterCommit(issued.pending);
    return this.publish(issued.ticket, action, new Date(this.clock.now()));
  }

  /**
   * A visitor takes a ticket at a kiosk tablet of the store (the kiosk's own store only): the line must be
   * open and not full, as for remote joins; the token lets the visitor follow it on their phone (QR).
   */
  async takeAtKiosk(scope: QueueScope, lineId: string, visitor: Visitor = {}): Promise<IssuedTicket> {
    const outcome = (o: string) => this.metrics.joins.inc({ channel: 'kiosk', outcome: o });
    try {
      const line = await this.lines.find(lineId);
      if (!line || !scope.isKioskOf(line.tenantId, line.storeId)) throw lineNotFound(lineId);
      if (line.kind === LineKind.COLLECT) throw lineKindWrong(line.id, line.kind, 'check in with the order code');
      if (!(await this.lines.isOpen(line))) throw lineClosed(lineId);
      const phone = this.phone(visitor.phone);
      const details = { name: visitor.name, phone, smsConsent: !!visitor.smsConsent };
      const issued = await transaction(this.dataSource, (m) =>
        this.issueWithin(m, line, scope.actor, TicketSource.KIOSK, details, { remote: true }),
      );
      await this.announce(issued, TicketActionKind.JOINED);
      outcome('issued');
      return issued;
    } catch (err) {
      if (err instanceof DomainError) outcome(String(err.details.reason ?? err.code).toLowerCase());
      throw err;
    }
  }

  private async checkRemoteLimits(m: EntityManager, line: Line, day: string, phoneHash: string | null): Promise<void> {
    const t = tableName(m, 'ticket');
    const [waiting] = (await m.query(`SELECT count(*)::int AS "n" FROM ${t} WHERE "line_id" = $1 AND "state" = 'NEW'`, [
      line.id,
    ])) as { n: number }[];
    if ((waiting?.n ?? 0) >= (line.capacity ?? this.limits.defaultCapacity)) throw lineFull(line.id);
    if (!phoneHash) return;
    const [counts] = (await m.query(
      `SELECT count(*) FILTER (WHERE "state" IN ('NEW', 'CALLED'))::int AS "active", count(*)::int AS "today"
       FROM ${t} WHERE "line_id" = $1 AND "phone_hash" = $2 AND "day" = $3`,
      [line.id, phoneHash, day],
    )) as { active: number; today: number }[];
    if ((counts?.active ?? 0) >= this.limits.maxActivePerPhone) {
      throw phoneLimit(this.limits.maxActivePerPhone, 'waiting tickets');
    }
    if ((counts?.today ?? 0) >= this.limits.maxJoinsPerPhonePerDay) {
      throw phoneLimit(this.limits.maxJoinsPerPhonePerDay, 'tickets today');
    }
  }

  // --- clerk actions ---

  /**
   * Calls the first waiting ticket of the line (for this desk, or for any desk). Race-safe: the head row is
   * taken with FOR UPDATE SKIP LOCKED, so concurrent callers each get a different ticket and never the same
   * one twice. Null when nobody is waiting.
   */
  async callNext(scope: QueueScope, lineId: string, deskId?: string | null): Promise<Ticket | null> {
    if (!isUuid(lineId)) throw lineNotFound(lineId);
    const now = new Date(this.clock.now());
    const called = await transaction(this.dataSource, async (m): Promise<FirstCall | null> => {
      // Line before ticket, the order moves and issuing take: the line's event version is bumped under its row
      // lock anyway, and taking the ticket first deadlocked against a concurrent move (found by ticket.move.spec).
      // The line is read with its lock and the head row whole with its own (SKIP LOCKED: concurrent callers each
      // take another ticket) in one round trip; LATERAL makes the line's row, and so its lock, come first. The head
      // may wait for this desk: the desk is checked after, and a wrong one rolls both locks back.
      const [row] = (await preparedQuery(
        m,
        `WITH "l" AS MATERIALIZED (SELECT ${columnsOf(m, Line, 'l', 'line.')} FROM ${tableName(m, 'line')} l
           WHERE l."id" = $1 FOR UPDATE)
         SELECT "l".*, h.* FROM "l" LEFT JOIN LATERAL (
           SELECT ${columnsOf(m, Ticket, 't', 'ticket.')} FROM ${tableName(m, 'ticket')} t
           WHERE t."line_id" = "l"."line.id" AND t."state" = 'NEW' AND NOT t."parked"
             AND (t."desk_id" IS NULL OR t."desk_id" = $2::uuid)
           ORDER BY t."queued_at", t."seq" LIMIT 1 FOR UPDATE OF t SKIP LOCKED) h ON true`,
        [lineId, deskId && isUuid(deskId) ? deskId : null],
      )) as Record<string, unknown>[];
      const line = row ? asEntity(Line, row, 'line.') : null;
      if (!line || !scope.canReadLines(line.tenantId, line.storeId)) throw lineNotFound(lineId);
      if (!scope.canAct(line.storeId)) throw forbidden(`You may not serve the queue of store ${line.storeId}`);
      const desk = deskId ? await this.desks.deskForLine(scope, deskId, line, m) : null;
      const ticket = row!['ticket.id'] ? asEntity(Ticket, row!, 'ticket.') : null;
      if (!ticket) return null;
      const from = ticket.state;
      const entry = { actor: scope.actor, action: TicketActionKind.CALLED, from, at: now };
      const waited = waitedSeconds(ticket, now);
      const { written } = await this.writeAudited(m, ticket, entry, async () => {
        ticket.state = TicketState.CALLED;
        ticket.calledAt = now;
        ticket.deskId = desk?.id ?? null;
        ticket.updatedAt = now;
        return { deskId: ticket.deskId, next: true };
      });
      const before = { state: from, parked: false, lineId: line.id };
      const change = { ticket, action: TicketActionKind.CALLED, actor: scope.actor, at: now, before };
      return { ticket, waited, pending: await this.events.record(m, change, line.id, written) };
    });
    if (!called) return null;
    this.metrics.actions.inc({ action: 'callNext' });
    if (called.waited !== null) this.metrics.waits.observe(called.waited);
    this.events.afterCommit(called.pending);
    await this.publish(called.ticket, TicketActionKind.CALLED, now);
    return called.ticket;
  }

  async call(scope: QueueScope, id: string, deskId?: string | null): Promise<Ticket> {
    let waited: number | null = null;
    const ticket = await this.act(scope, id, 'call', async (t, m, line, now) => {
      const desk = deskId ? await this.desks.deskForLine(scope, deskId, await line(), m) : null;
      waited = waitedSeconds(t, now);
      t.calledAt = now;
      t.parked = false;
      t.deskId = desk?.id ?? t.deskId;
      return { deskId: t.deskId };
    });
    // Observed once committed: a rolled-back call ended no one's wait.
    if (waited !== null) this.metrics.waits.observe(waited);
    return ticket;
  }

  recall(scope: QueueScope, id: string): Promise<Ticket> {
    return this.act(scope, id, 'recall', async (t, _m, _l, now) => {
      t.recalledAt = now;
      t.recallCount += 1;
      return { recallCount: t.recallCount };
    });
  }

  /** Back to waiting, at its original place in the line. */
  returnToQueue(scope: QueueScope, id: string): Promise<Ticket> {
    return this.act(scope, id, 'returnToQueue', async (t) => {
      const deskId = t.deskId;
      t.deskId = null;
      return { fromDeskId: deskId };
    });
  }

  /** Moves a ticket to another line of the store and/or to one desk; it keeps its number and place by time. */
  transfer(scope: QueueScope, id: string, to: { lineId?: string | null; deskId?: string | null }): Promise<Ticket> {
    if (!to.lineId && !to.deskId) throw transferNowhere();
    return this.act(scope, id, 'transfer', async (t, m, ticketLine) => {
      const line = await ticketLine();
      let target = line;
      if (to.lineId && to.lineId !== line.id) {
        target = await this.lines.get(scope, to.lineId, m);
        if (target.storeId !== line.storeId) throw lineNotFound(to.lineId);
        if (target.archivedAt) throw lineArchived(target.id);
      }
      const desk = to.deskId ? await this.desks.deskForLine(scope, to.deskId, target, m) : null;
      const detail = { fromLineId: t.lineId, fromDeskId: t.deskId, lineId: target.id, deskId: desk?.id ?? null };
      t.lineId = target.id;
      t.deskId = desk?.id ?? null;
      t.parked = false;
      return detail;
    });
  }

  park(scope: QueueScope, id: string): Promise<Ticket> {
    return this.act(scope, id, 'park', async (t, _m, _l, now) => {
      t.parked = true;
      t.parkedAt = now;
      return { deskId: t.deskId };
    });
  }

  unpark(scope: QueueScope, id: string): Promise<Ticket> {
    return this.act(scope, id, 'unpark', async (t) => {
      t.parked = false;
      return {};
    });
  }

  markNoShow(scope: QueueScope, id: string): Promise<Ticket> {
    return this.act(scope, id, 'markNoShow', async (t, _m, _l, now) => {
      t.noShowAt = now;
      return { deskId: t.deskId };
    });
  }

  /** CALLED → SERVED; a collect ticket's order is handed over with it (COLLECTED, same transaction). */
  markServed(scope: QueueScope, id: string): Promise<Ticket> {
    return this.act(scope, id, 'markServed', async (t, m, _l, now) => {
      t.servedAt = now;
      if (t.collectOrderId) {
        await m.query(
          `UPDATE ${tableName(m, 'collect_order')} SET "state" = 'COLLECTED', "collected_at" = $2, "updated_at" = $2
           WHERE "id" = $1 AND "state" = 'CHECKED_IN'`,
          [t.collectOrderId, now],
        );
        return { deskId: t.deskId, collectOrderId: t.collectOrderId };
      }
      return { deskId: t.deskId };
    });
  }

  /**
   * Moves a waiting ticket to a position (1 = next to be called) among its line's waiting tickets. It takes
   * the place right behind the ticket now at position − 1 (a millisecond later; places are written in whole
   * milliseconds), and tickets behind it are nudged by a millisecond only where needed to keep a strict
   * order. Race-safe with call-next: the moved ticket is locked, so a concurrent call-next skips it (and
   * calls the next one) and a ticket being called cannot be moved (CONFLICT).
   */
  move(scope: QueueScope, id: string, position: number): Promise<Ticket> {
    return this.act(
      scope,
      id,
      'move',
      async (t, m) => {
        const table = tableName(m, 'ticket');
        // In the transaction's own connection (PGlite has only one): the line's waiting tickets, this one too.
        const rows = (await m.query(
          `SELECT "id", floor(extract(epoch FROM "queued_at") * 1000)::bigint::text AS "ms" FROM ${table}
           WHERE "line_id" = $1 AND "state" = 'NEW' AND NOT "parked" ORDER BY "queued_at", "seq"`,
          [t.lineId],
        )) as { id: string; ms: string }[];
        const from = Math.max(
          0,
          rows.findIndex((r) => r.id === t.id),
        );
        const others = rows.filter((r) => r.id !== t.id).map((r) => ({ id: r.id, ms: Number(r.ms) }));
        const index = Math.min(position, others.length + 1) - 1;
        if (!others.length || index === from) return { from: from + 1, to: from + 1 };
        let last = index === 0 ? others[0]!.ms - 1 : others[index - 1]!.ms + 1;
        t.queuedAt = new Date(last);
        for (const o of others.slice(index)) {
          if (o.ms > last) break;
          last += 1;
          await m.query(`UPDATE ${table} SET "queued_at" = $2 WHERE "id" = $1 AND "state" = 'NEW'`, [
            o.id,
            new Date(last),
          ]);
        }
        return { from: from + 1, to: index + 1 };
      },
      { lockLine: true },
    );
  }

  cancel(scope: QueueScope, id: string): Promise<Ticket> {
    return this.act(scope, id, 'cancel', async (t, _m, _l, now) => {
      t.cancelledAt = now;
      return {};
    });
  }

  addNote(scope: QueueScope, id: string, note: string): Promise<Ticket> {
    return this.act(scope, id, 'addNote', async (t) => {
      const text = note.trim();
      const before = this.reveal(t, 'note');
      t.note = this.personal.seal(t.id, 'note', before ? `${before}\n${text}` : text);
      // The audit log says a note was added, not what it says (notes are personal data).
      return { length: text.length };
    });
  }

  /** The visitor cancels their own ticket with its token. */
  async cancelByToken(token: string): Promise<Ticket> {
    const now = new Date(this.clock.now());
    const { ticket, pending } = await transaction(this.dataSource, async (m) => {
      const t = await this.byToken(token, m, true);
      return this.apply(m, t, 'cancelByVisitor', VISITOR, now, async () => {
        t.cancelledAt = now;
        return {};
      });
    });
    this.events.afterCommit(pending);
    await this.publish(ticket, TicketActionKind.CANCELLED, now);
    return ticket;
  }

  /** Loads and locks the ticket, checks access and the state machine, applies `change`, audits, publishes. */
  private async act(
    scope: QueueScope,
    id: string,
    op: TicketOperation,
    // The ticket's line is read only by the changes that need it (a desk's lines, a transfer's store).
    change: (t: Ticket, m: EntityManager, line: () => Promise<Line>, now: Date) => Promise<Record<string, unknown>>,
    // Every action locks its line before its ticket (as call-next, issuing and moves do): one lock order, no deadlock.
    { lockLine = true } = {},
  ): Promise<Ticket> {
    const now = new Date(this.clock.now());
    let fromLineId: string | undefined;
    const { ticket, pending } = await transaction(this.dataSource, async (m) => {
      // Line first, then ticket (the order issuing uses too): moves of one line run one at a time. Both locks in
      // one round trip: the line's lock is a materialised WITH the ticket's row is joined to, so it is taken
      // before the ticket's (FOR UPDATE locks a row once the join has produced it).
      const [row] = isUuid(id)
        ? ((await preparedQuery(
            m,
            lockLine
              ? `WITH "l" AS MATERIALIZED (SELECT l."id" FROM ${tableName(m, 'line')} l
                   JOIN ${tableName(m, 'ticket')} t ON t."line_id" = l."id" WHERE t."id" = $1 FOR UPDATE OF l)
                 SELECT ${columnsOf(m, Ticket, 't')}, "l"."id" AS "lockedLineId"
                 FROM ${tableName(m, 'ticket')} t CROSS JOIN "l" WHERE t."id" = $1 FOR UPDATE OF t`
              : `SELECT ${columnsOf(m, Ticket, 't')} FROM ${tableName(m, 'ticket')} t WHERE t."id" = $1 FOR UPDATE`,
            [id],
          )) as (Record<string, unknown> & { lockedLineId?: string })[])
        : [];
      const lineRow = row && { id: row.lockedLineId };
      if (row) delete row.lockedLineId;
      const t = row ? asEntity(Ticket, row) : null;
      if (!t || !scope.canRead(t.tenantId, t.storeId)) throw ticketNotFound(id);
      if (!scope.canAct(t.storeId)) throw forbidden(`You may not serve the queue of store ${t.storeId}`);
      // Transferred between the two locks: rare, and safer to refuse than to move it in an unlocked line.
      if (lockLine && lineRow?.id !== t.lineId) throw movedMeanwhile(t.number);
      const lineId = t.lineId;
      fromLineId = lineId;
      const line = () => m.findOneByOrFail(Line, { id: lineId });
      return this.apply(m, t, op, scope.actor, now, () => change(t, m, line, now), lockLine ? lineId : null);
    });
    this.events.afterCommit(pending);
    await this.publish(ticket, OUTCOME[op].action, now, fromLineId);
    return ticket;
  }

  private async apply(
    m: EntityManager,
    t: Ticket,
    op: TicketOperation,
    actor: Actor,
    now: Date,
    change: () => Promise<Record<string, unknown>>,
    /** The line this transaction already holds locked, if any (see TicketEvents.record). */
    lockedLineId: string | null = null,
  ): Promise<Applied> {
    if (!ALLOWED[op](t)) throw actionNotAllowed(op, t.number, t.state, t.parked);
    const from = t.state;
    const before = { state: t.state, parked: t.parked, lineId: t.lineId };
    const outcome = OUTCOME[op];
    const { written } = await this.writeAudited(m, t, { actor, action: outcome.action, from, at: now }, async () => {
      const detail = await change();
      if (outcome.state) t.state = outcome.state;
      t.updatedAt = now;
      return detail;
    });
    const change_ = { ticket: t, action: outcome.action, actor, at: now, before };
    const pending = await this.events.record(m, change_, lockedLineId, written);
    this.metrics.actions.inc({ action: op });
    return { ticket: t, pending };
  }

  /**
   * Applies `change` to a ticket read (and locked) in this transaction, then writes the columns it changed and
   * the action's audit row in one statement: `save` would read the row again first to find the changes, and the
   * audit row would be a round trip of its own. `change` returns the audit's detail.
   */
  private async writeAudited(
    m: EntityManager,
    t: Ticket,
    entry: AuditEntry,
    change: () => Promise<Record<string, unknown>>,
  ): Promise<{ written: Promise<unknown> }> {
    const record = t as unknown as Record<string, unknown>;
    const before = new Map(MUTABLE.map((k) => [k, record[k]]));
    const detail = await change();
    const metadata = m.connection.getMetadata(Ticket);
    const sets: string[] = [];
    const params: unknown[] = [t.id];
    for (const [k, v] of before) {
      const now = record[k];
      if (v instanceof Date && now instanceof Date ? v.getTime() === now.getTime() : v === now) continue;
      params.push(now);
      sets.push(`"${metadata.findColumnWithPropertyName(k)!.databaseName}" = $${params.length}`);
    }
    if (!sets.length) params.length = 0;
    const audit = this.auditInsert(m, t, entry, detail, params.length);
    const update = sets.length
      ? `WITH "u" AS (UPDATE ${tableName(m, 'ticket')} SET ${sets.join(', ')} WHERE "id" = $1) `
      : '';
    // The line's state query follows at once (TicketEvents.record): both in one write.
    const written = preparedQuery(m, `${update}${audit.sql}`, [...params, ...audit.params], { followed: true });
    // In pipeline mode the caller sends what follows before the answer (see TicketEvents.record).
    if (!isPipelined(m)) await written;
    return { written };
  }

  /** The audit row of an action as an INSERT whose parameters are numbered after the first `offset`. */
  private auditInsert(
    m: EntityManager,
    t: Ticket,
    entry: AuditEntry,
    detail: Record<string, unknown>,
    offset: number,
  ): { sql: string; params: unknown[] } {
    const { actor, action, from, at } = entry;
    const params: unknown[] = [randomUUID(), t.tenantId, t.storeId, t.id, action, actor.kind, actor.id, from];
    params.push(t.state, JSON.stringify(detail), at);
    const values = params.map((_, i) => `$${offset + i + 1}`);
    values[9] += '::jsonb';
    return {
      sql: `INSERT INTO ${tableName(m, 'ticket_action')} ("id", "tenant_id", "store_id", "ticket_id", "action",
        "actor_kind", "actor_id", "from_state", "to_state", "detail", "at") VALUES (${values.join(', ')})`,
      params,
    };
  }

  /** Live updates go out after commit: subscribers never see a change that was rolled back. */
  private async publish(ticket: Ticket, action: TicketActionKind, at: Date, fromLineId?: string): Promise<void> {
    const payload = toPayload(ticket, action, at, fromLineId);
    this.pubsub.publish(storeQueueChannel(ticket.tenantId, ticket.storeId), payload);
    this.pubsub.publish(ticketChannel(ticket.id), payload);
  }
}
