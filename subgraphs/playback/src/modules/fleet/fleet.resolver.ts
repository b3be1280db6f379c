import { ConnectionType } from '@phub/kit';
import { Args, ArgsType, Authorized, Ctx, Field, Int, Query, Resolver } from 'type-graphql';
import type { PlaybackContext } from '../../context.js';
import { HEALTH_READERS } from '../../roles.js';
import { Display } from '../health/display.types.js';
import { FleetDisplayFilter, FleetDisplayOrder } from './fleet.input.js';
import type { FleetService } from './fleet.service.js';

export const FleetDisplayConnection = ConnectionType(Display, 'FleetDisplay');

@ArgsType()
export class FleetDisplaysArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20)' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: '`endCursor` of the previous page (of the same order)' })
  after?: string | null;

  @Field(() => FleetDisplayFilter, { nullable: true })
  filter?: FleetDisplayFilter | null;

  @Field(() => FleetDisplayOrder, { nullable: true, description: 'Default: by display name' })
  orderBy?: FleetDisplayOrder | null;
}

@Resolver()
export class FleetResolver {
  constructor(private readonly fleet: FleetService) {}

  @Authorized(...HEALTH_READERS)
  @Query(() => FleetDisplayConnection, {
    description:
      'The displays the viewer may see with their health, filtered and sorted on the server (name, store, status, last seen)',
  })
  async fleetDisplays(@Ctx() ctx: PlaybackContext, @Args(() => FleetDisplaysArgs) args: FleetDisplaysArgs) {
    const page = await this.fleet.list(ctx.scope, args);
    const nodes = await ctx.loaders.display.loadMany(page.edges.map((e) => e.node.id));
    return {
      ...page,
      edges: page.edges.map((e, i) => {
        // The loader answers every id (UNKNOWN when never heard from); an error is the database's, passed on.
        const node = nodes[i]!;
        if (node instanceof Error) throw node;
        return { cursor: e.cursor, node };
      }),
    };
  }
}
