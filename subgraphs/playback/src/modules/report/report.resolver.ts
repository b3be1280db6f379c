import { Public } from '@phub/kit';
import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { PlaybackContext } from '../../context.js';
import { REPORT_READERS } from '../../roles.js';
import { PlaybackReport, PlaybackReportFilter } from './report.input.js';
import type { ReportService } from './report.service.js';

@Resolver()
export class ReportResolver {
  constructor(private readonly reports: ReportService) {}

  @Public()
  @Authorized(...REPORT_READERS)
  @Query(() => PlaybackReport, {
    description:
      'Plays, play time and displays reached, grouped by campaign, creative, store and/or day (each store’s own day). A null campaign: display overrides. HQ, store managers (their stores), partners with playback:read',
  })
  playbackReport(
    @Ctx() ctx: PlaybackContext,
    @Arg('filter', () => PlaybackReportFilter) filter: PlaybackReportFilter,
  ): Promise<PlaybackReport> {
    return this.reports.report(ctx.scope, filter);
  }

  @Authorized(...REPORT_READERS)
  @Query(() => String, { description: 'playbackReport as CSV text (also GET /reports/plays.csv)' })
  playbackReportCsv(
    @Ctx() ctx: PlaybackContext,
    @Arg('filter', () => PlaybackReportFilter) filter: PlaybackReportFilter,
  ): Promise<string> {
    return this.reports.csv(ctx.scope, filter);
  }
}
