import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { VisitorContext } from '../../context.js';
import { PROFILE_OPENERS } from '../../roles.js';
import { VisitorAuditEntry } from './audit.entity.js';
import type { AuditService } from './audit.service.js';

@Resolver(() => VisitorAuditEntry)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Authorized(...PROFILE_OPENERS)
  @Query(() => [VisitorAuditEntry], { description: 'Who read or changed visitors’ personal data, newest first' })
  visitorAudit(
    @Ctx() ctx: VisitorContext,
    @Arg('visitorId', () => ID, { nullable: true }) visitorId?: string | null,
    @Arg('first', () => Int, { defaultValue: 100 }) first = 100,
  ): Promise<VisitorAuditEntry[]> {
    return this.audit.list(ctx.scope, visitorId ?? null, first);
  }
}
