/** Roles of the platform. HQ roles cover the whole tenant; store roles only their stores. */
export const Role = {
  HQ_ADMIN: 'HQ_ADMIN',
  HQ_EDITOR: 'HQ_EDITOR',
  HQ_VIEWER: 'HQ_VIEWER',
  STORE_MANAGER: 'STORE_MANAGER',
  STORE_STAFF: 'STORE_STAFF',
  PARTNER: 'PARTNER',
  DEVICE: 'DEVICE',
  /**
   * A store tablet where visitors take a ticket or check in (a kiosk). Paired like a display, bound to one
   * display id of its store, but it is no display: rules written for DEVICE do not apply to it.
   */
  KIOSK: 'KIOSK',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const HQ_ROLES: readonly Role[] = [Role.HQ_ADMIN, Role.HQ_EDITOR, Role.HQ_VIEWER];
export const STORE_ROLES: readonly Role[] = [Role.STORE_MANAGER, Role.STORE_STAFF];

/** Roles a paired device credential carries: a display player, or a kiosk tablet. */
export const DEVICE_ROLES: readonly Role[] = [Role.DEVICE, Role.KIOSK];

/** Who is calling, as proven by a verified access token. */
export interface Viewer {
  /** `device`: a paired display player or kiosk (roles DEVICE or KIOSK) */
  kind: 'user' | 'partner' | 'device';
  /** user id, API client id, or display id */
  subject: string;
  tenantId: string;
  roles: Role[];
  /** stores granted to store roles (empty for HQ roles, which cover the tenant) */
  storeIds: string[];
  /** the one display a device credential is bound to */
  displayId?: string;
  /** partner scopes, e.g. `location:read` */
  scopes: string[];
  /** token id (jti) and session/family id, for revocation */
  tokenId: string;
  sessionId?: string;
  expiresAt: number;
}

export const hasHqRole = (viewer: Viewer) => viewer.roles.some((r) => HQ_ROLES.includes(r));
export const hasStoreRole = (viewer: Viewer) => viewer.roles.some((r) => STORE_ROLES.includes(r));

/** The well-known id of the demo tenant that embedded defaults seed in every subgraph. */
export const DEMO_TENANT_ID = '00000000-0000-4000-8000-00000000d3e0';

/** The first store of the demo tenant; the location subgraph's demo seed gives it this fixed id. */
export const DEMO_FIRST_STORE_ID = '00000000-0000-4000-8000-0000000005a1';

/** True when the viewer may act on `storeId`: HQ roles cover the tenant, store roles only their stores. */
export const canAccessStore = (viewer: Viewer, storeId: string) =>
  hasHqRole(viewer) || (hasStoreRole(viewer) && viewer.storeIds.includes(storeId));
