import { badInput } from '@phub/kit';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { QueueContext } from '../../context.js';
import { QUEUE_READERS } from '../../roles.js';
import { QueueUpdate } from '../ticket/ticket.resolver.js';
import type { BoardService } from './board.service.js';
import { MAX_NEXT } from './board.service.js';
import { QueueBoard } from './board.types.js';

@Resolver()
export class BoardResolver {
  constructor(private readonly boards: BoardService) {}

  @Authorized(...QUEUE_READERS)
  @Query(() => QueueBoard, {
    description:
      'The store’s "now serving" board (numbers, desks, waits; no personal data): its displays, store roles, HQ, partners with a queue scope',
  })
  queueBoard(
    @Ctx() ctx: QueueContext,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('next', () => Int, { defaultValue: 5, description: `Waiting numbers per line, at most ${MAX_NEXT}` })
    next: number,
  ): Promise<QueueBoard> {
    if (next < 0 || next > MAX_NEXT) {
      return Promise.reject(badInput(`next: 0 to ${MAX_NEXT}`, { field: 'next' }));
    }
    return this.boards.board(ctx.scope, storeId, next);
  }
}

/** The board as it is after each change, so a screen needs one message per change, not a query. */
@Resolver(() => QueueUpdate)
export class QueueUpdateBoardResolver {
  constructor(private readonly boards: BoardService) {}

  @FieldResolver(() => QueueBoard, { description: 'The store’s board right after this change' })
  board(
    @Root() update: QueueUpdate,
    @Ctx() ctx: QueueContext,
    @Arg('next', () => Int, { defaultValue: 5 }) next: number,
  ): Promise<QueueBoard> {
    if (next < 0 || next > MAX_NEXT) {
      return Promise.reject(badInput(`next: 0 to ${MAX_NEXT}`, { field: 'next' }));
    }
    return this.boards.board(ctx.scope, update.ticket.storeId, next);
  }
}
