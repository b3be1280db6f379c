import { badInput, notFound } from '@phub/kit';

export const overrideNotFound = (id: string) => notFound('DisplayOverride', id);
export const creativeNotFound = (id: string) => notFound('Creative', id);
export const creativeNotReady = (id: string, status: string) =>
  badInput(`creativeId: creative ${id} is ${status}, not READY`, { field: 'creativeId' });
export const untilNotAfterStart = () =>
  badInput('until: must be after startsAt (and in the future)', { field: 'until' });
export const overrideTooLong = (maxHours: number) =>
  badInput(`until: an override may last at most ${maxHours} hours`, { field: 'until', maxHours });
