import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CampaignContext } from '../../context.js';
import { isUuid } from '../../ids.js';
import { StoreReference, storeRef, UserReference, userRef } from '../../references.js';
import { Creative } from '../creative/creative.entity.js';
import { StoreTakeover } from './takeover.entity.js';
import { StartStoreTakeoverInput } from './takeover.input.js';
import type { TakeoverService } from './takeover.service.js';

@Resolver(() => StoreTakeover)
export class TakeoverResolver {
  constructor(private readonly takeovers: TakeoverService) {}

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'HQ_VIEWER', 'STORE_MANAGER', 'STORE_STAFF')
  @Query(() => [StoreTakeover], {
    description: 'The store’s active takeover (and, with includeEnded, its history), newest first',
  })
  storeTakeovers(
    @Ctx() ctx: CampaignContext,
    @Arg('storeId', () => ID) storeId: string,
    @Arg('includeEnded', () => Boolean, { defaultValue: false }) includeEnded: boolean,
  ): Promise<StoreTakeover[]> {
    return this.takeovers.list(ctx.scope, storeId, includeEnded);
  }

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER')
  @Mutation(() => StoreTakeover, {
    description:
      'Emergency: every display of the store plays only this message or creative, now and until lifted ' +
      '(store managers: their stores). A store with an active takeover is CONFLICT (reason TAKEOVER_ACTIVE)',
  })
  startStoreTakeover(
    @Ctx() ctx: CampaignContext,
    @Arg('input', () => StartStoreTakeoverInput) input: StartStoreTakeoverInput,
  ): Promise<StoreTakeover> {
    return this.takeovers.start(ctx.scope, input);
  }

  @Authorized('HQ_ADMIN', 'HQ_EDITOR', 'STORE_MANAGER')
  @Mutation(() => StoreTakeover, { description: 'Ends a takeover now: the displays return to their playlists' })
  liftStoreTakeover(@Ctx() ctx: CampaignContext, @Arg('id', () => ID) id: string): Promise<StoreTakeover> {
    return this.takeovers.lift(ctx.scope, id);
  }

  @FieldResolver(() => Boolean, { description: 'Not lifted: the store’s displays play it' })
  active(@Root() takeover: StoreTakeover): boolean {
    return takeover.liftedAt === null;
  }

  @FieldResolver(() => StoreReference)
  store(@Root() takeover: StoreTakeover): StoreReference {
    return storeRef(takeover.storeId);
  }

  @FieldResolver(() => Creative, { nullable: true })
  creative(@Root() takeover: StoreTakeover, @Ctx() ctx: CampaignContext): Promise<Creative | null> | null {
    return takeover.creativeId ? ctx.loaders.creative.load(takeover.creativeId) : null;
  }

  @FieldResolver(() => UserReference, { nullable: true, description: 'The person who started it' })
  startedByUser(@Root() takeover: StoreTakeover): UserReference | null {
    return isUuid(takeover.createdBy) ? userRef(takeover.createdBy) : null;
  }

  @FieldResolver(() => UserReference, { nullable: true, description: 'The person who lifted it' })
  liftedByUser(@Root() takeover: StoreTakeover): UserReference | null {
    return isUuid(takeover.liftedBy) ? userRef(takeover.liftedBy) : null;
  }
}
