import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { forbidden, unauthenticated } from '../errors.js';
import { HQ_ROLES, Role, STORE_ROLES, type Viewer } from '../auth/viewer.js';
import { readScope, writeScope, type PartnerDomain } from './scopes.js';

/** Stores a viewer may see: every store of its tenant, or these. */
export type StoreSet = 'all' | readonly string[];

/** Matches nothing: an empty id list still needs a value in `IN (...)`. */
export const NO_ID = '00000000-0000-0000-0000-000000000000';

export type Party = 'device' | 'partner' | 'person';

/** Which party the rule sees in a viewer (the same precedence as the token's `kind`). */
export function partyOf(viewer: Viewer): Party {
  if (viewer.roles.includes(Role.DEVICE)) return 'device';
  if (viewer.roles.includes(Role.PARTNER)) return 'partner';
  return 'person';
}

/** True when a partner holds the domain's read or write scope (write implies read). */
export function partnerMayRead(viewer: Viewer, domain: PartnerDomain): boolean {
  return viewer.scopes.includes(readScope(domain)) || viewer.scopes.includes(writeScope(domain));
}

/**
 * Stores a viewer may see in a domain, or FORBIDDEN for a partner without the domain's scope.
 * `deviceStores` is where the viewer's display is (ignored unless the viewer is a device).
 */
export function visibleStores(viewer: Viewer, domain: PartnerDomain, deviceStores: readonly string[]): StoreSet {
  switch (partyOf(viewer)) {
    case 'partner':
      if (!partnerMayRead(viewer, domain)) {
        throw forbidden(`This API client lacks the ${readScope(domain)} scope`);
      }
      return 'all';
    case 'device':
      return deviceStores;
    case 'person':
      if (viewer.roles.some((r) => HQ_ROLES.includes(r))) return 'all';
      if (viewer.roles.some((r) => STORE_ROLES.includes(r))) return viewer.storeIds;
      return [];
  }
}

/** Columns (entity property names) a row is scoped by. */
export interface ScopedColumns {
  /** Default `tenantId`. */
  tenant?: string;
  /** The row's store; null for tenant-wide rows (visible to every reader of the tenant). */
  store: string | null;
  /** Rows whose store is null are tenant-wide (campaigns): visible beside the viewer's stores' rows. */
  nullStoreIsTenantWide?: boolean;
  /** The row's display: a device sees only rows of its own display. */
  display?: string;
  /**
   * What a device sees of rows without a display column: nothing (default), or the rows of its
   * display's store (the store row itself).
   */
  deviceSees?: 'nothing' | 'own-store';
}

/** The same columns as raw SQL expressions (quoted column names), for reports. */
export interface SqlColumns {
  tenant: string;
  store: string | null;
  display?: string;
}

export interface VisibilityRule {
  domain: PartnerDomain;
  /** The store of a display as this subgraph records it (null when it has no record). */
  deviceStore?: (tenantId: string, displayId: string) => Promise<string | null>;
}

export interface StoreRoleOptions {
  /** HQ editors count as HQ admins here (campaigns, overrides, alerts). */
  hqEditors?: boolean;
}

/** The rule (see ./index.ts for the decisions) for one request's viewer in one domain; subgraph scopes extend it. */
export class Visibility {
  private storesMemo?: Promise<StoreSet>;

  constructor(
    readonly viewer: Viewer | null,
    protected readonly rule: VisibilityRule,
  ) {}

  /** The authenticated viewer, or UNAUTHENTICATED. */
  get who(): Viewer {
    if (!this.viewer) throw unauthenticated();
    return this.viewer;
  }

  get tenantId(): string {
    return this.who.tenantId;
  }

  get subject(): string {
    return this.who.subject;
  }

  /** A device credential: it sees its own display only. */
  get isDevice(): boolean {
    return !!this.viewer && partyOf(this.viewer) === 'device';
  }

  get isPartner(): boolean {
    return !!this.viewer && partyOf(this.viewer) === 'partner';
  }

  get isPerson(): boolean {
    return !!this.viewer && partyOf(this.viewer) === 'person';
  }

  /** FORBIDDEN for a partner without the domain's read (or write) scope; anyone else passes. */
  assertCanRead(): void {
    const v = this.who;
    if (partyOf(v) === 'partner' && !partnerMayRead(v, this.rule.domain)) {
      throw forbidden(`This API client lacks the ${readScope(this.rule.domain)} scope`);
    }
  }

  /** A partner holding the domain's write scope. */
  get partnerMayWrite(): boolean {
    return this.isPartner && this.who.scopes.includes(writeScope(this.rule.domain));
  }

  /** Stores the viewer may see in this domain (a device: its display's store, looked up once per request). */
  stores(): Promise<StoreSet> {
    this.storesMemo ??= this.computeStores();
    return this.storesMemo;
  }

  /**
   * The same, synchronously, for a subgraph without display records (no `deviceStore` lookup):
   * a device's store is then the one its token names.
   */
  storesFromToken(): StoreSet {
    if (this.rule.deviceStore) throw new Error('This subgraph looks device stores up: use stores()');
    return visibleStores(this.who, this.rule.domain, this.who.storeIds);
  }

  async canSeeStore(storeId: string): Promise<boolean> {
    const stores = await this.stores();
    return stores === 'all' || stores.includes(storeId);
  }

  private async computeStores(): Promise<StoreSet> {
    const v = this.who;
    this.assertCanRead();
    if (partyOf(v) !== 'device') return visibleStores(v, this.rule.domain, []);
    if (!this.rule.deviceStore) return visibleStores(v, this.rule.domain, v.storeIds);
    const store = v.displayId ? await this.rule.deviceStore(v.tenantId, v.displayId) : null;
    return visibleStores(v, this.rule.domain, store ? [store] : []);
  }

  /** True when the viewer is the device of this very display. */
  isOwnDisplay(displayId: string): boolean {
    return this.isDevice && this.who.displayId === displayId;
  }

  get isHqAdmin(): boolean {
    return this.isPerson && this.who.roles.includes(Role.HQ_ADMIN);
  }

  assertHqAdmin(): void {
    if (!this.isHqAdmin) throw forbidden('This requires the HQ_ADMIN role');
  }

  private hqActs(options: StoreRoleOptions): boolean {
    const v = this.who;
    return this.isHqAdmin || (!!options.hqEditors && this.isPerson && v.roles.includes(Role.HQ_EDITOR));
  }

  /** Manage a store's things: HQ admins (and editors where asked) tenant-wide, store managers their stores. */
  canManageStore(storeId: string | null, options: StoreRoleOptions = {}): boolean {
    if (this.hqActs(options)) return true;
    const v = this.who;
    return this.isPerson && !!storeId && v.roles.includes(Role.STORE_MANAGER) && v.storeIds.includes(storeId);
  }

  assertCanManageStore(storeId: string | null, options: StoreRoleOptions = {}): void {
    if (!this.canManageStore(storeId, options)) throw forbidden(`You cannot manage store ${storeId ?? ''}`.trim());
  }

  /** Act in a store (serve a queue, acknowledge an alert): as managing it, plus store staff in their stores. */
  canActInStore(storeId: string, options: StoreRoleOptions = {}): boolean {
    if (this.hqActs(options)) return true;
    const v = this.who;
    return this.isPerson && v.roles.some((r) => STORE_ROLES.includes(r)) && v.storeIds.includes(storeId);
  }

  /**
   * Limits a query builder (on its main alias) to the viewer's tenant, stores and — for a device —
   * display. Use it for the rows a mutation changes as well as for reads.
   */
  async restrict<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    columns: ScopedColumns,
  ): Promise<SelectQueryBuilder<T>> {
    const stores = await this.stores();
    const a = qb.alias;
    qb.andWhere(`${a}.${columns.tenant ?? 'tenantId'} = :visTenant`, { visTenant: this.tenantId });
    if (this.isDevice) {
      if (columns.display) qb.andWhere(`${a}.${columns.display} = :visDisplay`, { visDisplay: this.ownDisplayId });
      else if (columns.deviceSees !== 'own-store') qb.andWhere('1 = 0');
    }
    if (stores !== 'all' && columns.store) {
      const inStores = `${a}.${columns.store} IN (:...visStores)`;
      qb.andWhere(columns.nullStoreIsTenantWide ? `(${a}.${columns.store} IS NULL OR ${inStores})` : inStores, {
        visStores: stores.length ? [...stores] : [NO_ID],
      });
    }
    return qb;
  }

  /** The raw-SQL form of `restrict`: a WHERE fragment and its parameters, numbered from `$next`. */
  async sqlWhere(columns: SqlColumns, next: number): Promise<{ sql: string; params: unknown[] }> {
    const stores = await this.stores();
    const params: unknown[] = [this.tenantId];
    const parts = [`${columns.tenant} = $${next}`];
    if (this.isDevice) {
      if (columns.display) {
        params.push(this.ownDisplayId);
        parts.push(`${columns.display} = $${next + params.length - 1}::uuid`);
      } else {
        parts.push('FALSE');
      }
    }
    if (stores !== 'all' && columns.store) {
      params.push(stores.length ? [...stores] : [NO_ID]);
      parts.push(`${columns.store} = ANY($${next + params.length - 1}::uuid[])`);
    }
    return { sql: parts.join(' AND '), params };
  }

  private get ownDisplayId(): string {
    return this.who.displayId ?? NO_ID;
  }
}
