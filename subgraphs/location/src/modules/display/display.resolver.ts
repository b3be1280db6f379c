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
import { ConnectionType, forbidden, Public } from '@phub/kit';
import type { LocationContext } from '../../context.js';
import { Store } from '../store/store.entity.js';
import { Zone } from '../zone/zone.entity.js';
import { Display } from './display.entity.js';
import { CreateDisplayInput, DisplayFilter, UpdateDisplayInput } from './display.input.js';
import type { DisplayService } from './display.service.js';

export const DisplayConnection = ConnectionType(Display, 'Display');

@ArgsType()
export class DisplaysArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => DisplayFilter, { nullable: true })
  filter?: DisplayFilter | null;
}

@Resolver(() => Display)
export class DisplayResolver {
  constructor(private readonly displayService: DisplayService) {}

  @Public()
  @Authorized()
  @Query(() => DisplayConnection, { description: 'Displays the caller can see, by name' })
  displays(@Ctx() ctx: LocationContext, @Args(() => DisplaysArgs) args: DisplaysArgs) {
    return this.displayService.list(ctx.scope, args);
  }

  @Public()
  @Authorized()
  @Query(() => Display, { nullable: true })
  display(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string): Promise<Display | null> {
    // A display credential asking for another display is refused outright, not just shown nothing.
    if (ctx.viewer?.kind === 'device' && ctx.viewer.displayId !== id) throw forbidden('A display may read only itself');
    return ctx.loaders.display.load(id);
  }

  @Public()
  @FieldResolver(() => Store)
  async store(@Root() display: Display, @Ctx() ctx: LocationContext): Promise<Store | null> {
    return ctx.loaders.store.load(display.storeId);
  }

  @FieldResolver(() => Zone, { nullable: true })
  zone(@Root() display: Display, @Ctx() ctx: LocationContext): Promise<Zone | null> | null {
    return display.zoneId ? ctx.loaders.zone.load(display.zoneId) : null;
  }

  @Authorized('HQ_ADMIN', 'STORE_MANAGER')
  @Mutation(() => Display)
  createDisplay(@Ctx() ctx: LocationContext, @Arg('input', () => CreateDisplayInput) input: CreateDisplayInput) {
    return this.displayService.create(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN', 'STORE_MANAGER')
  @Mutation(() => Display)
  updateDisplay(@Ctx() ctx: LocationContext, @Arg('input', () => UpdateDisplayInput) input: UpdateDisplayInput) {
    return this.displayService.update(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN', 'STORE_MANAGER')
  @Mutation(() => [Display], {
    description: 'Puts displays (at most 500) into one zone of their store, or none; all or none',
  })
  setDisplaysZone(
    @Ctx() ctx: LocationContext,
    @Arg('displayIds', () => [ID]) displayIds: string[],
    @Arg('zoneId', () => ID, { nullable: true }) zoneId: string | null,
  ) {
    return this.displayService.setZone(ctx.scope, displayIds, zoneId ?? null);
  }

  @Authorized('HQ_ADMIN', 'STORE_MANAGER')
  @Mutation(() => [Display], { description: 'Archives displays (at most 500); all or none' })
  archiveDisplays(@Ctx() ctx: LocationContext, @Arg('displayIds', () => [ID]) displayIds: string[]) {
    return this.displayService.archiveMany(ctx.scope, displayIds);
  }

  @Authorized('HQ_ADMIN', 'STORE_MANAGER')
  @Mutation(() => Display)
  archiveDisplay(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string) {
    return this.displayService.archive(ctx.scope, id);
  }
}
