import { badInput, conflict, forbidden, notFound } from '@phub/kit';

export const checkInNotFound = (id: string) => notFound('VisitorCheckIn', id);
export const notYourStore = (storeId: string) =>
  forbidden(`You cannot check visitors in or see them in store ${storeId}`);
export const ticketNotInStore = (ticketId: string) =>
  badInput(`Ticket ${ticketId} is not a ticket of this store`, { reason: 'TICKET_NOT_IN_STORE', ticketId });
export const ticketAlreadyCheckedIn = (ticketId: string) =>
  conflict(`Ticket ${ticketId} is checked in already`, { reason: 'TICKET_ALREADY_CHECKED_IN', ticketId });
export const noConsent = () =>
  conflict('The visitor has not consented to personalised service', { reason: 'NO_CONSENT' });
