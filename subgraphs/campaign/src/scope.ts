import { forbidden, hasHqRole, hasStoreRole, notFound, Role, unauthenticated, type Viewer } from '@phub/kit';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isUuid } from './ids.js';
import { Campaign } from './modules/campaign/campaign.entity.js';
import { DisplayOverride } from './modules/override/override.entity.js';
import { KnownDisplay } from './modules/projection/projection.entity.js';

/** The partner scope (see auth's PARTNER_SCOPES) that lets an API client read campaigns and playlists. */
export const CAMPAIGN_READ_SCOPE = 'campaign:read';
const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The one place where tenant, store and display scoping happens for this subgraph. Every read of
 * campaign rows, overrides or projected displays starts here, so a resolver cannot forget a filter.
 * Store roles see tenant-wide campaigns and their own stores' store-local ones; a device sees only
 * its own display; partners need `campaign:read`; nobody crosses tenants.
 */
export class CampaignScope {
  private deviceStore?: Promise<string | null>;

  constructor(
    private readonly dataSource: DataSource,
    readonly viewer: Viewer | null,
  ) {}

  /** The authenticated viewer, or UNAUTHENTICATED. */
  get who(): Viewer {
    if (!this.viewer) throw unauthenticated();
    return this.viewer;
  }

  get tenantId(): string {
    return this.who.tenantId;
  }

  /** A device credential and nothing else. */
  get isDevice(): boolean {
    const v = this.who;
    return v.roles.includes(Role.DEVICE) && !hasHqRole(v) && !hasStoreRole(v);
  }

  /** Partners read only with the campaign:read scope. */
  assertCanRead(): void {
    const v = this.who;
    if (v.roles.includes(Role.PARTNER) && !hasHqRole(v) && !v.scopes.includes(CAMPAIGN_READ_SCOPE)) {
      throw forbidden(`This API client lacks the ${CAMPAIGN_READ_SCOPE} scope`);
    }
  }

  /** Store ids the viewer may see, or 'all' for the whole tenant. */
  async visibleStores(): Promise<'all' | string[]> {
    this.assertCanRead();
    const v = this.who;
    if (hasHqRole(v) || v.roles.includes(Role.PARTNER)) return 'all';
    if (this.isDevice) {
      this.deviceStore ??= this.dataSource
        .getRepository(KnownDisplay)
        .findOne({ where: { id: v.displayId ?? NO_ID, tenantId: v.tenantId }, select: { storeId: true } })
        .then((d) => d?.storeId ?? null);
      const storeId = await this.deviceStore;
      return storeId ? [storeId] : [];
    }
    if (hasStoreRole(v)) return v.storeIds;
    return [];
  }

  async canSeeStore(storeId: string): Promise<boolean> {
    const stores = await this.visibleStores();
    return stores === 'all' || stores.includes(storeId);
  }

  private limitToStores<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    column: string,
    stores: 'all' | string[],
    options: { orTenantWide?: boolean } = {},
  ): SelectQueryBuilder<T> {
    if (stores === 'all') return qb;
    const ids = stores.length ? stores : [NO_ID];
    const inStores = `${qb.alias}.${column} IN (:...visibleStores)`;
    return qb.andWhere(options.orTenantWide ? `(${qb.alias}.${column} IS NULL OR ${inStores})` : inStores, {
      visibleStores: ids,
    });
  }

  /** Campaigns of the viewer's tenant it may see: tenant-wide ones and store-local ones of its stores. */
  async campaigns(alias = 'c'): Promise<SelectQueryBuilder<Campaign>> {
    const stores = await this.visibleStores();
    if (this.isDevice) throw forbidden('A display reads its playlist, not campaigns');
    const qb = this.dataSource
      .getRepository(Campaign)
      .createQueryBuilder(alias)
      .where(`${alias}.tenantId = :tenantId`, { tenantId: this.tenantId });
    return this.limitToStores(qb, 'storeId', stores, { orTenantWide: true });
  }

  /** Projected displays the viewer may see (a device: only its own). */
  async displays(alias = 'd'): Promise<SelectQueryBuilder<KnownDisplay>> {
    const stores = await this.visibleStores();
    const qb = this.dataSource
      .getRepository(KnownDisplay)
      .createQueryBuilder(alias)
      .where(`${alias}.tenantId = :tenantId`, { tenantId: this.tenantId });
    if (this.isDevice) qb.andWhere(`${alias}.id = :ownDisplay`, { ownDisplay: this.who.displayId ?? NO_ID });
    return this.limitToStores(qb, 'storeId', stores);
  }

  /**
   * One display the viewer may see, or an error: a device asking for another display is FORBIDDEN
   * (as in location); a display outside the viewer's tenant or stores is NOT_FOUND, so it does not leak.
   */
  async display(displayId: string): Promise<KnownDisplay> {
    if (this.isDevice && this.who.displayId !== displayId) throw forbidden('A display may read only its own playlist');
    if (!isUuid(displayId)) throw notFound('Display', displayId);
    const qb = await this.displays('d');
    const display = await qb.andWhere('d.id = :id', { id: displayId }).andWhere('d.archivedAt IS NULL').getOne();
    if (!display) throw notFound('Display', displayId);
    return display;
  }

  /** Overrides of the displays the viewer may see. */
  async overrides(alias = 'o'): Promise<SelectQueryBuilder<DisplayOverride>> {
    const stores = await this.visibleStores();
    const qb = this.dataSource
      .getRepository(DisplayOverride)
      .createQueryBuilder(alias)
      .where(`${alias}.tenantId = :tenantId`, { tenantId: this.tenantId });
    if (this.isDevice) qb.andWhere(`${alias}.displayId = :ownDisplay`, { ownDisplay: this.who.displayId ?? NO_ID });
    return this.limitToStores(qb, 'storeId', stores);
  }

  /** HQ admins and editors act on the whole tenant; store managers on their own stores. */
  assertCanManageStore(storeId: string): void {
    const v = this.who;
    if (v.roles.includes(Role.HQ_ADMIN) || v.roles.includes(Role.HQ_EDITOR)) return;
    if (v.roles.includes(Role.STORE_MANAGER) && v.storeIds.includes(storeId)) return;
    throw forbidden(`You cannot manage store ${storeId}`);
  }

  /** Tenant-wide campaigns are HQ's (admins, editors); store-local ones also their store's manager's. */
  assertCanEdit(campaign: Pick<Campaign, 'storeId'>): void {
    const v = this.who;
    if (v.roles.includes(Role.HQ_ADMIN) || v.roles.includes(Role.HQ_EDITOR)) return;
    if (campaign.storeId && v.roles.includes(Role.STORE_MANAGER) && v.storeIds.includes(campaign.storeId)) return;
    throw forbidden(
      campaign.storeId
        ? 'Only HQ or this store’s manager may change this campaign'
        : 'Only HQ may change this campaign',
    );
  }

  assertHqAdmin(): void {
    if (!this.who.roles.includes(Role.HQ_ADMIN)) throw forbidden('This requires the HQ_ADMIN role');
  }

  get subject(): string {
    return this.who.subject;
  }
}
