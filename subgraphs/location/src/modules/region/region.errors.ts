import { conflict, notFound } from '@phub/kit';

export const regionNotFound = (id: string) => notFound('Region', id);
export const regionCodeTaken = (code: string) =>
  conflict(`A region with code ${code} already exists`, { field: 'code', code });
export const regionInUse = (id: string) =>
  conflict(`Region ${id} still has active stores; move or archive them first`, { id });
