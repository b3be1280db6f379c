import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CampaignContext } from '../../context.js';
import { Campaign } from '../campaign/campaign.entity.js';
import { CampaignLanding, CampaignOffer, CampaignScanDay } from './landing.entity.js';
import { SetCampaignLandingInput } from './landing.input.js';
import type { LandingService } from './landing.service.js';

@Resolver(() => Campaign)
export class LandingResolver {
  constructor(private readonly landings: LandingService) {}

  @FieldResolver(() => CampaignLanding, {
    nullable: true,
    description: 'Its public landing page (what its QR code opens), if it has one',
  })
  landing(@Root() campaign: Campaign): Promise<CampaignLanding | null> {
    return this.landings.forCampaign(campaign);
  }

  @FieldResolver(() => Int, { description: 'Every scan of its landing page so far' })
  landingScanCount(@Root() campaign: Campaign): Promise<number> {
    return this.landings.total(campaign);
  }

  @FieldResolver(() => [CampaignScanDay], { description: 'Scans of its landing page per UTC day, from–to inclusive' })
  landingScans(
    @Root() campaign: Campaign,
    @Arg('from', () => String, { description: 'YYYY-MM-DD' }) from: string,
    @Arg('to', () => String, { description: 'YYYY-MM-DD' }) to: string,
  ): Promise<CampaignScanDay[]> {
    return this.landings.scans(campaign, from, to);
  }

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER')
  @Mutation(() => CampaignLanding, {
    description:
      'Sets a campaign’s landing page while it is a DRAFT or IN_REVIEW (it is reviewed with the campaign; ' +
      'afterwards CONFLICT, reason LANDING_REVIEWED). Whoever may edit the campaign',
  })
  setCampaignLanding(
    @Ctx() ctx: CampaignContext,
    @Arg('input', () => SetCampaignLandingInput) input: SetCampaignLandingInput,
  ): Promise<CampaignLanding> {
    return this.landings.set(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER')
  @Mutation(() => Boolean, {
    description: 'Removes a DRAFT or IN_REVIEW campaign’s landing page; false if it had none',
  })
  clearCampaignLanding(@Ctx() ctx: CampaignContext, @Arg('campaignId', () => ID) campaignId: string): Promise<boolean> {
    return this.landings.clear(ctx.scope, campaignId);
  }

  // No account: anyone with the QR code. Drafts and campaigns without a page are NOT_FOUND alike.
  @Query(() => CampaignOffer, { description: 'A campaign’s public offer page, without counting a scan' })
  async campaignOffer(@Arg('campaignId', () => ID) campaignId: string): Promise<CampaignOffer> {
    return (await this.landings.offer(campaignId)).offer;
  }

  @Mutation(() => CampaignOffer, {
    description: 'A visitor opened the campaign’s QR code: its offer, counted as one scan while the offer stands',
  })
  scanCampaignOffer(@Arg('campaignId', () => ID) campaignId: string): Promise<CampaignOffer> {
    return this.landings.scan(campaignId);
  }
}
