import { Public } from '@phub/kit';
import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { VisitorContext } from '../../context.js';
import { AGGREGATE_READERS } from '../../roles.js';
import type { VisitorReportService } from './report.service.js';
import { VisitorReport } from './report.types.js';

@Resolver()
export class VisitorReportResolver {
  constructor(private readonly reports: VisitorReportService) {}

  @Public()
  @Authorized(...AGGREGATE_READERS)
  @Query(() => VisitorReport, { description: 'Visitor aggregates (check-ins from `from`, before `to`)' })
  visitorReport(
    @Ctx() ctx: VisitorContext,
    @Arg('from', () => Date, { nullable: true }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true }) to?: Date | null,
  ): Promise<VisitorReport> {
    return this.reports.report(ctx.scope, from ?? null, to ?? null);
  }
}
