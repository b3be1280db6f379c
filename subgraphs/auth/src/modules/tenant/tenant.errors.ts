import { badInput, conflict, notFound } from '@phub/kit';

export const tenantNotFound = (id: string) => notFound('Tenant', id);
export const tenantSlugTaken = (slug: string) =>
  conflict(`A tenant with slug ${slug} already exists`, { field: 'slug', slug });
export const tenantSlugInvalid = (slug: string) =>
  badInput('slug: must be 1-40 lowercase letters, digits or dashes', { field: 'slug', slug });
