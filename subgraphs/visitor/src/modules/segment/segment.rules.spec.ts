import { DomainError } from '@phub/kit';
import { describe, expect, it } from 'vitest';
import { matches, parseRule, type VisitorFacts } from './segment.rules.js';

const STORE = '00000000-0000-4000-8000-0000000005a1';
const facts = (over: Partial<VisitorFacts> = {}): VisitorFacts => ({
  visitCount: 3,
  storesVisited: new Set([STORE]),
  attributes: { tier: 'gold' },
  analyticsConsent: true,
  ...over,
});

describe(matches.name, () => {
  it.each([
    ['visit count reached', [{ kind: 'VISIT_COUNT_AT_LEAST', count: 3 }], facts(), true],
    ['visit count not reached', [{ kind: 'VISIT_COUNT_AT_LEAST', count: 4 }], facts(), false],
    ['attribute equal', [{ kind: 'ATTRIBUTE_EQUALS', attribute: 'tier', value: 'gold' }], facts(), true],
    ['attribute differs', [{ kind: 'ATTRIBUTE_EQUALS', attribute: 'tier', value: 'GOLD' }], facts(), false],
    ['attribute absent', [{ kind: 'ATTRIBUTE_EQUALS', attribute: 'city', value: 'x' }], facts(), false],
    ['visited the store', [{ kind: 'VISITED_STORE', storeId: STORE }], facts(), true],
    [
      'all must hold',
      [
        { kind: 'VISIT_COUNT_AT_LEAST', count: 1 },
        { kind: 'ATTRIBUTE_EQUALS', attribute: 'tier', value: 'silver' },
      ],
      facts(),
      false,
    ],
    [
      'behaviour needs ANALYTICS consent',
      [{ kind: 'VISIT_COUNT_AT_LEAST', count: 1 }],
      facts({ analyticsConsent: false }),
      false,
    ],
    [
      'attributes do not',
      [{ kind: 'ATTRIBUTE_EQUALS', attribute: 'tier', value: 'gold' }],
      facts({ analyticsConsent: false }),
      true,
    ],
  ])('%s', (_name, conditions, f, expected) => {
    expect(matches(parseRule({ conditions }), f)).toBe(expected);
  });
});

describe(parseRule.name, () => {
  it.each([
    [[], 'A rule has 1 to 10'],
    [[{ kind: 'VISIT_COUNT_AT_LEAST', count: 0 }], 'conditions[0]'],
    [[{ kind: 'VISIT_COUNT_AT_LEAST' }], 'needs a count'],
    [[{ kind: 'VISITED_STORE', storeId: 'nope' }], 'needs a storeId'],
    [[{ kind: 'ATTRIBUTE_EQUALS', attribute: '1bad', value: 'x' }], 'attribute name'],
    [[{ kind: 'ATTRIBUTE_EQUALS', attribute: 'ok', value: '' }], 'value of 1 to 200'],
    [[{ kind: 'SPEND_OVER', count: 3 }], 'unknown condition'],
  ])('refuses %j with INVALID_RULE', (conditions, message) => {
    let error: unknown;
    try {
      parseRule({ conditions });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    expect((error as DomainError).details.reason).toBe('INVALID_RULE');
    expect((error as DomainError).message).toContain(message);
  });
});
