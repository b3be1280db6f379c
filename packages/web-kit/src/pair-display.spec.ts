import { describe, expect, it } from 'vitest';
import { normalisePairingCode } from './pair-display';

describe(normalisePairingCode.name, () => {
  it.each([
    ['abc-123', 'ABC123'],
    [' ab c1 23 ', 'ABC123'],
    ['K7QP9X', 'K7QP9X'],
  ])('%j → %s', (input, expected) => expect(normalisePairingCode(input)).toBe(expected));
});
