import { readScope, Visibility, writeScope, type StoreSet, type Viewer } from '@phub/kit';

export const QUEUE_READ_SCOPE = readScope('queue');
export const QUEUE_WRITE_SCOPE = writeScope('queue');

/** Who did something to a ticket, for the action log. */
export interface Actor {
  kind: 'user' | 'partner' | 'device' | 'visitor';
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
   * Outbound webhooks: HQ admins for the tenant or any store; store managers only for one of their stores
   * (a tenant-wide endpoint would hear about stores they do not run).
   */
  canManageWebhooks(storeId: string | null): boolean {
    return storeId === null ? this.isHqAdmin : this.canManageStore(storeId);
  }

  /** Visitor names, phones and notes are not for public screens. */
  get canSeePersonal(): boolean {
    return !this.isDevice;
  }

  get actor(): Actor {
    const v = this.who;
    return { kind: v.kind, id: v.subject };
  }
}
