import { forbidden, hasHqRole, hasStoreRole, readScope, Role, Visibility, writeScope, type Viewer } from '@phub/kit';

export const VISITOR_READ_SCOPE = readScope('visitor');
export const VISITOR_WRITE_SCOPE = writeScope('visitor');

/** Who did something, for the audit and the consent history (ids of staff and clients, never of visitors). */
export interface Actor {
  kind: 'user' | 'partner' | 'kiosk' | 'system';
  id: string | null;
}

/**
 * The visitor subgraph's rule over the kit's visibility (packages/kit/src/visibility). Personal data is narrower
 * than anywhere else: HQ roles manage segments and see aggregates, only HQ admins open a profile (access, erasure,
 * audit), store staff see the check-in cards of consenting visitors of their own stores, partners work by
 * identifier with `visitor:read`/`visitor:write` and never read a personal field, displays see nothing.
 */
export class VisitorScope extends Visibility {
  constructor(viewer: Viewer | null) {
    super(viewer, { domain: 'visitor' });
  }

  /** A kiosk tablet (paired like a display, KIOSK role): checks visitors in for its own store. */
  get isKiosk(): boolean {
    const v = this.viewer;
    return !!v && v.roles.includes(Role.KIOSK) && !hasHqRole(v) && !hasStoreRole(v);
  }

  /** Segments and their rules: HQ admins and editors. */
  assertCanManageSegments(): void {
    const v = this.who;
    if (!(this.isPerson && (v.roles.includes(Role.HQ_ADMIN) || v.roles.includes(Role.HQ_EDITOR)))) {
      throw forbidden('Segments are managed by HQ admins and editors');
    }
  }

  /** Segments and aggregates (no personal field): HQ roles, partners with a visitor scope. */
  assertCanReadAggregates(): void {
    this.assertCanRead(); // a partner without visitor:read or visitor:write is refused here
    if (this.isPartner) return;
    if (!(this.isPerson && hasHqRole(this.who))) throw forbidden('Visitor aggregates are for HQ roles');
  }

  /** Opening a profile (access request, erasure, the audit): HQ admins only. */
  assertCanOpenProfiles(): void {
    if (!this.isHqAdmin) throw forbidden('Visitor profiles are opened by HQ admins only');
  }

  /** Imports and consent by identifier: partners with visitor:write, HQ admins. */
  assertCanWriteByIdentifier(): void {
    if (!(this.partnerMayWrite || this.isHqAdmin)) throw forbidden('This requires visitor:write or HQ_ADMIN');
  }

  /** Check-in cards (name, badges, notes): the store's own managers and staff, nobody else. */
  canSeeCheckIns(storeId: string): boolean {
    const v = this.who;
    return this.isPerson && hasStoreRole(v) && v.storeIds.includes(storeId);
  }

  /** Checking a visitor in: the store's staff and kiosks, partners with visitor:write (booking systems). */
  canCheckIn(storeId: string): boolean {
    const v = this.who;
    if (this.isKiosk) return v.storeIds.includes(storeId);
    return this.canSeeCheckIns(storeId) || this.partnerMayWrite;
  }

  get actor(): Actor {
    const v = this.who;
    return { kind: this.isKiosk ? 'kiosk' : v.kind === 'partner' ? 'partner' : 'user', id: v.subject };
  }
}

/** The retention job and other work nobody asked for in a request. */
export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'visitor.retention' };
