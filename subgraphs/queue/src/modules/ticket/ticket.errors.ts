import { badInput, conflict, DomainError, ErrorCode, notFound } from '@phub/kit';
import type { TicketState } from './ticket.entity.js';

export const ticketNotFound = (id: string) => notFound('Ticket', id);
/** An unknown or malformed visitor token; says nothing about which tickets exist. */
export const tokenNotFound = () =>
  new DomainError(ErrorCode.NOT_FOUND, 'No ticket has this token', { entity: 'Ticket' });
export const actionNotAllowed = (action: string, number: string, state: TicketState, parked: boolean) =>
  conflict(`Ticket ${number} is ${parked ? 'parked' : state}: ${action} is not allowed`, {
    reason: 'TICKET_STATE',
    action,
    state,
    parked,
  });
export const phoneLimit = (limit: number, per: string) =>
  new DomainError(ErrorCode.RATE_LIMITED, `This phone number already has ${limit} ${per} on this line`, {
    reason: 'PHONE_LIMIT',
    limit,
  });
export const movedMeanwhile = (number: string) =>
  conflict(`Ticket ${number} changed lines meanwhile; try again`, { reason: 'TICKET_STATE' });
export const phoneInvalid = () => badInput('phone: an international number such as +447700900123', { field: 'phone' });
export const transferNowhere = () =>
  badInput('transferTicket needs a lineId or a deskId to move the ticket to', { field: 'lineId' });
