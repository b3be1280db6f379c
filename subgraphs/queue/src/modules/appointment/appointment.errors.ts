import { badInput, conflict, DomainError, ErrorCode, notFound } from '@phub/kit';
import type { AppointmentState } from './appointment.entity.js';

export const appointmentNotFound = (id: string) => notFound('Appointment', id);
/** An unknown or malformed appointment link; says nothing about which appointments exist. */
export const appointmentTokenNotFound = () =>
  new DomainError(ErrorCode.NOT_FOUND, 'No appointment has this link', { entity: 'Appointment' });
export const appointmentLinkExpired = () =>
  new DomainError(ErrorCode.UNAUTHENTICATED, 'This appointment link has expired', { reason: 'TOKEN_EXPIRED' });
export const noAppointments = (lineId: string) =>
  conflict(`Line ${lineId} takes no appointments`, { reason: 'NO_APPOINTMENTS', lineId });
export const notASlot = (start: string) =>
  badInput(`start: ${start} is not the start of one of this line's slots`, { field: 'start', reason: 'NOT_A_SLOT' });
export const slotPast = () => conflict('This slot has already started', { reason: 'SLOT_PAST' });
export const slotTooFar = (days: number) =>
  badInput(`start: appointments can be booked at most ${days} days ahead`, { field: 'start', reason: 'TOO_FAR' });
export const slotFull = () => conflict('This slot is fully booked; choose another one', { reason: 'SLOT_FULL' });
export const dayInvalid = () => badInput('day: a date written YYYY-MM-DD', { field: 'day' });
export const appointmentState = (action: string, state: AppointmentState) =>
  conflict(`The appointment is ${state}: ${action} is not allowed`, {
    reason: state === 'CHECKED_IN' ? 'ALREADY_CHECKED_IN' : 'APPOINTMENT_STATE',
    action,
    state,
  });
export const checkInTooEarly = (opensAt: Date) =>
  conflict(`Check-in opens at ${opensAt.toISOString()}`, {
    reason: 'CHECKIN_TOO_EARLY',
    opensAt: opensAt.toISOString(),
  });
export const appointmentMissed = () =>
  conflict('The slot and its grace time are over: please book again or take a ticket', {
    reason: 'APPOINTMENT_MISSED',
  });
