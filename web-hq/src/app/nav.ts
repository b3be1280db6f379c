import type { Role } from '@phub/web-kit';

export interface NavItem {
  to: string;
  label: string;
  /** Any of these roles sees it */
  roles: readonly Role[];
}

const PEOPLE: readonly Role[] = ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER', 'STORE_MANAGER', 'STORE_STAFF'];

/** The main navigation, by role (the graph enforces the same rules; this only hides what would be refused). */
export const NAV: readonly NavItem[] = [
  { to: '/campaigns', label: 'Campaigns', roles: PEOPLE },
  { to: '/library', label: 'Library', roles: PEOPLE },
  // The review inbox: only HQ administrators approve.
  { to: '/reviews', label: 'Reviews', roles: ['HQ_ADMIN'] },
  { to: '/preview', label: 'Preview', roles: PEOPLE },
  // Layouts are designed by HQ for the whole fleet.
  { to: '/layouts', label: 'Layouts', roles: ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER'] },
  { to: '/fleet', label: 'Fleet', roles: PEOPLE },
  // Stores, displays, zones, display groups and the week calendar: HQ's (admins change, others read).
  { to: '/locations', label: 'Locations', roles: ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER'] },
  { to: '/reports', label: 'Reports', roles: ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER', 'STORE_MANAGER'] },
  // Users, API clients, audit and alerts are for admins; HQ roles also read the AEM sources there.
  { to: '/admin', label: 'Administration', roles: ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER'] },
];

/** Search across campaigns, creatives and AEM content: HQ people (the graph's `search` refuses others). */
export const SEARCH_ROLES: readonly Role[] = ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER'];

export function navFor(roles: readonly Role[]): NavItem[] {
  return NAV.filter((item) => item.roles.some((r) => roles.includes(r)));
}

export function rolesFor(path: string): readonly Role[] {
  return NAV.find((item) => path === item.to || path.startsWith(`${item.to}/`))?.roles ?? PEOPLE;
}

// Shared with the store app; kept importable from here for the dashboard's routes and specs.
export { basenameFrom } from '@phub/web-kit';
