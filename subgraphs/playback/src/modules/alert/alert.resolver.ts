import { ConnectionType, requireRole } from '@phub/kit';
import {
  Arg,
  Authorized,
  Ctx,
  Field,
  ID,
  InputType,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { PlaybackContext } from '../../context.js';
import { ACKNOWLEDGERS, asGraphQLError, HEALTH_READERS } from '../../roles.js';
import { type AlertPayload, alertChannel } from './alert.channels.js';
import { Alert, AlertKind, AlertState } from './alert.entity.js';
import { type AlertService, fromAlertPayload } from './alert.service.js';

const AlertConnection = ConnectionType(Alert, 'Alert');

@InputType()
export class AlertFilter {
  @Field(() => ID, { nullable: true })
  storeId?: string | null;

  @Field(() => ID, { nullable: true })
  displayId?: string | null;

  @Field(() => [AlertState], { nullable: true, description: 'Default: every state' })
  states?: AlertState[] | null;

  @Field(() => AlertKind, { nullable: true })
  kind?: AlertKind | null;
}

@Resolver(() => Alert)
export class AlertResolver {
  constructor(private readonly service: AlertService) {}

  @Authorized(...HEALTH_READERS)
  @Query(() => AlertConnection, { description: 'Display alerts the viewer may see' })
  alerts(
    @Ctx() ctx: PlaybackContext,
    @Arg('filter', () => AlertFilter, { nullable: true }) filter?: AlertFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return this.service.list(ctx.scope, filter ?? {}, first, after);
  }

  @Authorized(...ACKNOWLEDGERS)
  @Mutation(() => Alert, {
    description: 'Someone is on it: RAISED → ACKNOWLEDGED. HQ admins/editors, store roles for their stores',
  })
  acknowledgeAlert(@Ctx() ctx: PlaybackContext, @Arg('id', () => ID) id: string): Promise<Alert> {
    return this.service.acknowledge(ctx.scope, id);
  }

  @Subscription(() => Alert, {
    description: 'Alerts of a store as they are raised, acknowledged and resolved. Same access as alerts',
    subscribe: async ({ args, context }) => {
      const ctx = context as PlaybackContext;
      try {
        requireRole(ctx, ...HEALTH_READERS);
        const storeId = String(args.storeId);
        await ctx.scope.assertStoreVisible(storeId);
        return ctx.pubsub.subscribe(alertChannel(ctx.scope.tenantId, storeId));
      } catch (err) {
        throw asGraphQLError(err);
      }
    },
  })
  displayAlerts(@Root() payload: AlertPayload, @Arg('storeId', () => ID) _storeId: string): Alert {
    return fromAlertPayload(payload);
  }
}
