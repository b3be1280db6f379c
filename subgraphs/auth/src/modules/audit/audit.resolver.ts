import { ConnectionType, requireViewer, Role } from '@phub/kit';
import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { AuthRequestContext } from '../../context.js';
import { AuditEvent } from './audit.entity.js';
import { AuditLogArgs } from './audit.input.js';
import { AuditService } from './audit.service.js';

export const AuditEventConnection = ConnectionType(AuditEvent, 'AuditEvent');

@Resolver(() => AuditEvent)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Authorized(Role.HQ_ADMIN)
  @Query(() => AuditEventConnection, {
    description:
      "Audited events of the caller's tenant (security events, approvals, pauses, overrides, takeovers), newest first",
  })
  auditLog(@Ctx() ctx: AuthRequestContext, @Args(() => AuditLogArgs) args: AuditLogArgs) {
    return this.audit.list(requireViewer(ctx), args);
  }
}
