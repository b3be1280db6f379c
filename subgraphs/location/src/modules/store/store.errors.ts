import { badInput, conflict, notFound } from '@phub/kit';

export const storeNotFound = (id: string) => notFound('Store', id);
export const storeCodeTaken = (code: string) =>
  conflict(`A store with code ${code} already exists`, { field: 'code', code });
export const openingHoursInvalid = (day: string) =>
  badInput(`openingHours: on ${day} the store must close after it opens`, { field: 'openingHours', day });
export const openingHoursExceptionInvalid = (date: string, why: string) =>
  badInput(`openingHoursExceptions: ${date} ${why}`, { field: 'openingHoursExceptions', date });
