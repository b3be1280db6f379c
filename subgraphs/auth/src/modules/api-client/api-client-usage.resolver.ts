import { requireViewer, Role } from '@phub/kit';
import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AuthRequestContext } from '../../context.js';
import { ApiClient } from './api-client.entity.js';
import { ApiClientUsage, UsageGranularity } from './api-client-usage.entity.js';
import { ApiClientUsageService } from './api-client-usage.service.js';

@Resolver(() => ApiClient)
export class ApiClientUsageResolver {
  constructor(private readonly usage: ApiClientUsageService) {}

  @Authorized(Role.HQ_ADMIN)
  @FieldResolver(() => ApiClientUsage, {
    name: 'usage',
    description:
      'Requests, errors, 429s and cost the gateway counted for this client in the hours starting within [from, to) (UTC); at most 31 days by hour or 366 by day',
  })
  clientUsage(
    @Root() client: ApiClient,
    @Ctx() ctx: AuthRequestContext,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('granularity', () => UsageGranularity, { defaultValue: UsageGranularity.DAY }) granularity: UsageGranularity,
  ): Promise<ApiClientUsage> {
    return this.usage.usage(requireViewer(ctx), client.id, from, to, granularity);
  }
}
