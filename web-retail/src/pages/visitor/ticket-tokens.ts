/**
 * A visitor's ticket tokens, on their own phone only (the token is shown once by joinQueue): by ticket id, so the
 * ticket's address carries no secret.
 */
type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const key = (ticketId: string) => `phub.visitor.ticket.${ticketId}`;

export function rememberTicket(storage: KeyValue, ticketId: string, token: string): void {
  try {
    storage.setItem(key(ticketId), token);
  } catch {
    // private mode with no storage: the page still follows the ticket until it is closed
  }
}

export function ticketToken(storage: KeyValue, ticketId: string): string | null {
  try {
    return storage.getItem(key(ticketId));
  } catch {
    return null;
  }
}

export function forgetTicket(storage: KeyValue, ticketId: string): void {
  try {
    storage.removeItem(key(ticketId));
  } catch {
    // nothing kept
  }
}
