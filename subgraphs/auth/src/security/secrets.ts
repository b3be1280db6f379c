import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * Opaque credentials (refresh tokens, client secrets, invitation and pairing secrets) are
 * 256 random bits: they cannot be guessed, so a fast SHA-256 is enough to store them and
 * lets us look them up by hash. Passwords, which people choose, use scrypt instead.
 */
export const randomSecret = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export function sameHash(value: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(value), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** No 0/O, 1/I/L, so a code read off a screen is typed correctly. */
export const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 6;

export function pairingCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return code;
}

/** Accepts what people type: lower case, spaces or dashes between groups. */
export const normalisePairingCode = (input: string) => input.toUpperCase().replace(/[\s-]/g, '');
