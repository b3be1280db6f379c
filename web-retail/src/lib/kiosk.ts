import type { MessageKey } from './i18n';

/** How long a kiosk waits, without a touch, before it goes back to the start; and how long it shows a result. */
export interface KioskSettings {
  idleSeconds: number;
  doneSeconds: number;
}

export const KIOSK_DEFAULTS: KioskSettings = { idleSeconds: 30, doneSeconds: 20 };
const BOUNDS = { min: 5, max: 600 };

/**
 * Settings from the kiosk's start address (`/retail/kiosk?idle=45&done=15`, seconds), so each tablet's browser
 * can be set up without a build; missing or out-of-range values fall back to the defaults.
 */
export function kioskSettings(search: string): KioskSettings {
  const params = new URLSearchParams(search);
  const read = (name: string, fallback: number) => {
    const raw = params.get(name);
    if (raw === null || !/^\d+$/.test(raw)) return fallback;
    const n = Number(raw);
    return n >= BOUNDS.min && n <= BOUNDS.max ? n : fallback;
  };
  return {
    idleSeconds: read('idle', KIOSK_DEFAULTS.idleSeconds),
    doneSeconds: read('done', KIOSK_DEFAULTS.doneSeconds),
  };
}

/** A typed check-in code as the graph wants it (spaces, dashes, lower case removed); a scanned QR payload as is. */
export function normaliseCheckInCode(input: string): string {
  const trimmed = input.trim();
  if (/^PHUB-CHECKIN:/i.test(trimmed)) return trimmed;
  return trimmed.replace(/[\s-]+/g, '').toUpperCase();
}

/** Check-in codes are 8 characters; a scanned payload carries one. */
export function looksLikeCheckInCode(normalised: string): boolean {
  return /^PHUB-CHECKIN:/i.test(normalised) || /^[A-Z0-9]{8}$/.test(normalised);
}

/** What a kiosk tells a visitor for a refusal, by `extensions.code` and `reason` (queue README, "Errors"). */
export function kioskErrorKey(code: string | undefined, reason: string | undefined): MessageKey {
  switch (reason) {
    case 'CODE_UNKNOWN':
      return 'kiosk.error.codeUnknown';
    case 'CODE_GUESSES':
      return 'kiosk.error.codeGuesses';
    case 'CHECKIN_TOO_EARLY':
      return 'kiosk.error.tooEarly';
    case 'APPOINTMENT_MISSED':
      return 'kiosk.error.missed';
    case 'ALREADY_CHECKED_IN':
    case 'ORDER_STATE':
    case 'APPOINTMENT_STATE':
      return 'kiosk.error.alreadyCheckedIn';
    case 'LINE_CLOSED':
      return 'kiosk.error.lineClosed';
    case 'LINE_FULL':
      return 'kiosk.error.lineFull';
    case 'PHONE_LIMIT':
      return 'kiosk.error.phoneLimit';
  }
  if (code === 'BAD_USER_INPUT') return 'kiosk.error.phone';
  if (code === 'NOT_FOUND') return 'kiosk.error.codeUnknown';
  return 'error.generic';
}
