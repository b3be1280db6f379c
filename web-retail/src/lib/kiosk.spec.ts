import { describe, expect, it } from 'vitest';
import { kioskErrorKey, kioskSettings, looksLikeCheckInCode, normaliseCheckInCode } from './kiosk';

describe(kioskSettings.name, () => {
  it.each([
    ['', { idleSeconds: 30, doneSeconds: 20 }],
    ['?idle=45&done=10', { idleSeconds: 45, doneSeconds: 10 }],
    ['?idle=2', { idleSeconds: 30, doneSeconds: 20 }],
    ['?idle=601&done=x', { idleSeconds: 30, doneSeconds: 20 }],
    ['?idle=5.5', { idleSeconds: 30, doneSeconds: 20 }],
    ['?idle=5', { idleSeconds: 5, doneSeconds: 20 }],
  ])('%j → %j', (search, expected) => expect(kioskSettings(search)).toEqual(expected));
});

describe(normaliseCheckInCode.name, () => {
  it.each([
    ['appt 2345', 'APPT2345'],
    [' pkup-2346 ', 'PKUP2346'],
    ['PHUB-CHECKIN:ABCD2345', 'PHUB-CHECKIN:ABCD2345'],
  ])('%j → %s', (input, expected) => expect(normaliseCheckInCode(input)).toBe(expected));

  it('accepts 8 characters or a QR payload, nothing shorter', () => {
    expect(looksLikeCheckInCode('APPT2345')).toBe(true);
    expect(looksLikeCheckInCode('PHUB-CHECKIN:APPT2345')).toBe(true);
    expect(looksLikeCheckInCode('APPT234')).toBe(false);
  });
});

describe(kioskErrorKey.name, () => {
  it.each([
    ['NOT_FOUND', 'CODE_UNKNOWN', 'kiosk.error.codeUnknown'],
    ['RATE_LIMITED', 'CODE_GUESSES', 'kiosk.error.codeGuesses'],
    ['CONFLICT', 'CHECKIN_TOO_EARLY', 'kiosk.error.tooEarly'],
    ['CONFLICT', 'ALREADY_CHECKED_IN', 'kiosk.error.alreadyCheckedIn'],
    ['CONFLICT', 'LINE_CLOSED', 'kiosk.error.lineClosed'],
    ['RATE_LIMITED', 'PHONE_LIMIT', 'kiosk.error.phoneLimit'],
    ['BAD_USER_INPUT', undefined, 'kiosk.error.phone'],
    ['INTERNAL_SERVER_ERROR', undefined, 'error.generic'],
  ] as const)('%s / %s → %s', (code, reason, key) => expect(kioskErrorKey(code, reason)).toBe(key));
});
