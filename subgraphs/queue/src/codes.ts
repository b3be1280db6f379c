import { randomInt } from 'node:crypto';

/** Letters and digits nobody confuses when reading them off a phone (no 0/O, 1/I/L). */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;
/** What a check-in QR code holds: this prefix and the code. */
export const QR_PREFIX = 'PHUB-CHECKIN:';

/** A fresh check-in code (31^8 ≈ 8.5·10^11 of them; wrong guesses are rate-limited). */
export function newCheckInCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export const qrPayload = (code: string): string => `${QR_PREFIX}${code}`;

/**
 * A typed code or a scanned payload as a code: the QR prefix, or a link's `code=` parameter, is dropped;
 * case, spaces and dashes do not matter. Null when what is left cannot be a code.
 */
export function normaliseCheckInCode(raw: string): string | null {
  let text = raw.trim().slice(0, 300);
  if (text.toUpperCase().startsWith(QR_PREFIX)) text = text.slice(QR_PREFIX.length);
  const param = /[?&]code=([^&#]+)/i.exec(text);
  if (param) text = decodeURIComponent(param[1]!);
  const code = text.toUpperCase().replace(/[\s-]/g, '');
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : null;
}
