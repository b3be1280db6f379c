import { registerDecorator, type ValidationOptions } from 'class-validator';

/** True for names the runtime's time zone database knows (IANA), e.g. Europe/London. */
export function isIanaTimezone(value: unknown): boolean {
  if (typeof value !== 'string' || !value.includes('/')) return value === 'UTC';
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function IsIanaTimezone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIanaTimezone',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone such as Europe/London`, ...options },
      validator: { validate: isIanaTimezone },
    });
}

// Case is folded when stored (normaliseTags).
export const TAG_PATTERN = /^[a-z0-9][a-z0-9:_-]{0,63}$/i;
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
// A leading + and 6-20 digits, spaces, dashes or brackets: what people type from a business card.
export const PHONE_PATTERN = /^\+[0-9][0-9 ()-]{5,19}$/;

/** Tags are matched exactly by targeting, so store them in one canonical form. */
export function normaliseTags(tags: string[] | undefined | null): string[] | undefined {
  if (!tags) return undefined;
  return [...new Set(tags.map((t) => t.trim().toLowerCase()))].sort();
}
