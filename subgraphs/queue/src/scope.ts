import { forbidden, hasHqRole, hasStoreRole, Role, unauthenticated, type Viewer } from '@phub/kit';

export const QUEUE_READ_SCOPE = 'queue:read';
export const QUEUE_WRITE_SCOPE = 'queue:write';

/** Who did something to a ticket, for the action log. */
export interface Actor {
  kind: 'user' | 'partner' | 'device' | 'kiosk' | 'visitor';
  id: string | null;
}

/**
 * The one place where tenant and store visibility is decided for this subgraph; services ask it before
 * every read and write. Rows of stores a caller may not see are NOT_FOUND to it, so they do not leak.
 */
export class QueueScope {
  constructor(readonly viewer: Viewer | null) {}

  get who(): Viewer {
    if (!this.viewer) throw unauthenticated();
    return this.viewer;
  }

  get tenantId(): string {
    return this.who.tenantId;
  }

  /** A device credential on its own (a display showing the board), not also a person. */
  get isDevice(): boolean {
    const v = this.viewer;
    return !!v && v.roles.includes(Role.DEVICE) && !hasHqRole(v) && !hasStoreRole(v);
  }

  /** A kiosk tablet: takes tickets and check-ins for its own store, reads its lines, nothing else. */
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

  private get isPartner(): boolean {
    return !!this.viewer?.roles.includes(Role.PARTNER);
  }

  /** Store ids the viewer may read, or 'all' for the whole tenant. Partners need a queue scope. */
  visibleStores(): 'all' | string[] {
    const v = this.who;
    if (hasHqRole(v)) return 'all';
    if (this.isPartner) {
      if (v.scopes.includes(QUEUE_READ_SCOPE) || v.scopes.includes(QUEUE_WRITE_SCOPE)) return 'all';
      throw forbidden(`This API client lacks the ${QUEUE_READ_SCOPE} or ${QUEUE_WRITE_SCOPE} scope`);
    }
    if (hasStoreRole(v) || v.roles.includes(Role.DEVICE)) return v.storeIds;
    return [];
  }

  canRead(tenantId: string, storeId: string): boolean {
    if (tenantId !== this.tenantId) return false;
    const stores = this.visibleStores();
    return stores === 'all' || stores.includes(storeId);
  }

  /** Clerk actions and adding visitors: store roles in their stores, HQ admins, partners with queue:write. */
  canAct(storeId: string): boolean {
    const v = this.who;
    if (v.roles.includes(Role.HQ_ADMIN)) return true;
    if (hasStoreRole(v) && v.storeIds.includes(storeId)) return true;
    return this.isPartner && v.scopes.includes(QUEUE_WRITE_SCOPE);
  }

  /** Whether the viewer serves any queue at all (check-in by code is for them, kiosks and visitors). */
  get servesQueues(): boolean {
    const v = this.who;
    return (
      v.roles.includes(Role.HQ_ADMIN) || hasStoreRole(v) || (this.isPartner && v.scopes.includes(QUEUE_WRITE_SCOPE))
    );
  }

  /** Lines, desks, hours and staff assignments: store managers in their stores, HQ admins. */
  canConfigure(storeId: string): boolean {
    const v = this.who;
    if (v.roles.includes(Role.HQ_ADMIN)) return true;
    return v.roles.includes(Role.STORE_MANAGER) && v.storeIds.includes(storeId);
  }

  /** Visitor names, phones and notes are not for public screens. */
  get canSeePersonal(): boolean {
    return !this.isDevice && !this.isKiosk;
  }

  get actor(): Actor {
    const v = this.who;
    return { kind: this.isKiosk ? 'kiosk' : v.kind, id: v.subject };
  }
}
