import { Ticket, type TicketActionKind } from './ticket.entity.js';

export const storeQueueChannel = (tenantId: string, storeId: string) => `queue.store:${tenantId}:${storeId}`;
export const ticketChannel = (ticketId: string) => `queue.ticket:${ticketId}`;

/** A ticket change as it travels over pub/sub (JSON). */
export interface TicketPayload {
  action: TicketActionKind;
  at: string;
  ticket: Record<string, unknown>;
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

export function toPayload(ticket: Ticket, action: TicketActionKind, at: Date): TicketPayload {
  return { action, at: at.toISOString(), ticket: JSON.parse(JSON.stringify(ticket)) as Record<string, unknown> };
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
