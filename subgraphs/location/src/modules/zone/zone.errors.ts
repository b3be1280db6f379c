import { conflict, notFound } from '@phub/kit';

export const zoneNotFound = (id: string) => notFound('Zone', id);
export const zoneInUse = (id: string) =>
  conflict(`Zone ${id} still has active displays or devices; move them first`, { id });
