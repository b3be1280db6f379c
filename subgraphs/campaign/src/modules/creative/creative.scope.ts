import { forbidden, readScope, Role, satisfies, scopeRule, Visibility, type AuthRule, type Viewer } from '@phub/kit';
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { Creative } from './creative.entity.js';
import { creativeNotFound } from './creative.errors.js';

export const CAMPAIGN_READ_SCOPE = readScope('campaign');

/** Who reads creatives: people of the tenant and partners with campaign:read; devices get URLs via playlists. */
export const CREATIVE_READ_RULES: AuthRule[] = [
  Role.HQ_ADMIN,
  Role.HQ_EDITOR,
  Role.HQ_VIEWER,
  Role.STORE_MANAGER,
  Role.STORE_STAFF,
  scopeRule(CAMPAIGN_READ_SCOPE),
];
/** Who uploads creatives: HQ editors, and store managers for their store-local campaigns. */
export const CREATIVE_WRITE_RULES: AuthRule[] = [Role.HQ_ADMIN, Role.HQ_EDITOR, Role.STORE_MANAGER];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one place where creative rows are scoped to the caller's tenant and where the creative
 * rules are applied, over the kit's visibility rule (creatives are tenant-wide: no store filter);
 * the resolver's @Authorized repeats the role part for the schema's sake.
 */
export class CreativeScope extends Visibility {
  constructor(
    private readonly dataSource: DataSource,
    viewer: Viewer | null,
  ) {
    super(viewer, { domain: 'campaign' });
  }

  override assertCanRead(): void {
    if (this.isPartner) return super.assertCanRead();
    if (this.isDevice || !satisfies(this.who, CREATIVE_READ_RULES)) {
      throw forbidden('Creatives are not readable with this credential');
    }
  }

  /** People with a writing role; partners write no creatives. */
  assertCanWrite(): void {
    if (!this.isPerson || !satisfies(this.who, CREATIVE_WRITE_RULES)) throw forbidden('You may not change creatives');
  }

  /** HQ admins and editors manage every creative of the tenant; store managers those they created. */
  assertCanManage(creative: Creative): void {
    this.assertCanWrite();
    const v = this.who;
    if (v.roles.includes(Role.HQ_ADMIN) || v.roles.includes(Role.HQ_EDITOR)) return;
    if (v.roles.includes(Role.STORE_MANAGER) && creative.createdBy === v.subject) return;
    throw forbidden('Store managers may change only the creatives they created');
  }

  /** Creatives of the caller's tenant, after the read check. */
  query(alias = 'c'): Promise<SelectQueryBuilder<Creative>> {
    this.assertCanRead();
    // Creatives are tenant-wide: no store column.
    return this.restrict(this.dataSource.getRepository(Creative).createQueryBuilder(alias), { store: null });
  }

  /** The tenant's creative, or NOT_FOUND (also for other tenants' ids and for non-ids). */
  async find(id: string): Promise<Creative> {
    const qb = await this.query('c');
    if (!UUID.test(id)) throw creativeNotFound(id);
    const creative = await qb.andWhere('c.id = :id', { id }).getOne();
    if (!creative) throw creativeNotFound(id);
    return creative;
  }
}
