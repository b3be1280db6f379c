import { badInput, conflict, notFound } from '@phub/kit';

export const segmentNotFound = (idOrKey: string) => notFound('Segment', idOrKey);
export const segmentKeyTaken = (key: string) =>
  conflict(`A segment with key ${key} already exists`, { reason: 'DUPLICATE_KEY', key });
export const ruleRequired = () => badInput('A RULE segment needs a rule', { reason: 'RULE_REQUIRED' });
export const ruleNotAllowed = () =>
  badInput('An IMPORTED segment has no rule: its members are imported', { reason: 'RULE_NOT_ALLOWED' });
export const notImported = (key: string) =>
  badInput(`Segment ${key} is a RULE segment: its members are computed, not imported`, {
    reason: 'NOT_AN_IMPORTED_SEGMENT',
    key,
  });
