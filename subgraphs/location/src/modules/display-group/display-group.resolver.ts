import { ConnectionType, Role, scopeRule } from '@phub/kit';
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
import type { LocationContext } from '../../context.js';
import { LOCATION_READ_SCOPE, LOCATION_WRITE_SCOPE } from '../../scope.js';
import { Display } from '../display/display.entity.js';
import { DisplayGroup } from './display-group.entity.js';
import { CreateDisplayGroupInput, DisplayGroupFilter, UpdateDisplayGroupInput } from './display-group.input.js';
import type { DisplayGroupService } from './display-group.service.js';

export const DisplayGroupConnection = ConnectionType(DisplayGroup, 'DisplayGroup');

@ArgsType()
export class DisplayGroupsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20)' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => DisplayGroupFilter, { nullable: true })
  filter?: DisplayGroupFilter | null;
}

// Groups span stores, so they are HQ's: HQ people and partners read them, HQ admins change them.
const READERS = [
  Role.HQ_ADMIN,
  Role.HQ_EDITOR,
  Role.HQ_VIEWER,
  scopeRule(LOCATION_READ_SCOPE),
  scopeRule(LOCATION_WRITE_SCOPE),
];

@Resolver(() => DisplayGroup)
export class DisplayGroupResolver {
  constructor(private readonly groups: DisplayGroupService) {}

  @Authorized(...READERS)
  @Query(() => DisplayGroupConnection, { description: 'Display groups of the organisation, by name' })
  displayGroups(@Ctx() ctx: LocationContext, @Args(() => DisplayGroupsArgs) args: DisplayGroupsArgs) {
    return this.groups.list(ctx.scope, args);
  }

  @Authorized(...READERS)
  @Query(() => DisplayGroup, { nullable: true })
  displayGroup(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string): Promise<DisplayGroup | null> {
    return this.groups.find(ctx.scope, id);
  }

  @FieldResolver(() => [Display], { description: 'Active displays of the group that you can see, by name' })
  displays(@Root() group: DisplayGroup, @Ctx() ctx: LocationContext): Promise<Display[]> {
    return ctx.loaders.displaysByGroup.load(group.id);
  }

  @FieldResolver(() => Int, { description: 'How many of those displays there are' })
  async displayCount(@Root() group: DisplayGroup, @Ctx() ctx: LocationContext): Promise<number> {
    return (await ctx.loaders.displaysByGroup.load(group.id)).length;
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => DisplayGroup)
  createDisplayGroup(
    @Ctx() ctx: LocationContext,
    @Arg('input', () => CreateDisplayGroupInput) input: CreateDisplayGroupInput,
  ) {
    return this.groups.create(ctx.scope, input);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => DisplayGroup, { description: 'Renames, describes or tags a group' })
  updateDisplayGroup(
    @Ctx() ctx: LocationContext,
    @Arg('input', () => UpdateDisplayGroupInput) input: UpdateDisplayGroupInput,
  ) {
    return this.groups.update(ctx.scope, input);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => DisplayGroup, { description: 'Archives a group; its displays keep playing and stay in it' })
  archiveDisplayGroup(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string) {
    return this.groups.archive(ctx.scope, id);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => DisplayGroup)
  restoreDisplayGroup(@Ctx() ctx: LocationContext, @Arg('id', () => ID) id: string) {
    return this.groups.restore(ctx.scope, id);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => DisplayGroup, { description: 'Adds active displays (at most 500 at once); all or none' })
  addDisplaysToGroup(
    @Ctx() ctx: LocationContext,
    @Arg('groupId', () => ID) groupId: string,
    @Arg('displayIds', () => [ID]) displayIds: string[],
  ) {
    return this.groups.addDisplays(ctx.scope, groupId, displayIds);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => DisplayGroup)
  removeDisplaysFromGroup(
    @Ctx() ctx: LocationContext,
    @Arg('groupId', () => ID) groupId: string,
    @Arg('displayIds', () => [ID]) displayIds: string[],
  ) {
    return this.groups.removeDisplays(ctx.scope, groupId, displayIds);
  }
}

/** `Display.groups`: the same readers as the groups themselves. */
@Resolver(() => Display)
export class DisplaysGroupsResolver {
  @Authorized(...READERS)
  @FieldResolver(() => [DisplayGroup], { description: 'Active groups the display belongs to, by name' })
  groups(@Root() display: Display, @Ctx() ctx: LocationContext): Promise<DisplayGroup[]> {
    return ctx.loaders.groupsByDisplay.load(display.id);
  }
}
