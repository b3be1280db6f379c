import { type AuthRule, readScope, Role, scopeRule, type StoreSet, type Viewer, Visibility } from '@phub/kit';

export const PROXIMITY_READ_SCOPE = readScope('proximity');

/** Mist connection, site and zone mappings: HQ only (HQ admins change them). */
export const HQ: AuthRule[] = [Role.HQ_ADMIN, Role.HQ_EDITOR, Role.HQ_VIEWER];
export const HQ_ADMIN: AuthRule[] = [Role.HQ_ADMIN];
/** Footfall and dwell (aggregates, no device): HQ, store roles for their stores, partners with proximity:read. */
export const REPORT_READERS: AuthRule[] = [
  ...HQ,
  Role.STORE_MANAGER,
  Role.STORE_STAFF,
  scopeRule(PROXIMITY_READ_SCOPE),
];

/** Proximity's adapter over the kit's visibility rule: reports are scoped to the stores the viewer may see. */
export class ProximityScope extends Visibility {
  constructor(viewer: Viewer | null) {
    super(viewer, { domain: 'proximity' });
  }

  visibleStores(): StoreSet {
    return this.storesFromToken();
  }
}
