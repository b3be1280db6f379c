import { describe, expect, it } from 'vitest';
import { parseRecipients, recipientProblem } from './recipients';

describe(parseRecipients.name, () => {
  it('splits on lines, commas and semicolons, drops blanks and repeats', () => {
    expect(parseRecipients(' ops@example.com\n\nOPS@example.com, it@example.com;\n')).toEqual([
      'ops@example.com',
      'it@example.com',
    ]);
    expect(parseRecipients('   \n')).toEqual([]);
  });
});

describe(recipientProblem.name, () => {
  it.each([
    ['email', ['ops@example.com'], null],
    ['email', ['ops@example.com', 'not-an-address'], '“not-an-address” is not an email address.'],
    ['phone', ['+44 7700 900123'], null],
    ['phone', ['07700900123'], '“07700900123” is not an international number; write it as +447700900123.'],
  ] as const)('%s %j: %s', (kind, values, expected) => {
    expect(recipientProblem(kind, values)).toBe(expected);
  });
});
