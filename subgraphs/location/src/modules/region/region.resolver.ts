import { Public } from '@phub/kit';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { LocationContext } from '../../context.js';
import { Store } from '../store/store.entity.js';
import { Region } from './region.entity.js';
import { CreateRegionInput, UpdateRegionInput } from './region.input.js';
import type { RegionService } from './region.service.js';

@Resolver(() => Region)
export class RegionResolver {
  constructor(private readonly regionService: RegionService) {}

  @Public()
  @Authorized()
  @Query(() => [Region], { description: 'Regions of the tenant, by name' })
  regions(
    @Ctx() ctx: LocationContext,
    @Arg('includeArchived', () => Boolean, { defaultValue: false }) includeArchived: boolean,
  ): Promise<Region[]> {
    return this.regionService.list(ctx.scope, includeArchived);
  }

  @Public()
  @Authorized()
  @Query(() => Region, { nullable: true })
  region(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string): Promise<Region | null> {
    return ctx.loaders.region.load(id);
  }

  @Public()
  @FieldResolver(() => [Store], { description: 'Active stores of the region' })
  async stores(@Root() region: Region, @Ctx() ctx: LocationContext): Promise<Store[]> {
    const qb = await ctx.scope.scoped(Store, 's', { store: 'id' });
    return qb
      .andWhere('s.regionId = :id AND s.archivedAt IS NULL', { id: region.id })
      .orderBy('s.name', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
  }

  @Authorized('HQ_ADMIN')
  @Mutation(() => Region)
  createRegion(@Ctx() ctx: LocationContext, @Arg('input', () => CreateRegionInput) input: CreateRegionInput) {
    return this.regionService.create(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN')
  @Mutation(() => Region)
  updateRegion(@Ctx() ctx: LocationContext, @Arg('input', () => UpdateRegionInput) input: UpdateRegionInput) {
    return this.regionService.update(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN')
  @Mutation(() => Region, { description: 'Archives a region that has no active stores' })
  archiveRegion(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string) {
    return this.regionService.archive(ctx.scope, id);
  }
}
