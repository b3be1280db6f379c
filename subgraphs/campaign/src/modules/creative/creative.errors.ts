import { badInput, conflict, notFound } from '@phub/kit';

export const creativeNotFound = (id: string) => notFound('Creative', id);

/** BAD_USER_INPUT naming the field, in the same `fields` shape as class-validator failures. */
export const invalidCreativeField = (field: string, message: string, details: Record<string, unknown> = {}) =>
  badInput(`Invalid input: ${field}: ${message}`, { ...details, fields: [{ field, messages: [message] }] });

export const notUploadedYet = (id: string) =>
  badInput(`Nothing has been uploaded for creative ${id} yet: PUT the bytes to its uploadUrl first`, {
    reason: 'NOT_UPLOADED',
  });
export const uploadMismatch = (problems: { field: string; message: string }[]) =>
  badInput(`The uploaded file does not match the upload: ${problems.map((p) => p.message).join('; ')}`, {
    reason: 'UPLOAD_MISMATCH',
    fields: problems.map((p) => ({ field: p.field, messages: [p.message] })),
  });
export const creativeFailed = (id: string) =>
  conflict(`Creative ${id} failed verification; create a new upload`, { reason: 'FAILED' });
export const creativeArchived = (id: string) => conflict(`Creative ${id} is archived`, { reason: 'ARCHIVED' });
export const creativeNotArchived = (id: string) =>
  conflict(`Creative ${id} is not archived`, { reason: 'NOT_ARCHIVED' });
export const noUploadForAem = () =>
  invalidCreativeField('kind', 'AEM creatives are content references: use createAemCreative');
export const noUploadForBuiltIn = () =>
  invalidCreativeField('kind', 'Built-in creatives are drawn by the player: use createBuiltInCreative', {
    reason: 'BUILT_IN',
  });
export const variantNotFound = (creativeId: string, locale: string) =>
  notFound('CreativeVariant', `${creativeId}/${locale}`);
