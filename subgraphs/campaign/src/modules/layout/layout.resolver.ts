import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CampaignContext } from '../../context.js';
import { DisplayReference, displayRef } from '../../references.js';
import { Layout, LayoutRegion } from './layout.entity.js';
import { LayoutInput } from './layout.input.js';
import { regionViews, type LayoutService } from './layout.service.js';

const READERS = ['HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER'];
const WRITERS = ['HQ_ADMIN', 'HQ_EDITOR'];

@Resolver(() => Layout)
export class LayoutResolver {
  constructor(private readonly service: LayoutService) {}

  @Authorized(...READERS)
  @Query(() => [Layout], { description: 'The tenant’s layouts, by name' })
  layouts(@Ctx() ctx: CampaignContext): Promise<Layout[]> {
    return this.service.list(ctx.scope);
  }

  @Authorized(...READERS)
  @Query(() => Layout, { description: 'One layout (NOT_FOUND outside the tenant)' })
  layout(@Ctx() ctx: CampaignContext, @Arg('id', () => ID) id: string): Promise<Layout> {
    return this.service.get(ctx.scope, id);
  }

  @Authorized(...WRITERS)
  @Mutation(() => Layout, {
    description: 'A new layout. Bad regions are BAD_USER_INPUT with field and reason; a taken name is CONFLICT',
  })
  createLayout(@Ctx() ctx: CampaignContext, @Arg('input', () => LayoutInput) input: LayoutInput): Promise<Layout> {
    return this.service.create(ctx.scope, input);
  }

  @Authorized(...WRITERS)
  @Mutation(() => Layout, { description: 'Replaces a layout’s name and regions; its displays switch at once' })
  updateLayout(
    @Ctx() ctx: CampaignContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => LayoutInput) input: LayoutInput,
  ): Promise<Layout> {
    return this.service.update(ctx.scope, id, input);
  }

  @Authorized(...WRITERS)
  @Mutation(() => Boolean, { description: 'Deletes a layout; its displays play full screen again' })
  deleteLayout(@Ctx() ctx: CampaignContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    return this.service.delete(ctx.scope, id);
  }

  @Authorized(...WRITERS)
  @Mutation(() => Layout, {
    nullable: true,
    description: 'Makes a display play a layout (layoutId null: full screen again); returns the layout it plays',
  })
  setDisplayLayout(
    @Ctx() ctx: CampaignContext,
    @Arg('displayId', () => ID) displayId: string,
    @Arg('layoutId', () => ID, { nullable: true }) layoutId?: string | null,
  ): Promise<Layout | null> {
    return this.service.assign(ctx.scope, displayId, layoutId ?? null);
  }

  @FieldResolver(() => [LayoutRegion])
  regions(@Root() layout: Layout): LayoutRegion[] {
    return regionViews(layout.regions);
  }

  @FieldResolver(() => [ID], { description: 'Displays that play it' })
  displayIds(@Root() layout: Layout): Promise<string[]> {
    return this.service.displayIds(layout.tenantId, layout.id);
  }

  @FieldResolver(() => [DisplayReference], { description: 'Displays that play it (names and stores from location)' })
  async displays(@Root() layout: Layout): Promise<DisplayReference[]> {
    return (await this.service.displayIds(layout.tenantId, layout.id)).map(displayRef);
  }
}
