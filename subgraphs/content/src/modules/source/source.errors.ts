import { badInput, conflict, notFound } from '@phub/kit';

export const sourceNotFound = (id: string) => notFound('AemSource', id);
export const sourceNameTaken = (name: string) =>
  conflict(`An AEM source named "${name}" exists already`, { field: 'name' });
export const invalidSourceField = (field: string, message: string) => badInput(message, { field });
