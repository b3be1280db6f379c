import { Ticket, type TicketActionKind } from './ticket.entity.js';

export const storeQueueChannel = (tenantId: string, storeId: string) => `queue.store:${tenantId}:${storeId}`;
export const ticketChannel = (ticketId: string) => `queue.ticket:${ticketId}`;

/** A ticket change as it travels over pub/sub (JSON). */
export interface TicketPayload {
  action: TicketActionKind;
  at: string;
  ticket: Record<string, unknown>;
  /** Set when the change moved the ticket off this line (a transfer), so that line's own screen hears it left. */
  fromLineId?: string;
}

const DATES = [
  'queuedAt',
  'createdAt',
  'calledAt',
  'recalledAt',
  'parkedAt',
  'servedAt',
  'noShowAt',
  'cancelledAt',
  'updatedAt',
];

export function toPayload(ticket: Ticket, action: TicketActionKind, at: Date, fromLineId?: string): TicketPayload {
  const payload: TicketPayload = {
    action,
    at: at.toISOString(),
    ticket: JSON.parse(JSON.stringify(ticket)) as Record<string, unknown>,
  };
  if (fromLineId && fromLineId !== ticket.lineId) payload.fromLineId = fromLineId;
  return payload;
}

/** Whether a change concerns one line: the ticket is in it, or was just moved out of it. */
export function concernsLine(payload: TicketPayload, lineId: string): boolean {
  return payload.ticket.lineId === lineId || payload.fromLineId === lineId;
}

/** The ticket of a payload, dates revived, as an entity instance so its field resolvers apply. */
export function ticketFromPayload(payload: TicketPayload): Ticket {
  const ticket = Object.assign(new Ticket(), payload.ticket);
  const record = ticket as unknown as Record<string, unknown>;
  for (const key of DATES) {
    const value = record[key];
    if (typeof value === 'string') record[key] = new Date(value);
  }
  return ticket;
}
