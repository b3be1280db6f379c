import { badInput, conflict, notFound } from '@phub/kit';

// `reason` is the stable, machine-readable part of each error (extensions.reason).
export const layoutNotFound = (id: string) => notFound('Layout', id);
export const layoutNameTaken = (name: string) =>
  conflict(`A layout named “${name}” exists already`, { field: 'name', reason: 'LAYOUT_NAME_TAKEN' });
export const layoutInvalid = (field: string, message: string, reason: string) =>
  badInput(`${field}: ${message}`, { field, reason });
