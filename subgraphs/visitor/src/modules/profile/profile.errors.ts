import { badInput, conflict, notFound } from '@phub/kit';

export const visitorNotFound = (id: string) => notFound('Visitor', id);
export const invalidIdentifier = (index: number, kind: string) =>
  badInput(`identifiers[${index}] is not a valid ${kind}`, { reason: 'INVALID_IDENTIFIER', index, kind });
export const noIdentifier = () =>
  badInput('At least one identifier is needed to recognise a visitor', { reason: 'NO_IDENTIFIER' });
export const tooMany = (field: string, max: number) =>
  badInput(`${field}: at most ${max}`, { reason: 'TOO_MANY', field, max });
export const invalidAttribute = (name: string) =>
  badInput(`Attribute ${name}: names are 1–40 letters, digits, _ or -; values 1–200 characters`, {
    reason: 'INVALID_ATTRIBUTE',
  });
export const visitorErased = (id: string) =>
  conflict(`Visitor ${id} was erased: nothing can be added to it`, { reason: 'ERASED', id });
