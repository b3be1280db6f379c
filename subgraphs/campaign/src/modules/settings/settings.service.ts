import type { DataSource, EntityManager } from 'typeorm';
import type { CampaignScope } from '../../scope.js';
import { CampaignSettings, DEFAULT_SETTINGS } from './settings.entity.js';
import type { CampaignSettingsInput } from './settings.input.js';

/** A tenant's review rules: one row per tenant, defaults until an HQ admin saves one. */
export class SettingsService {
  constructor(private readonly dataSource: DataSource) {}

  async forTenant(tenantId: string, manager: EntityManager = this.dataSource.manager): Promise<CampaignSettings> {
    const row = await manager.findOneBy(CampaignSettings, { tenantId });
    return (
      row ?? Object.assign(new CampaignSettings(), { tenantId, ...DEFAULT_SETTINGS, updatedBy: null, updatedAt: null })
    );
  }

  /** Whether a campaign skips review: every campaign with autoApprove, store-local ones with autoApproveStoreLocal. */
  autoApproves(settings: CampaignSettings, campaign: { storeId: string | null }): boolean {
    return settings.autoApprove || (campaign.storeId !== null && settings.autoApproveStoreLocal);
  }

  get(scope: CampaignScope): Promise<CampaignSettings> {
    scope.assertCanRead();
    return this.forTenant(scope.tenantId);
  }

  async set(scope: CampaignScope, input: CampaignSettingsInput): Promise<CampaignSettings> {
    scope.assertHqAdmin();
    const current = await this.forTenant(scope.tenantId);
    const next = {
      tenantId: scope.tenantId,
      autoApprove: input.autoApprove ?? current.autoApprove,
      autoApproveStoreLocal: input.autoApproveStoreLocal ?? current.autoApproveStoreLocal,
      updatedBy: scope.subject,
    };
    await this.dataSource.getRepository(CampaignSettings).upsert(next, ['tenantId']);
    return this.forTenant(scope.tenantId);
  }
}
