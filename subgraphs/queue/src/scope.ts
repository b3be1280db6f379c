import {
  hasHqRole,
  hasStoreRole,
  readScope,
  Role,
  Visibility,
  writeScope,
  type StoreSet,
  type Viewer,
} from '@phub/kit';

export const QUEUE_READ_SCOPE = readScope('queue');
export const QUEUE_WRITE_SCOPE = writeScope('queue');

/** Who did something to a ticket, for the action log. */
export interface Actor {
  kind: 'user' | 'partner' | 'device' | 'kiosk' | 'visitor';
  id: string | null;
}

/**
 * Queue's adapter over the kit's visibility rule (packages/kit/src/visibility); services ask it before
 * every read and write. Rows of stores a caller may not see are NOT_FOUND to it, so they do not leak.
 * The queue keeps no record of displays, so a queue board (a device) is in the store its token names.
 */
export class QueueScope extends Visibility {
  constructor(viewer: Viewer | null) {
    super(viewer, { domain: 'queue' });
  }

  /** Store ids the viewer may read, or 'all' for the whole tenant. Partners need queue:read or queue:write. */
  visibleStores(): StoreSet {
    return this.storesFromToken();
  }

  /**
   * A kiosk tablet: takes tickets and check-ins for its own store, reads its lines, nothing else. (The kit's
   * rule sees it as a person without roles, so every other read and write is refused to it already.)
   */
  get isKiosk(): boolean {
    const v = this.viewer;
    return !!v && v.roles.includes(Role.KIOSK) && !hasHqRole(v) && !hasStoreRole(v);
  }

  /** Whether the viewer is a kiosk of this store (in its tenant). */
  isKioskOf(tenantId: string, storeId: string): boolean {
    return this.isKiosk && tenantId === this.tenantId && this.who.storeIds.includes(storeId);
  }

  /** Lines (no personal data) are also for the store's kiosks, which show them as buttons. */
  canReadLines(tenantId: string, storeId: string): boolean {
    return this.isKioskOf(tenantId, storeId) || this.canRead(tenantId, storeId);
  }

  /** Whether the viewer serves any queue at all (check-in by code is for them, kiosks and visitors). */
  get servesQueues(): boolean {
    return this.isHqAdmin || (this.isPerson && hasStoreRole(this.who)) || this.partnerMayWrite;
  }

  canRead(tenantId: string, storeId: string): boolean {
    if (tenantId !== this.tenantId) return false;
    const stores = this.visibleStores();
    return stores === 'all' || stores.includes(storeId);
  }

  /** Clerk actions and adding visitors: store roles in their stores, HQ admins, partners with queue:write. */
  canAct(storeId: string): boolean {
    return this.canActInStore(storeId) || this.partnerMayWrite;
  }

  /** Lines, desks, hours and staff assignments: store managers in their stores, HQ admins. */
  canConfigure(storeId: string): boolean {
    return this.canManageStore(storeId);
  }

  /**
   * Visitor names, phones and notes are not for public screens, nor for partners: a visitor's consent (to SMS)
   * is no consent to hand their data to third parties, and a partner that booked or ordered for them knows it
   * already. (The public contract has no personal field either; this holds whatever schema a partner reaches.)
   */
  get canSeePersonal(): boolean {
    return !this.isDevice && !this.isKiosk && !this.isPartner;
  }

  get actor(): Actor {
    const v = this.who;
    return { kind: this.isKiosk ? 'kiosk' : v.kind, id: v.subject };
  }
}
