import { Role } from '@phub/kit';
import type { MiddlewareFn } from 'type-graphql';
import type { AuthRequestContext } from '../../context.js';
import type { User } from './user.entity.js';

/**
 * Who may see a person's private fields (email, roles, stores, status, sign-in and change times):
 * HQ admins of their tenant and the person themself. Other people and partners of the tenant see
 * only the id and display name; devices and other tenants do not see the person at all (the
 * reference resolver and the user loader return nothing for them).
 */
export function canSeePrivateFields(ctx: AuthRequestContext, user: User): boolean {
  if (ctx.disclosed.has(user.id)) return true;
  const viewer = ctx.viewer;
  if (!viewer || viewer.kind !== 'user' || viewer.tenantId !== user.tenantId) return false;
  return viewer.subject === user.id || viewer.roles.includes(Role.HQ_ADMIN);
}

/** Whether the caller may see the person at all (by id and display name). */
export const canSeeUser = (ctx: Pick<AuthRequestContext, 'viewer'>) =>
  Boolean(ctx.viewer && ctx.viewer.kind !== 'device');

/** Field middleware: a private field reads null for callers who may not see it. */
export const PrivateUserField: MiddlewareFn<AuthRequestContext> = async ({ root, context }, next) =>
  canSeePrivateFields(context, root as User) ? next() : null;

/**
 * Lets the rest of this response show the person's own fields: sign-in, refresh and invitation
 * answers carry the person before any token names them as the viewer.
 */
export function discloseToOwner(ctx: AuthRequestContext, user: User | null): void {
  if (user) ctx.disclosed.add(user.id);
}
