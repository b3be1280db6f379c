import { filter, pipe, requireRole } from '@phub/kit';
import { Arg, Authorized, Ctx, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { PlaybackContext } from '../../context.js';
import { asGraphQLError, HEALTH_READERS } from '../../roles.js';
import type { StatusPayload } from '../alert/alert.channels.js';
import { fleetStatusChannel, statusChannel } from '../alert/alert.channels.js';
import { Display, DisplayStatusChange } from './display.types.js';
import type { DisplayStatus } from './health.rules.js';
import type { HealthService } from './health.service.js';

const STATUS_WATCHERS = [...HEALTH_READERS, 'DEVICE' as const];

@Resolver(() => Display)
export class HealthResolver {
  constructor(private readonly health: HealthService) {}

  @Authorized(...HEALTH_READERS)
  @Query(() => [Display], { description: 'Health of the displays of a store that have reported at least once' })
  displayHealth(@Ctx() ctx: PlaybackContext, @Arg('storeId', () => ID) storeId: string): Promise<Display[]> {
    return this.health.forStore(ctx.scope, storeId);
  }

  @Subscription(() => DisplayStatusChange, {
    description: 'Fires when a display turns ONLINE, OFFLINE or NOT_PLAYING_EXPECTED. A device only for itself',
    subscribe: async ({ args, context }) => {
      const ctx = context as PlaybackContext;
      try {
        requireRole(ctx, ...STATUS_WATCHERS);
        const displayId = String(args.displayId);
        await ctx.health.assertVisible(ctx.scope, displayId);
        return ctx.pubsub.subscribe(statusChannel(ctx.scope.tenantId, displayId));
      } catch (err) {
        throw asGraphQLError(err);
      }
    },
  })
  displayStatus(@Root() p: StatusPayload, @Arg('displayId', () => ID) _displayId: string): DisplayStatusChange {
    return toChange(p);
  }

  @Subscription(() => DisplayStatusChange, {
    description:
      'Every status change of the displays the viewer may see (the fleet view); `storeId` narrows it to one store',
    subscribe: async ({ args, context }) => {
      const ctx = context as PlaybackContext;
      try {
        requireRole(ctx, ...HEALTH_READERS);
        const storeId = args.storeId ? String(args.storeId) : null;
        if (storeId) await ctx.scope.assertStoreVisible(storeId);
        // Decided once, at subscribe time, like the token it comes from: new grants need a new subscription.
        const visible = await ctx.scope.visibleStores();
        const stores = storeId ? new Set([storeId]) : visible === 'all' ? null : new Set(visible);
        return pipe(
          ctx.pubsub.subscribe(fleetStatusChannel(ctx.scope.tenantId)),
          filter((p: StatusPayload) => !stores || stores.has(p.storeId)),
        );
      } catch (err) {
        throw asGraphQLError(err);
      }
    },
  })
  displayStatusChanges(
    @Root() p: StatusPayload,
    @Arg('storeId', () => ID, { nullable: true }) _storeId?: string | null,
  ): DisplayStatusChange {
    return toChange(p);
  }
}

function toChange(p: StatusPayload): DisplayStatusChange {
  const lastSeenAt = p.lastSeenAt ? new Date(p.lastSeenAt) : null;
  const status = p.status as DisplayStatus;
  return {
    displayId: p.displayId,
    status,
    previous: p.previous as DisplayStatus,
    at: new Date(p.at),
    display: { id: p.displayId, status, lastSeenAt, nowPlaying: null },
  };
}
