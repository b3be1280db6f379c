import { Public } from '@phub/kit';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { QueueContext } from '../../context.js';
import { Desk } from '../desk/desk.entity.js';
import type { DeskService } from '../desk/desk.service.js';
import { Line } from '../line/line.entity.js';
import type { LineService } from '../line/line.service.js';
import { Store } from './store.types.js';

@Resolver(() => Store)
export class StoreResolver {
  constructor(
    private readonly lines: LineService,
    private readonly desks: DeskService,
  ) {}

  @Public()
  @FieldResolver(() => [Line], { description: 'The store’s queue lines (empty when you may not see its queue)' })
  queueLines(@Root() store: Store, @Ctx() ctx: QueueContext): Promise<Line[]> {
    return ctx.viewer ? this.lines.list(ctx.scope, store.id) : Promise.resolve([]);
  }

  @FieldResolver(() => [Desk], { description: 'The store’s desks (service points)' })
  queueDesks(@Root() store: Store, @Ctx() ctx: QueueContext): Promise<Desk[]> {
    return ctx.viewer ? this.desks.list(ctx.scope, store.id) : Promise.resolve([]);
  }
}
