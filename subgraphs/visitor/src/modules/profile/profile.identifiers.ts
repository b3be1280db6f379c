import { IdentifierKind } from './profile.entity.js';

/**
 * An identifier in the one form its keyed hash is taken of, or null when it cannot be one: a phone in E.164
 * (spaces, dots, dashes and brackets dropped; `00` for `+`), an email in lower case, ids as given (printable, no
 * spaces), a device MAC hash as lower-case hex (proximity hashes MACs on arrival; the raw MAC never comes here).
 */
export function normaliseIdentifier(kind: IdentifierKind, raw: string): string | null {
  const value = raw.trim();
  if (!value || value.length > 320) return null;
  switch (kind) {
    case IdentifierKind.PHONE: {
      const phone = value.replace(/[\s().-]/g, '').replace(/^00/, '+');
      return /^\+[1-9][0-9]{6,14}$/.test(phone) ? phone : null;
    }
    case IdentifierKind.EMAIL: {
      const email = value.toLowerCase();
      return /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/.test(email) ? email : null;
    }
    case IdentifierKind.LOYALTY_ID:
    case IdentifierKind.APP_ID:
      return /^[\x21-\x7e]{1,128}$/.test(value) ? value : null;
    case IdentifierKind.DEVICE_MAC_HASH: {
      const hex = value.toLowerCase();
      return /^[0-9a-f]{16,128}$/.test(hex) ? hex : null;
    }
    default:
      return null;
  }
}
