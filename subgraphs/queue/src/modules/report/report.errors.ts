import { badInput } from '@phub/kit';

// BAD_USER_INPUT with a stable `reason`, so clients can tell a bad range from other input errors.
export const dayInvalid = (field: 'from' | 'to') =>
  badInput(`${field}: must be a day, YYYY-MM-DD`, { field, reason: 'INVALID_DAY' });
export const rangeInverted = () => badInput('to: must not be before from', { field: 'to', reason: 'RANGE_INVERTED' });
export const rangeTooLong = (maxDays: number) =>
  badInput(`A queue report covers at most ${maxDays} days`, { field: 'to', reason: 'RANGE_TOO_LONG', maxDays });
export const idInvalid = (field: string) => badInput(`${field}: must be a UUID`, { field, reason: 'INVALID_ID' });
export const tooManyRows = (max: number) =>
  badInput(`The report has more than ${max} rows; narrow it down`, { reason: 'TOO_MANY_ROWS', max });
