import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { QueueContext } from '../../context.js';
import { CONFIGURERS, DESK_STAFF, QUEUE_READERS } from '../../roles.js';
import { Desk } from './desk.entity.js';
import { CreateDeskInput, UpdateDeskInput } from './desk.input.js';
import type { DeskService } from './desk.service.js';

@Resolver(() => Desk)
export class DeskResolver {
  constructor(private readonly service: DeskService) {}

  @Authorized(...QUEUE_READERS)
  @Query(() => [Desk], { description: 'Desks of a store (empty when you may not see its queue)' })
  desks(@Ctx() ctx: QueueContext, @Arg('storeId', () => ID) storeId: string): Promise<Desk[]> {
    return this.service.list(ctx.scope, storeId);
  }

  @Authorized(...CONFIGURERS)
  @Mutation(() => Desk, { description: 'Store managers (their stores) and HQ admins' })
  createDesk(@Ctx() ctx: QueueContext, @Arg('input', () => CreateDeskInput) input: CreateDeskInput): Promise<Desk> {
    return this.service.create(ctx.scope, input);
  }

  @Authorized(...CONFIGURERS)
  @Mutation(() => Desk)
  updateDesk(@Ctx() ctx: QueueContext, @Arg('input', () => UpdateDeskInput) input: UpdateDeskInput): Promise<Desk> {
    return this.service.update(ctx.scope, input);
  }

  @Authorized(...CONFIGURERS)
  @Mutation(() => Desk)
  archiveDesk(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Desk> {
    return this.service.archive(ctx.scope, id);
  }

  @Authorized(...DESK_STAFF)
  @Mutation(() => Desk, {
    description: 'Signs someone in to a desk (userId) or out (null). Managers assign anyone; staff only themselves',
  })
  assignDesk(
    @Ctx() ctx: QueueContext,
    @Arg('deskId', () => ID) deskId: string,
    @Arg('userId', () => ID, { nullable: true }) userId?: string | null,
  ): Promise<Desk> {
    return this.service.assign(ctx.scope, deskId, userId ?? null);
  }
}
