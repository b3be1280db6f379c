/** The desk's view of a store's tickets, kept live from queueUpdated events between reloads. */
export type TicketState = 'NEW' | 'CALLED' | 'SERVED' | 'NO_SHOW' | 'CANCELLED' | 'CANCELLED_BY_CLERK';

export interface QueueTicket {
  id: string;
  lineId: string;
  deskId?: string | null;
  number: string;
  state: TicketState;
  parked: boolean;
  queuedAt: string;
  position?: number | null;
}

const FINISHED: ReadonlySet<TicketState> = new Set(['SERVED', 'NO_SHOW', 'CANCELLED', 'CANCELLED_BY_CLERK']);

export const isFinished = (t: { state: TicketState }) => FINISHED.has(t.state);

/** Called tickets first (most recent call on top is the desk's business: by number), then the line in its order. */
export function sortQueue<T extends QueueTicket>(tickets: readonly T[]): T[] {
  const rank = (t: T) => (t.state === 'CALLED' ? 0 : t.parked ? 2 : 1);
  return [...tickets].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER) ||
      a.queuedAt.localeCompare(b.queuedAt) ||
      a.number.localeCompare(b.number),
  );
}

/**
 * The list after one change: the ticket replaces its old self (or joins), a finished one leaves, and a ticket
 * moved to another line leaves a one-line view (`lineId`).
 */
export function applyTicketChange<T extends QueueTicket>(tickets: readonly T[], changed: T, lineId?: string): T[] {
  const rest = tickets.filter((t) => t.id !== changed.id);
  if (isFinished(changed) || (lineId && changed.lineId !== lineId)) return sortQueue(rest);
  return sortQueue([...rest, changed]);
}

/** The ticket this desk is serving: the one it called most recently that is still CALLED. */
export function currentAtDesk<T extends QueueTicket & { calledAt?: string | null }>(
  tickets: readonly T[],
  deskId: string,
): T | undefined {
  return tickets
    .filter((t) => t.state === 'CALLED' && t.deskId === deskId)
    .sort((a, b) => (b.calledAt ?? '').localeCompare(a.calledAt ?? ''))[0];
}

/** "about 5 min", rounded up; under a minute says so. */
export function roundWait(minutes: number | null | undefined): number | null {
  if (minutes == null || !Number.isFinite(minutes)) return null;
  return Math.max(1, Math.ceil(minutes));
}
