import { TicketActionKind, TicketState } from './ticket.entity.js';

/** Everything that can be done to an existing ticket, by a clerk or by its visitor. */
export type TicketOperation =
  | 'call'
  | 'recall'
  | 'returnToQueue'
  | 'transfer'
  | 'park'
  | 'unpark'
  | 'markNoShow'
  | 'markServed'
  | 'cancel'
  | 'cancelByVisitor'
  | 'addNote'
  | 'move';

const { NEW, CALLED, SERVED } = TicketState;
type Facts = { state: TicketState; parked: boolean };
const waitingOrCalled = (t: Facts) => t.state === NEW || t.state === CALLED;

/**
 * From which states each operation is allowed (the whole state machine). Final states — SERVED, NO_SHOW,
 * CANCELLED, CANCELLED_BY_CLERK — take nothing but a note on a served ticket (after-care remarks).
 */
export const ALLOWED: Record<TicketOperation, (t: Facts) => boolean> = {
  call: (t) => t.state === NEW,
  recall: (t) => t.state === CALLED,
  returnToQueue: (t) => t.state === CALLED,
  transfer: waitingOrCalled,
  park: (t) => (t.state === NEW && !t.parked) || t.state === CALLED,
  unpark: (t) => t.state === NEW && t.parked,
  markNoShow: (t) => t.state === CALLED,
  markServed: (t) => t.state === CALLED,
  cancel: waitingOrCalled,
  cancelByVisitor: waitingOrCalled,
  addNote: (t) => waitingOrCalled(t) || t.state === SERVED,
  move: (t) => t.state === NEW && !t.parked,
};

/** The state each operation leads to, and how the action log names it. */
export const OUTCOME: Record<TicketOperation, { state: TicketState | null; action: TicketActionKind }> = {
  call: { state: CALLED, action: TicketActionKind.CALLED },
  recall: { state: CALLED, action: TicketActionKind.RECALLED },
  returnToQueue: { state: NEW, action: TicketActionKind.RETURNED },
  transfer: { state: NEW, action: TicketActionKind.TRANSFERRED },
  park: { state: NEW, action: TicketActionKind.PARKED },
  unpark: { state: NEW, action: TicketActionKind.UNPARKED },
  markNoShow: { state: TicketState.NO_SHOW, action: TicketActionKind.NO_SHOW },
  markServed: { state: SERVED, action: TicketActionKind.SERVED },
  cancel: { state: TicketState.CANCELLED_BY_CLERK, action: TicketActionKind.CANCELLED_BY_CLERK },
  cancelByVisitor: { state: TicketState.CANCELLED, action: TicketActionKind.CANCELLED },
  // null: the state does not change
  addNote: { state: null, action: TicketActionKind.NOTE },
  move: { state: NEW, action: TicketActionKind.MOVED },
};

export const ACTIVE_STATES: TicketState[] = [NEW, CALLED];

/** A ticket number: the line's prefix and the day's sequence, at least three digits (A001, A1000). */
export const ticketNumber = (prefix: string, n: number): string => `${prefix}${String(n).padStart(3, '0')}`;

/** +, then 7–15 digits (E.164) once spaces, dots, dashes and brackets are gone; null when it is not one. */
export function normalisePhone(raw: string): string | null {
  const phone = raw.replace(/[\s().-]/g, '');
  return /^\+[1-9]\d{6,14}$/.test(phone) ? phone : null;
}
