import { Public } from '@phub/kit';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { QueueContext } from '../../context.js';
import { CLERKS, QUEUE_READERS } from '../../roles.js';
import { Line } from '../line/line.entity.js';
import { Ticket } from '../ticket/ticket.entity.js';
import { CollectOrder, CollectOrderState, CreatedCollectOrder } from './collect.entity.js';
import { CreateCollectOrderInput } from './collect.input.js';
import type { CollectService } from './collect.service.js';

@Resolver(() => CollectOrder)
export class CollectOrderResolver {
  constructor(private readonly service: CollectService) {}

  @Public()
  @Authorized(...QUEUE_READERS)
  @Query(() => [CollectOrder], {
    description: 'A store’s collect orders (default: READY and CHECKED_IN), oldest first',
  })
  collectOrders(
    @Ctx() ctx: QueueContext,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('states', () => [CollectOrderState], { nullable: true }) states?: CollectOrderState[] | null,
  ): Promise<CollectOrder[]> {
    return this.service.list(ctx.scope, storeId, states);
  }

  @Public()
  @Authorized(...QUEUE_READERS)
  @Query(() => CollectOrder)
  collectOrder(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<CollectOrder> {
    return this.service.get(ctx.scope, id);
  }

  @Public()
  @Authorized(...CLERKS)
  @Mutation(() => CreatedCollectOrder, {
    description: 'A shop (partner with queue:write) or staff put an order up for pickup on a COLLECT line',
  })
  createCollectOrder(
    @Ctx() ctx: QueueContext,
    @Arg('input', () => CreateCollectOrderInput) input: CreateCollectOrderInput,
  ): Promise<CreatedCollectOrder> {
    return this.service.create(ctx.scope, input);
  }

  @Public()
  @Authorized(...CLERKS)
  @Mutation(() => CollectOrder, { description: 'READY → CANCELLED' })
  cancelCollectOrder(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<CollectOrder> {
    return this.service.cancel(ctx.scope, id);
  }

  @Authorized(...CLERKS)
  @Mutation(() => CollectOrder, {
    description: 'Hands the order over (→ COLLECTED); its CALLED ticket is served with it',
  })
  handOverCollectOrder(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<CollectOrder> {
    return this.service.handOver(ctx.scope, id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Hidden from displays and kiosks' })
  customerName(@Root() o: CollectOrder, @Ctx() ctx: QueueContext): string | null {
    return ctx.scope.canSeePersonal ? this.service.reveal(o, 'customerName') : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Hidden from displays and kiosks' })
  customerPhone(@Root() o: CollectOrder, @Ctx() ctx: QueueContext): string | null {
    return ctx.scope.canSeePersonal ? this.service.reveal(o, 'customerPhone') : null;
  }

  @Public()
  @FieldResolver(() => Line)
  async line(@Root() o: CollectOrder, @Ctx() ctx: QueueContext): Promise<Line> {
    return (await ctx.loaders.lineById.load(o.lineId))!;
  }
}

/** A ticket's collect order: the reference and customer staff see at the desk (not displays and kiosks). */
@Resolver(() => Ticket)
export class TicketOrderResolver {
  constructor(private readonly service: CollectService) {}

  @FieldResolver(() => CollectOrder, { nullable: true, description: 'The order it picks up (collect lines)' })
  collectOrder(@Root() t: Ticket, @Ctx() ctx: QueueContext): Promise<CollectOrder | null> {
    if (!t.collectOrderId || !ctx.scope.canSeePersonal) return Promise.resolve(null);
    return this.service.find(t.collectOrderId);
  }
}
