import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { CampaignContext } from '../../context.js';
import { CampaignSettings } from './settings.entity.js';
import { CampaignSettingsInput } from './settings.input.js';
import type { SettingsService } from './settings.service.js';

@Resolver(() => CampaignSettings)
export class SettingsResolver {
  constructor(private readonly settings: SettingsService) {}

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER', 'STORE_MANAGER')
  @Query(() => CampaignSettings, { description: 'How this tenant reviews campaigns' })
  campaignSettings(@Ctx() ctx: CampaignContext): Promise<CampaignSettings> {
    return this.settings.get(ctx.scope);
  }

  @Authorized('HQ_ADMIN')
  @Mutation(() => CampaignSettings, { description: 'Turns auto-approval on or off (HQ_ADMIN)' })
  setCampaignSettings(
    @Ctx() ctx: CampaignContext,
    @Arg('input', () => CampaignSettingsInput) input: CampaignSettingsInput,
  ): Promise<CampaignSettings> {
    return this.settings.set(ctx.scope, input);
  }
}
