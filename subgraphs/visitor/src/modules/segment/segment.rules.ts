import { badInput } from '@phub/kit';

/**
 * The rule language of RULE segments, kept small on purpose: every condition must hold (AND); for OR, make two
 * segments and target both. Behaviour conditions (visits) count only for visitors who consent to ANALYTICS.
 */
export type SegmentCondition =
  | { kind: 'VISIT_COUNT_AT_LEAST'; count: number }
  | { kind: 'VISITED_STORE'; storeId: string }
  | { kind: 'ATTRIBUTE_EQUALS'; attribute: string; value: string };

export interface SegmentRule {
  conditions: SegmentCondition[];
}

/** What a rule is evaluated on: one visitor's counters, stores and (unsealed) attributes. */
export interface VisitorFacts {
  visitCount: number;
  storesVisited: ReadonlySet<string>;
  attributes: Readonly<Record<string, string>>;
  analyticsConsent: boolean;
}

export const MAX_CONDITIONS = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

const isBehaviour = (c: SegmentCondition) => c.kind !== 'ATTRIBUTE_EQUALS';

export function matches(rule: SegmentRule, facts: VisitorFacts): boolean {
  return rule.conditions.every((c) => {
    if (isBehaviour(c) && !facts.analyticsConsent) return false;
    switch (c.kind) {
      case 'VISIT_COUNT_AT_LEAST':
        return facts.visitCount >= c.count;
      case 'VISITED_STORE':
        return facts.storesVisited.has(c.storeId);
      case 'ATTRIBUTE_EQUALS':
        return facts.attributes[c.attribute] === c.value;
    }
  });
}

/** Whether any condition needs the visitor's attributes (their sealed record must be opened to evaluate). */
export const needsAttributes = (rule: SegmentRule) => rule.conditions.some((c) => c.kind === 'ATTRIBUTE_EQUALS');

interface ConditionInputLike {
  kind: string;
  count?: number | null;
  storeId?: string | null;
  attribute?: string | null;
  value?: string | null;
}

/** A rule from its GraphQL input, or BAD_USER_INPUT (reason INVALID_RULE) naming the condition at fault. */
export function parseRule(input: { conditions: ConditionInputLike[] }): SegmentRule {
  const invalid = (index: number, message: string) =>
    badInput(`rule.conditions[${index}]: ${message}`, { reason: 'INVALID_RULE', index });
  if (!input.conditions.length || input.conditions.length > MAX_CONDITIONS) {
    throw badInput(`A rule has 1 to ${MAX_CONDITIONS} conditions`, { reason: 'INVALID_RULE' });
  }
  const conditions = input.conditions.map((c, i): SegmentCondition => {
    switch (c.kind) {
      case 'VISIT_COUNT_AT_LEAST':
        if (c.count == null || !Number.isInteger(c.count) || c.count < 1 || c.count > 100_000) {
          throw invalid(i, 'VISIT_COUNT_AT_LEAST needs a count from 1 to 100000');
        }
        return { kind: c.kind, count: c.count };
      case 'VISITED_STORE':
        if (!c.storeId || !UUID.test(c.storeId)) throw invalid(i, 'VISITED_STORE needs a storeId');
        return { kind: c.kind, storeId: c.storeId.toLowerCase() };
      case 'ATTRIBUTE_EQUALS':
        if (!c.attribute || !ATTRIBUTE_NAME.test(c.attribute)) {
          throw invalid(i, 'ATTRIBUTE_EQUALS needs an attribute name (letters, digits, _ or -, up to 40)');
        }
        if (c.value == null || c.value.length < 1 || c.value.length > 200) {
          throw invalid(i, 'ATTRIBUTE_EQUALS needs a value of 1 to 200 characters');
        }
        return { kind: c.kind, attribute: c.attribute, value: c.value };
      default:
        throw invalid(i, `unknown condition ${c.kind}`);
    }
  });
  return { conditions };
}
