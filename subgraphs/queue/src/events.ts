import {
  queueLineEventV1,
  type QueueLineEventV1,
  queueTicketEventV1,
  type QueueTicketEventV1,
  storeEventV1,
} from '@phub/contracts';
import type { OpeningWindow } from './modules/line/line.hours.js';
import type { Ticket, TicketActionKind, TicketState } from './modules/ticket/ticket.entity.js';
import type { Actor } from './scope.js';

/** Topics this subgraph consumes. */
export const ConsumedTopic = {
  /** Location's stores: the queue keeps each one's tenant, time zone and opening hours. */
  store: storeEventV1.topic,
} as const;

/** Topics this subgraph publishes (through its transactional outbox), from the shared contracts. */
export const QueueTopic = {
  /** A ticket after each change; keyed by ticket id. */
  ticket: queueTicketEventV1.topic,
  /** A line's whole state after each change to its queue; keyed by line id. */
  line: queueLineEventV1.topic,
} as const;

export const PROJECTION_GROUP = 'queue';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** A ticket change as `queue.ticket.v1` (no personal fields: name, phone and note stay in the subgraph). */
export function ticketEvent(
  eventId: string,
  t: Ticket,
  action: TicketActionKind,
  previousState: TicketState | null,
  actor: Actor,
  at: Date,
  fromLineId: string | null,
): QueueTicketEventV1 {
  return conforming(queueTicketEventV1.schema, {
    type: 'TicketChanged',
    eventId,
    action,
    occurredAt: at.toISOString(),
    actorKind: actor.kind,
    previousState,
    fromLineId,
    ticket: {
      id: t.id,
      tenantId: t.tenantId,
      storeId: t.storeId,
      lineId: t.lineId,
      deskId: t.deskId,
      number: t.number,
      day: t.day,
      state: t.state,
      parked: t.parked,
      source: t.source,
      queuedAt: t.queuedAt.toISOString(),
      createdAt: t.createdAt.toISOString(),
      calledAt: iso(t.calledAt),
      recalledAt: iso(t.recalledAt),
      recallCount: t.recallCount,
      parkedAt: iso(t.parkedAt),
      servedAt: iso(t.servedAt),
      noShowAt: iso(t.noShowAt),
      cancelledAt: iso(t.cancelledAt),
      updatedAt: t.updatedAt.toISOString(),
    },
  });
}

/** What `queue.line.v1` says of a line, gathered in the transaction of the change. */
export interface LineSnapshot {
  tenantId: string;
  storeId: string;
  lineId: string;
  name: string;
  archived: boolean;
  open: boolean;
  timezone: string;
  openingHours: OpeningWindow[];
  waiting: number;
  parked: number;
  called: number;
  staffedDesks: number;
  estimatedWaitMinutes: number;
  version: number;
  cause: { ticketId: string; action: TicketActionKind } | null;
}

export function lineEvent(s: LineSnapshot, at: Date): QueueLineEventV1 {
  return conforming(queueLineEventV1.schema, {
    tenantId: s.tenantId,
    storeId: s.storeId,
    lineId: s.lineId,
    open: s.open,
    waiting: s.waiting,
    // Whole minutes, rounded up: a promise of "0" is only made when an idle desk will call next.
    estimatedWaitMinutes: s.open ? Math.ceil(s.estimatedWaitMinutes) : null,
    occurredAt: at.toISOString(),
    version: s.version,
    parked: s.parked,
    called: s.called,
    staffedDesks: s.staffedDesks,
    name: s.name,
    archived: s.archived,
    timezone: s.timezone,
    openingHours: s.openingHours.map(({ day, opens, closes }) => ({ day, opens, closes })),
    cause: s.cause,
  });
}

/**
 * The event as built, once it parses with the contract its consumers use: an event they would skip as malformed
 * fails the change here, in the queue's own tests, instead of vanishing downstream (lines closing at 24:00 did).
 */
function conforming<T>(schema: { parse(value: unknown): unknown }, event: T): T {
  schema.parse(event);
  return event;
}
