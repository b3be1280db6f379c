import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { QueueContext } from '../../context.js';
import { REPORT_READERS } from '../../roles.js';
import { QueueReport, QueueReportFilter } from './report.input.js';
import type { QueueReportService } from './report.service.js';

@Resolver()
export class QueueReportResolver {
  constructor(private readonly reports: QueueReportService) {}

  @Authorized(...REPORT_READERS)
  @Query(() => QueueReport, {
    description:
      'Tickets issued, served (also per hour), waits and service times (p50/p90), no-shows and cancellations, grouped by store, line and/or store-local day. HQ (the tenant), store managers (their stores), partners with queue:read',
  })
  queueReport(
    @Ctx() ctx: QueueContext,
    @Arg('filter', () => QueueReportFilter) filter: QueueReportFilter,
    @Info() info: GraphQLResolveInfo,
  ): Promise<QueueReport> {
    // Totals over many groups cost a second pass over every sample: only when asked for.
    const totals = info.fieldNodes.some((node) =>
      node.selectionSet?.selections.some((s) => s.kind !== 'Field' || s.name.value === 'totals'),
    );
    return this.reports.report(ctx.scope, filter, { totals });
  }
}
