import type { GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.js';
import {
  authChecker,
  requireRole,
  requireStoreAccess,
  requireViewer,
  scopeRule,
  type AuthRule,
} from './auth-checker.js';
import { Role, type Viewer } from './viewer.js';

const viewer = (patch: Partial<Viewer>): Viewer => ({
  kind: 'user',
  subject: 'u1',
  tenantId: 't1',
  roles: [],
  storeIds: [],
  scopes: [],
  tokenId: 'j1',
  expiresAt: 0,
  ...patch,
});

const check = (v: Viewer | null, rules: AuthRule[]) =>
  authChecker({ context: { viewer: v }, root: {}, args: {}, info: {} as GraphQLResolveInfo }, rules);

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'ALLOWED';
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
}

describe('authChecker', () => {
  const hqAdmin = viewer({ roles: [Role.HQ_ADMIN] });
  const manager = viewer({ roles: [Role.STORE_MANAGER], storeIds: ['s1'] });
  const partner = viewer({ kind: 'partner', roles: [Role.PARTNER], scopes: ['location:read'] });

  it.each([
    ['anonymous, any authenticated', null, [], 'UNAUTHENTICATED'],
    ['anonymous, HQ_ADMIN', null, [Role.HQ_ADMIN], 'UNAUTHENTICATED'],
    ['HQ_ADMIN, any authenticated', hqAdmin, [], 'ALLOWED'],
    ['HQ_ADMIN, HQ_ADMIN', hqAdmin, [Role.HQ_ADMIN], 'ALLOWED'],
    ['STORE_MANAGER, HQ_ADMIN', manager, [Role.HQ_ADMIN], 'FORBIDDEN'],
    ['STORE_MANAGER, HQ_ADMIN or STORE_MANAGER', manager, [Role.HQ_ADMIN, Role.STORE_MANAGER], 'ALLOWED'],
    ['partner with the scope', partner, [Role.HQ_ADMIN, scopeRule('location:read')], 'ALLOWED'],
    ['partner without the scope', partner, [scopeRule('queue:read')], 'FORBIDDEN'],
    ['partner, PARTNER', partner, [Role.PARTNER], 'ALLOWED'],
  ] as [string, Viewer | null, AuthRule[], string][])('%s → %s', (_name, v, rules, expected) => {
    expect(codeOf(() => check(v, rules))).toBe(expected);
  });

  it('names what was missing', () => {
    expect(() => check(manager, [Role.HQ_ADMIN, scopeRule('location:write')])).toThrow(
      'This requires one of the roles HQ_ADMIN or an API client scope location:write',
    );
  });
});

describe('auth helpers', () => {
  it('requireViewer / requireRole', () => {
    expect(codeOf(() => requireViewer({ viewer: null }))).toBe('UNAUTHENTICATED');
    expect(requireViewer({ viewer: viewer({ subject: 'me' }) }).subject).toBe('me');
    expect(codeOf(() => requireRole({ viewer: viewer({ roles: [Role.HQ_VIEWER] }) }, Role.HQ_ADMIN))).toBe('FORBIDDEN');
    expect(codeOf(() => requireRole({ viewer: null }, Role.HQ_ADMIN))).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['HQ role, any store', viewer({ roles: [Role.HQ_VIEWER] }), 's9', 'ALLOWED'],
    ['store role, own store', viewer({ roles: [Role.STORE_STAFF], storeIds: ['s1'] }), 's1', 'ALLOWED'],
    ['store role, other store', viewer({ roles: [Role.STORE_STAFF], storeIds: ['s1'] }), 's2', 'FORBIDDEN'],
    ['partner', viewer({ roles: [Role.PARTNER] }), 's1', 'FORBIDDEN'],
    ['device', viewer({ roles: [Role.DEVICE], storeIds: ['s1'], displayId: 'd1' }), 's1', 'FORBIDDEN'],
  ])('requireStoreAccess: %s → %s', (_name, v, storeId, expected) => {
    expect(codeOf(() => requireStoreAccess(v, storeId))).toBe(expected);
  });
});
