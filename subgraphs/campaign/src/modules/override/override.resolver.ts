import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CampaignContext } from '../../context.js';
import { DisplayReference, displayRef } from '../../references.js';
import { Creative } from '../creative/creative.entity.js';
import { DisplayOverride } from './override.entity.js';
import { SetDisplayOverrideInput } from './override.input.js';
import type { OverrideService } from './override.service.js';

@Resolver(() => DisplayOverride)
export class OverrideResolver {
  constructor(
    private readonly overrides: OverrideService,
    private readonly now: () => number,
  ) {}

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER', 'STORE_MANAGER', 'STORE_STAFF')
  @Query(() => [DisplayOverride], {
    description: 'Active (and, with includeEnded, past) overrides: HQ roles see the tenant, store roles their stores',
  })
  displayOverrides(
    @Ctx() ctx: CampaignContext,
    @Arg('storeId', () => ID, { nullable: true }) storeId?: string | null,
    @Arg('displayId', () => ID, { nullable: true }) displayId?: string | null,
    @Arg('includeEnded', () => Boolean, { defaultValue: false }) includeEnded?: boolean,
  ): Promise<DisplayOverride[]> {
    return this.overrides.list(ctx.scope, { storeId, displayId, includeEnded });
  }

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER')
  @Mutation(() => DisplayOverride, {
    description: 'Plays one creative on a display until `until` (store managers: their stores’ displays)',
  })
  setDisplayOverride(
    @Ctx() ctx: CampaignContext,
    @Arg('input', () => SetDisplayOverrideInput) input: SetDisplayOverrideInput,
  ): Promise<DisplayOverride> {
    return this.overrides.set(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER')
  @Mutation(() => DisplayOverride, { description: 'Ends an override now' })
  clearDisplayOverride(@Ctx() ctx: CampaignContext, @Arg('id', () => ID) id: string): Promise<DisplayOverride> {
    return this.overrides.clear(ctx.scope, id);
  }

  @FieldResolver(() => Boolean, { description: 'Playing now (started, not ended, not cleared)' })
  active(@Root() override: DisplayOverride): boolean {
    const now = this.now();
    return !override.clearedAt && override.startsAt.getTime() <= now && now < override.until.getTime();
  }

  @FieldResolver(() => DisplayReference)
  display(@Root() override: DisplayOverride): DisplayReference {
    return displayRef(override.displayId);
  }

  @FieldResolver(() => Creative, { nullable: true })
  creative(@Root() override: DisplayOverride, @Ctx() ctx: CampaignContext): Promise<Creative | null> {
    return ctx.loaders.creative.load(override.creativeId);
  }
}
