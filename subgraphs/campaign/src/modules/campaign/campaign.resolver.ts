import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { ConnectionType, Public } from '@phub/kit';
import type { CampaignContext } from '../../context.js';
import { CAMPAIGN_READ_SCOPE } from '../../scope.js';
import { DisplayReference, StoreReference, UserReference, displayRef, storeRef, userRef } from '../../references.js';
import { Creative } from '../creative/creative.entity.js';
import { validateCampaign } from '../../engine/index.js';
import {
  Campaign,
  CampaignRevision,
  CampaignSchedule,
  CampaignTargeting,
  CampaignTransition,
} from './campaign.entity.js';
import { CampaignReach, CampaignReachInput, OutrankedDisplay } from './campaign.reach.types.js';
import { isUuid } from '../../ids.js';
import {
  CampaignFilter,
  CampaignOrder,
  CreateCampaignInput,
  TargetingInput,
  UpdateCampaignInput,
} from './campaign.input.js';
import { scheduleView, targetingView, toEngineCampaign } from './campaign.mapper.js';
import { type CampaignService, storedTargeting } from './campaign.service.js';

export const CampaignConnection = ConnectionType(Campaign, 'Campaign');

const READ = ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER', 'STORE_MANAGER', 'STORE_STAFF', `scope:${CAMPAIGN_READ_SCOPE}`];
const EDIT = ['HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER'];

@ArgsType()
export class CampaignsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => CampaignFilter, { nullable: true })
  filter?: CampaignFilter | null;

  @Field(() => CampaignOrder, { nullable: true, description: 'Default: by name, A–Z' })
  orderBy?: CampaignOrder | null;
}

@Resolver(() => Campaign)
export class CampaignResolver {
  constructor(private readonly service: CampaignService) {}

  @Public()
  @Authorized(...READ)
  @Query(() => CampaignConnection, {
    description:
      'Campaigns the caller can see, by name unless `orderBy` says otherwise (store roles: tenant-wide and their stores’ own)',
  })
  campaigns(@Ctx() ctx: CampaignContext, @Args(() => CampaignsArgs) args: CampaignsArgs) {
    return this.service.list(ctx.scope, args);
  }

  @Public()
  @Authorized(...READ)
  @Query(() => Campaign, { nullable: true })
  campaign(@Ctx() ctx: CampaignContext, @Arg('id', () => ID) id: string): Promise<Campaign | null> {
    return ctx.loaders.campaign.load(id);
  }

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER', 'STORE_MANAGER')
  @Query(() => Int, {
    description:
      'How many active displays this targeting reaches (of those the caller can see), ignoring schedules: for live counts while editing',
  })
  async campaignReach(
    @Ctx() ctx: CampaignContext,
    @Arg('targeting', () => TargetingInput) targeting: TargetingInput,
    @Arg('storeId', () => ID, { nullable: true, description: 'For a store-local campaign' }) storeId?: string | null,
  ): Promise<number> {
    const ids = await this.service.reach(
      ctx.scope,
      storedTargeting(targeting),
      storeId ?? null,
      ctx.loaders.visibleFacts(),
    );
    return ids.length;
  }

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER', 'STORE_MANAGER')
  @Query(() => CampaignReach, {
    description:
      'Where a campaign as edited (unsaved) would reach and play now, beside the live campaigns, overrides and takeovers (of the displays the caller can see)',
  })
  campaignReachNow(
    @Ctx() ctx: CampaignContext,
    @Arg('input', () => CampaignReachInput) input: CampaignReachInput,
  ): Promise<CampaignReach> {
    return this.service.reachOfEdit(ctx.scope, input, ctx.loaders.visibleFacts(), ctx.loaders.playables());
  }

  @FieldResolver(() => CampaignReach, {
    description:
      'Where it reaches and plays now (of the displays the caller can see); its approved version while a revision waits. The same numbers as the editor, fleet and reports',
  })
  reach(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext): Promise<CampaignReach> {
    return this.service.reachNow(ctx.scope, campaign, ctx.loaders.visibleFacts(), ctx.loaders.playables());
  }

  @FieldResolver(() => CampaignRevision, {
    nullable: true,
    description: 'An edit waiting for review while this (approved) version keeps playing',
  })
  pendingRevision(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext): Promise<CampaignRevision | null> {
    return ctx.loaders.pendingRevision.load(campaign.id);
  }

  @Public()
  @FieldResolver(() => CampaignSchedule)
  schedule(@Root() campaign: Campaign): CampaignSchedule {
    return scheduleView(campaign.schedule);
  }

  @FieldResolver(() => CampaignTargeting)
  targeting(@Root() campaign: Campaign): CampaignTargeting {
    return targetingView(campaign.targeting);
  }

  @FieldResolver(() => UserReference)
  owner(@Root() campaign: Campaign): UserReference {
    return userRef(campaign.ownerId);
  }

  @FieldResolver(() => StoreReference, { nullable: true, description: 'The store of a store-local campaign' })
  store(@Root() campaign: Campaign): StoreReference | null {
    return campaign.storeId ? storeRef(campaign.storeId) : null;
  }

  @FieldResolver(() => [ID])
  creativeIds(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext): Promise<string[]> {
    return ctx.loaders.creativeIds.load(campaign.id);
  }

  @FieldResolver(() => [Creative], { description: 'In play order' })
  async creatives(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext): Promise<Creative[]> {
    const ids = await ctx.loaders.creativeIds.load(campaign.id);
    const creatives = await ctx.loaders.creative.loadMany(ids);
    return creatives.filter((c): c is Creative => c !== null && !(c instanceof Error));
  }

  @FieldResolver(() => [ID], { description: 'Stores whose manager paused it there (store roles: their own only)' })
  async pausedStoreIds(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext): Promise<string[]> {
    const stores = await ctx.loaders.pausedStoreIds.load(campaign.id);
    const visible = await ctx.scope.visibleStores();
    return visible === 'all' ? stores : stores.filter((s) => visible.includes(s));
  }

  @FieldResolver(() => [CampaignTransition], { description: 'Every transition, oldest first' })
  history(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext): Promise<CampaignTransition[]> {
    return ctx.loaders.history.load(campaign.id);
  }

  @FieldResolver(() => Int, {
    description: 'Active displays its targeting reaches (of those the caller can see), ignoring schedule and pauses',
  })
  async matchingDisplayCount(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext): Promise<number> {
    return (await this.matching(campaign, ctx)).length;
  }

  @FieldResolver(() => [DisplayReference], {
    description:
      'The active displays its targeting reaches (of those the caller can see), ignoring schedule and pauses, by id',
  })
  async matchingDisplays(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext): Promise<DisplayReference[]> {
    return (await this.matching(campaign, ctx)).sort().map(displayRef);
  }

  private matching(campaign: Campaign, ctx: CampaignContext): Promise<string[]> {
    return this.service.reach(ctx.scope, campaign.targeting, campaign.storeId, ctx.loaders.visibleFacts());
  }

  @FieldResolver(() => [String], { description: 'What would stop it from playing (empty when it can play)' })
  async problems(@Root() campaign: Campaign, @Ctx() ctx: CampaignContext): Promise<string[]> {
    const ids = await ctx.loaders.creativeIds.load(campaign.id);
    const problems = validateCampaign(toEngineCampaign(campaign, [], [], 'LIVE'));
    if (!ids.length) problems.push('it has no creatives');
    const creatives = await ctx.loaders.creative.loadMany(ids);
    creatives.forEach((c, i) => {
      if (c && !(c instanceof Error) && String(c.status) !== 'READY') {
        problems.push(`creative ${ids[i]} is ${String(c.status)}, not READY`);
      }
    });
    return problems;
  }

  @Authorized(...EDIT)
  @Mutation(() => Campaign, {
    description: 'A new DRAFT. HQ admins and editors create any; store managers only with storeId = their store',
  })
  createCampaign(@Ctx() ctx: CampaignContext, @Arg('input', () => CreateCampaignInput) input: CreateCampaignInput) {
    return this.service.create(ctx.scope, input);
  }

  @Authorized(...EDIT)
  @Mutation(() => Campaign, {
    description:
      'Edits DRAFT, IN_REVIEW, APPROVED, LIVE or PAUSED campaigns. A content edit of an APPROVED, LIVE or PAUSED one becomes its pendingRevision (the approved version keeps playing) unless auto-approved; name and description change at once',
  })
  updateCampaign(@Ctx() ctx: CampaignContext, @Arg('input', () => UpdateCampaignInput) input: UpdateCampaignInput) {
    return this.service.update(ctx.scope, input);
  }

  @Authorized(...EDIT)
  @Mutation(() => Campaign, { description: 'DRAFT → IN_REVIEW (→ APPROVED → LIVE at once when auto-approved)' })
  submitCampaign(@Ctx() ctx: CampaignContext, @Arg('id', () => ID) id: string) {
    return this.service.submit(ctx.scope, id);
  }

  @Authorized('HQ_ADMIN')
  @Mutation(() => Campaign, { description: 'IN_REVIEW → APPROVED, and → LIVE when goLive (the default)' })
  approveCampaign(
    @Ctx() ctx: CampaignContext,
    @Arg('id', () => ID) id: string,
    @Arg('goLive', () => Boolean, { defaultValue: true }) goLive: boolean,
  ) {
    return this.service.approve(ctx.scope, id, goLive);
  }

  @Authorized('HQ_ADMIN')
  @Mutation(() => Campaign, { description: 'IN_REVIEW → DRAFT with the reason (shown as reviewNote)' })
  rejectCampaign(
    @Ctx() ctx: CampaignContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
  ) {
    return this.service.reject(ctx.scope, id, reason);
  }

  @Authorized('HQ_ADMIN')
  @Mutation(() => Campaign, {
    description: 'The pending revision replaces the approved version (a LIVE campaign’s displays switch at once)',
  })
  approveCampaignRevision(@Ctx() ctx: CampaignContext, @Arg('campaignId', () => ID) campaignId: string) {
    return this.service.approveRevision(ctx.scope, campaignId);
  }

  @Authorized('HQ_ADMIN')
  @Mutation(() => Campaign, {
    description: 'Drops the pending revision with the reason (reviewNote); the approved version stays',
  })
  rejectCampaignRevision(
    @Ctx() ctx: CampaignContext,
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('reason', () => String) reason: string,
  ) {
    return this.service.rejectRevision(ctx.scope, campaignId, reason);
  }

  @Authorized(...EDIT)
  @Mutation(() => Campaign, { description: 'An editor drops the pending revision; the approved version stays' })
  withdrawCampaignRevision(@Ctx() ctx: CampaignContext, @Arg('campaignId', () => ID) campaignId: string) {
    return this.service.withdrawRevision(ctx.scope, campaignId);
  }

  @Authorized(...EDIT)
  @Mutation(() => Campaign, { description: 'APPROVED → LIVE' })
  publishCampaign(@Ctx() ctx: CampaignContext, @Arg('id', () => ID) id: string) {
    return this.service.publish(ctx.scope, id);
  }

  @Authorized(...EDIT)
  @Mutation(() => Campaign, { description: 'LIVE → PAUSED everywhere' })
  pauseCampaign(
    @Ctx() ctx: CampaignContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
  ) {
    return this.service.pause(ctx.scope, id, reason);
  }

  @Authorized(...EDIT)
  @Mutation(() => Campaign, { description: 'PAUSED → LIVE' })
  resumeCampaign(@Ctx() ctx: CampaignContext, @Arg('id', () => ID) id: string) {
    return this.service.resume(ctx.scope, id);
  }

  @Authorized(...EDIT)
  @Mutation(() => Campaign, { description: 'APPROVED, LIVE or PAUSED → ENDED' })
  endCampaign(
    @Ctx() ctx: CampaignContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
  ) {
    return this.service.end(ctx.scope, id, reason);
  }

  @Authorized(...EDIT)
  @Mutation(() => Campaign, { description: 'DRAFT or ENDED → ARCHIVED' })
  archiveCampaign(@Ctx() ctx: CampaignContext, @Arg('id', () => ID) id: string) {
    return this.service.archive(ctx.scope, id);
  }

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER')
  @Mutation(() => Campaign, { description: 'Takes a tenant-wide campaign off one store’s displays' })
  pauseCampaignForStore(
    @Ctx() ctx: CampaignContext,
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
  ) {
    return this.service.setStorePause(ctx.scope, campaignId, storeId, true, reason);
  }

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER')
  @Mutation(() => Campaign, { description: 'Puts a store-paused campaign back on that store’s displays' })
  resumeCampaignForStore(
    @Ctx() ctx: CampaignContext,
    @Arg('campaignId', () => ID) campaignId: string,
    @Arg('storeId', () => ID) storeId: string,
  ) {
    return this.service.setStorePause(ctx.scope, campaignId, storeId, false);
  }
}

@Resolver(() => CampaignTransition)
export class CampaignTransitionResolver {
  @FieldResolver(() => UserReference, {
    nullable: true,
    description: 'Who did it (auth resolves the name); null for automatic steps and the demo seed',
  })
  actor(@Root() transition: CampaignTransition): UserReference | null {
    return isUuid(transition.actorId) ? userRef(transition.actorId) : null;
  }
}

@Resolver(() => CampaignRevision)
export class CampaignRevisionResolver {
  @FieldResolver(() => CampaignSchedule)
  schedule(@Root() revision: CampaignRevision): CampaignSchedule {
    return scheduleView(revision.schedule);
  }

  @FieldResolver(() => CampaignTargeting)
  targeting(@Root() revision: CampaignRevision): CampaignTargeting {
    return targetingView(revision.targeting);
  }

  @FieldResolver(() => [Creative], { description: 'In play order' })
  async creatives(@Root() revision: CampaignRevision, @Ctx() ctx: CampaignContext): Promise<Creative[]> {
    const creatives = await ctx.loaders.creative.loadMany(revision.creativeIds);
    return creatives.filter((c): c is Creative => c !== null && !(c instanceof Error));
  }

  @FieldResolver(() => UserReference, { description: 'Who edited it last' })
  editor(@Root() revision: CampaignRevision): UserReference | null {
    return isUuid(revision.updatedBy) ? userRef(revision.updatedBy) : null;
  }
}

@Resolver(() => OutrankedDisplay)
export class OutrankedDisplayResolver {
  @FieldResolver(() => [Campaign], { description: 'The campaigns that outrank it there (those the caller can see)' })
  async byCampaigns(@Root() outranked: OutrankedDisplay, @Ctx() ctx: CampaignContext): Promise<Campaign[]> {
    const campaigns = await ctx.loaders.campaign.loadMany(outranked.byCampaignIds);
    return campaigns.filter((c): c is Campaign => c !== null && !(c instanceof Error));
  }
}
