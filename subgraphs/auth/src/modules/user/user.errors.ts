import { badInput, conflict, notFound } from '@phub/kit';

export const userNotFound = (id: string) => notFound('User', id);
export const emailTaken = (email: string) =>
  conflict(`A user with email ${email} already exists`, { field: 'email', email });
export const rolesNotForPeople = (roles: string[]) =>
  badInput(`roles: ${roles.join(', ')} cannot be given to a person`, { field: 'roles', roles });
export const storesRequired = () => badInput('storeIds: a store role needs at least one store', { field: 'storeIds' });
export const storesWithoutStoreRole = () =>
  badInput('storeIds: stores apply only to store roles (HQ roles cover the whole tenant)', { field: 'storeIds' });
export const cannotChangeSelf = (what: string) =>
  badInput(`You cannot ${what} yourself; ask another HQ admin`, { field: 'userId' });
export const wrongCurrentPassword = () =>
  badInput('currentPassword: is not your current password', { field: 'currentPassword' });
