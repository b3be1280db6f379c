import type { AuthCheckerFn } from 'type-graphql';
import { forbidden, unauthenticated } from '../errors.js';
import { canAccessStore, type Role, type Viewer } from './viewer.js';

/** What the auth checker and helpers need from a subgraph's context. */
export interface AuthContext {
  viewer: Viewer | null;
}

/**
 * An `@Authorized(...)` rule: a role, or `scope:<scope>` for partners holding that scope.
 * `@Authorized()` without rules admits any authenticated caller.
 */
export type AuthRule = Role | `scope:${string}`;
export const scopeRule = (scope: string): AuthRule => `scope:${scope}`;

function describe(rules: readonly string[]): string {
  const roles = rules.filter((r) => !r.startsWith('scope:'));
  const scopes = rules.filter((r) => r.startsWith('scope:')).map((r) => r.slice('scope:'.length));
  const parts = [];
  if (roles.length) parts.push(`one of the roles ${roles.join(', ')}`);
  if (scopes.length) parts.push(`an API client scope ${scopes.join(', ')}`);
  return parts.join(' or ');
}

/** True when the viewer satisfies at least one rule (or the list is empty). */
export function satisfies(viewer: Viewer, rules: readonly string[]): boolean {
  if (rules.length === 0) return true;
  return rules.some((rule) =>
    rule.startsWith('scope:')
      ? viewer.scopes.includes(rule.slice('scope:'.length))
      : viewer.roles.includes(rule as Role),
  );
}

/**
 * type-graphql auth checker. It throws instead of returning false so that the codes
 * are the platform's own: UNAUTHENTICATED without a viewer, FORBIDDEN without a role.
 */
export const authChecker: AuthCheckerFn<AuthContext, string> = ({ context }, rules) => {
  const viewer = context.viewer;
  if (!viewer) throw unauthenticated();
  if (!satisfies(viewer, rules)) throw forbidden(`This requires ${describe(rules)}`);
  return true;
};

/** The authenticated viewer, or UNAUTHENTICATED. */
export function requireViewer(ctx: AuthContext): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}

/** The viewer when it has one of `rules`; otherwise UNAUTHENTICATED / FORBIDDEN. */
export function requireRole(ctx: AuthContext, ...rules: AuthRule[]): Viewer {
  const viewer = requireViewer(ctx);
  if (!satisfies(viewer, rules)) throw forbidden(`This requires ${describe(rules)}`);
  return viewer;
}

/** FORBIDDEN unless the viewer may act on the store (HQ roles: the tenant; store roles: their stores). */
export function requireStoreAccess(viewer: Viewer, storeId: string): void {
  if (!canAccessStore(viewer, storeId)) throw forbidden(`You have no access to store ${storeId}`);
}
