import { createHash, randomBytes } from 'node:crypto';

/** A visitor's link secret (ticket or appointment): 32 random bytes, shown once; only its hash is stored. */
export const newVisitorToken = (): string => randomBytes(32).toString('base64url');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
/** Anything else is refused before a lookup. */
export const isTokenShaped = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);
