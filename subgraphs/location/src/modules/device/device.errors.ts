import { conflict, notFound } from '@phub/kit';

export const deviceNotFound = (id: string) => notFound('Device', id);
export const serialTaken = (serial: string) =>
  conflict(`A device with serial ${serial} already exists`, { field: 'serial', serial });
