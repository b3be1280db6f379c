import { ConnectionType, requireViewer, Role } from '@phub/kit';
import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { AuthRequestContext } from '../../context.js';
import { CreateUserPayload, User } from './user.entity.js';
import { ChangePasswordInput, CreateUserInput, SetUserRolesInput, UsersArgs } from './user.input.js';
import { UserService } from './user.service.js';

export const UserConnection = ConnectionType(User, 'User');

const PEOPLE = [Role.HQ_ADMIN, Role.HQ_EDITOR, Role.HQ_VIEWER, Role.STORE_MANAGER, Role.STORE_STAFF];

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly userService: UserService) {}

  @Authorized(...PEOPLE)
  @Query(() => User, { description: 'The signed-in person' })
  me(@Ctx() ctx: AuthRequestContext): Promise<User> {
    return this.userService.me(requireViewer(ctx));
  }

  @Authorized(Role.HQ_ADMIN)
  @Query(() => User, { nullable: true, description: 'A user of your tenant' })
  user(@Ctx() ctx: AuthRequestContext, @Arg('id', () => ID) id: string): Promise<User | null> {
    return ctx.loaders.user.load(id);
  }

  @Authorized(Role.HQ_ADMIN)
  @Query(() => UserConnection, { description: 'Users of your tenant, by email' })
  users(@Ctx() ctx: AuthRequestContext, @Args(() => UsersArgs) args: UsersArgs) {
    return this.userService.list(requireViewer(ctx), args);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => CreateUserPayload, { description: 'Adds a person to your tenant, with a password or an invitation' })
  createUser(
    @Ctx() ctx: AuthRequestContext,
    @Arg('input', () => CreateUserInput) input: CreateUserInput,
  ): Promise<CreateUserPayload> {
    return this.userService.create(requireViewer(ctx), input, ctx.meta);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => User, { description: "Replaces a user's roles and stores; their sessions end" })
  setUserRoles(
    @Ctx() ctx: AuthRequestContext,
    @Arg('input', () => SetUserRolesInput) input: SetUserRolesInput,
  ): Promise<User> {
    return this.userService.setRoles(requireViewer(ctx), input, ctx.meta);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => User, { description: 'Stops the user signing in and ends their sessions' })
  deactivateUser(@Ctx() ctx: AuthRequestContext, @Arg('id', () => ID) id: string): Promise<User> {
    return this.userService.deactivate(requireViewer(ctx), id, ctx.meta);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => User)
  reactivateUser(@Ctx() ctx: AuthRequestContext, @Arg('id', () => ID) id: string): Promise<User> {
    return this.userService.reactivate(requireViewer(ctx), id, ctx.meta);
  }

  @Authorized(...PEOPLE)
  @Mutation(() => Boolean, { description: 'Changes your password and signs out your other sessions' })
  changePassword(
    @Ctx() ctx: AuthRequestContext,
    @Arg('input', () => ChangePasswordInput) input: ChangePasswordInput,
  ): Promise<boolean> {
    return this.userService.changePassword(requireViewer(ctx), input, ctx.meta);
  }
}
