import { Public } from '@phub/kit';
import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { QueueContext } from '../../context.js';
import { CONFIGURERS, LINE_READERS } from '../../roles.js';
import { EstimateService } from '../estimate/estimate.service.js';
import { Store, storeRef } from '../store/store.types.js';
import { Line } from './line.entity.js';
import { lineNotFound } from './line.errors.js';
import { CreateLineInput, UpdateLineInput } from './line.input.js';
import type { LineService } from './line.service.js';

@Resolver(() => Line)
export class LineResolver {
  constructor(private readonly service: LineService) {}

  @Public()
  @Authorized(...LINE_READERS)
  @Query(() => [Line], { description: 'Lines of a store (empty when you may not see its queue); also its kiosks' })
  queueLines(
    @Ctx() ctx: QueueContext,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('includeArchived', () => Boolean, { nullable: true }) includeArchived?: boolean | null,
  ): Promise<Line[]> {
    return this.service.list(ctx.scope, storeId, includeArchived ?? false);
  }

  @Public()
  @Query(() => Line, { description: 'A line; anyone with its id (the join link) may read it' })
  async line(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Line> {
    if (ctx.viewer) return this.service.get(ctx.scope, id);
    const line = await this.service.find(id);
    if (!line || line.archivedAt) throw lineNotFound(id);
    return line;
  }

  @Authorized(...CONFIGURERS)
  @Mutation(() => Line, { description: 'Store managers (their stores) and HQ admins' })
  createLine(@Ctx() ctx: QueueContext, @Arg('input', () => CreateLineInput) input: CreateLineInput): Promise<Line> {
    return this.service.create(ctx.scope, input);
  }

  @Authorized(...CONFIGURERS)
  @Mutation(() => Line)
  updateLine(@Ctx() ctx: QueueContext, @Arg('input', () => UpdateLineInput) input: UpdateLineInput): Promise<Line> {
    return this.service.update(ctx.scope, input);
  }

  @Authorized(...CONFIGURERS)
  @Mutation(() => Line, { description: 'The line takes no new tickets; those in it can still be served' })
  archiveLine(@Ctx() ctx: QueueContext, @Arg('id', () => ID) id: string): Promise<Line> {
    return this.service.archive(ctx.scope, id);
  }

  @Public()
  @FieldResolver(() => Boolean, {
    description: 'Takes remote joins now (its hours, else the store’s, in the store’s zone)',
  })
  isOpen(@Root() line: Line): Promise<boolean> {
    return this.service.isOpen(line);
  }

  @Public()
  @FieldResolver(() => Int, { description: 'Tickets waiting to be called' })
  async waiting(@Root() line: Line, @Ctx() ctx: QueueContext): Promise<number> {
    return (await ctx.loaders.line.load(line.id)).waiting;
  }

  @Public()
  @FieldResolver(() => Float, { description: 'Minutes a visitor joining now would wait (see the estimate README)' })
  async estimatedWaitMinutes(@Root() line: Line, @Ctx() ctx: QueueContext): Promise<number> {
    const state = await ctx.loaders.line.load(line.id);
    return EstimateService.minutes(state, state.waiting);
  }

  // Nullable: a visitor joining anonymously may not read location's stores, and a null here must not
  // swallow the whole joinQueue answer (and with it the visitor's only copy of their ticket token).
  @Public()
  @FieldResolver(() => Store, { nullable: true })
  store(@Root() line: Line): Store {
    return storeRef(line.storeId);
  }
}
