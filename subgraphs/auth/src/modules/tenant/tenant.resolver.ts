import { requireViewer, Role } from '@phub/kit';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { AuthRequestContext } from '../../context.js';
import { Tenant } from './tenant.entity.js';
import { UpdateTenantInput } from './tenant.input.js';
import { TenantService } from './tenant.service.js';

@Resolver(() => Tenant)
export class TenantResolver {
  constructor(private readonly tenants: TenantService) {}

  @Authorized()
  @Query(() => Tenant, { description: "The caller's tenant" })
  tenant(@Ctx() ctx: AuthRequestContext): Promise<Tenant> {
    return this.tenants.current(requireViewer(ctx));
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => Tenant, { description: "Renames the caller's tenant" })
  updateTenant(
    @Ctx() ctx: AuthRequestContext,
    @Arg('input', () => UpdateTenantInput) input: UpdateTenantInput,
  ): Promise<Tenant> {
    return this.tenants.update(requireViewer(ctx), input, ctx.meta);
  }
}
