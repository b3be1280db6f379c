import { DomainError, ErrorCode } from '@phub/kit';

/** A code that opens nothing here: unknown, mistyped, or another store's (for a kiosk). */
export const codeUnknown = () =>
  new DomainError(ErrorCode.NOT_FOUND, 'No appointment or order has this code', { reason: 'CODE_UNKNOWN' });
export const tooManyWrongCodes = (retryAfterSeconds: number) =>
  new DomainError(ErrorCode.RATE_LIMITED, 'Too many wrong codes; try again later or ask at the desk', {
    reason: 'CODE_GUESSES',
    retryAfterSeconds,
  });
export const notAKiosk = () =>
  new DomainError(ErrorCode.FORBIDDEN, 'Only visitors, kiosks and those who serve the queue check visitors in');
