import { forbidden, notFound, readScope, Visibility, type StoreSet, type Viewer } from '@phub/kit';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { isUuid } from './ids.js';
import { Campaign } from './modules/campaign/campaign.entity.js';
import { DisplayOverride } from './modules/override/override.entity.js';
import { KnownDisplay, KnownStore } from './modules/projection/projection.entity.js';
import { StoreTakeover } from './modules/takeover/takeover.entity.js';

/** The partner scope (see the kit's PARTNER_SCOPES) that lets an API client read campaigns and playlists. */
export const CAMPAIGN_READ_SCOPE = readScope('campaign');

/**
 * Campaign's adapter over the kit's visibility rule (packages/kit/src/visibility). Every read of
 * campaign rows, overrides or projected displays — and every load of a row a mutation changes —
 * starts here, so a resolver cannot forget a filter. Store roles see tenant-wide campaigns and their
 * own stores' store-local ones; a device sees only its own display, in the store this subgraph's
 * projection of location says it stands in; partners need `campaign:read` and write nothing.
 */
export class CampaignScope extends Visibility {
  constructor(
    private readonly dataSource: DataSource,
    viewer: Viewer | null,
  ) {
    super(viewer, {
      domain: 'campaign',
      deviceStore: async (tenantId, displayId) =>
        (
          await dataSource
            .getRepository(KnownDisplay)
            .findOne({ where: { id: displayId, tenantId }, select: { storeId: true } })
        )?.storeId ?? null,
    });
  }

  /** Store ids the viewer may see, or 'all' for the whole tenant. */
  visibleStores(): Promise<StoreSet> {
    return this.stores();
  }

  /** Campaigns of the viewer's tenant it may see: tenant-wide ones and store-local ones of its stores. */
  async campaigns(alias = 'c'): Promise<SelectQueryBuilder<Campaign>> {
    await this.stores();
    if (this.isDevice) throw forbidden('A display reads its playlist, not campaigns');
    return this.restrict(this.dataSource.getRepository(Campaign).createQueryBuilder(alias), {
      store: 'storeId',
      nullStoreIsTenantWide: true,
    });
  }

  /** Projected displays the viewer may see (a device: only its own). */
  displays(alias = 'd'): Promise<SelectQueryBuilder<KnownDisplay>> {
    return this.restrict(this.dataSource.getRepository(KnownDisplay).createQueryBuilder(alias), {
      store: 'storeId',
      display: 'id',
    });
  }

  /**
   * One display the viewer may see, or an error: a device asking for another display is FORBIDDEN
   * (as in location); a display outside the viewer's tenant or stores is NOT_FOUND, so it does not leak.
   */
  async display(displayId: string): Promise<KnownDisplay> {
    if (this.isDevice && !this.isOwnDisplay(displayId)) throw forbidden('A display may read only its own playlist');
    if (!isUuid(displayId)) throw notFound('Display', displayId);
    const qb = await this.displays('d');
    const display = await qb.andWhere('d.id = :id', { id: displayId }).andWhere('d.archivedAt IS NULL').getOne();
    if (!display) throw notFound('Display', displayId);
    return display;
  }

  /**
   * One active store the viewer may see, or NOT_FOUND (another tenant's, or not the viewer's): from this
   * subgraph's projection of location's stores.
   */
  async store(storeId: string): Promise<KnownStore> {
    if (!isUuid(storeId)) throw notFound('Store', storeId);
    const qb = await this.restrict(this.dataSource.getRepository(KnownStore).createQueryBuilder('s'), {
      store: 'id',
      deviceSees: 'own-store',
    });
    const store = await qb.andWhere('s.id = :id', { id: storeId }).andWhere('s.archivedAt IS NULL').getOne();
    if (!store) throw notFound('Store', storeId);
    return store;
  }

  /** Takeovers of the stores the viewer may see (a device: none; it reads its playlist). */
  takeovers(alias = 't'): Promise<SelectQueryBuilder<StoreTakeover>> {
    return this.restrict(this.dataSource.getRepository(StoreTakeover).createQueryBuilder(alias), { store: 'storeId' });
  }

  /** Overrides of the displays the viewer may see. */
  overrides(alias = 'o'): Promise<SelectQueryBuilder<DisplayOverride>> {
    return this.restrict(this.dataSource.getRepository(DisplayOverride).createQueryBuilder(alias), {
      store: 'storeId',
      display: 'displayId',
    });
  }

  /** HQ admins and editors act on the whole tenant; store managers on their own stores. */
  override assertCanManageStore(storeId: string): void {
    if (!this.canManageStore(storeId, { hqEditors: true })) throw forbidden(`You cannot manage store ${storeId}`);
  }

  /** Tenant-wide campaigns are HQ's (admins, editors); store-local ones also their store's manager's. */
  assertCanEdit(campaign: Pick<Campaign, 'storeId'>): void {
    if (this.canManageStore(campaign.storeId, { hqEditors: true })) return;
    throw forbidden(
      campaign.storeId
        ? 'Only HQ or this store’s manager may change this campaign'
        : 'Only HQ may change this campaign',
    );
  }
}
