import { requireViewer, Role } from '@phub/kit';
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { AuthRequestContext } from '../../context.js';
import { JobService } from './job.service.js';
import { Job, JobRun, JobRunState } from './job.types.js';

/** The worker's jobs, for HQ admins only: platform-wide state, no tenant data (job data is never shown). */
@Resolver(() => Job)
export class JobResolver {
  constructor(private readonly jobs: JobService) {}

  @Authorized(Role.HQ_ADMIN)
  @Query(() => [Job], { description: 'Background jobs the worker runs, with their schedules and queue counts' })
  backgroundJobs(): Promise<Job[]> {
    return this.jobs.jobs();
  }

  @Authorized(Role.HQ_ADMIN)
  @Query(() => [JobRun], { description: 'A background job’s latest runs, newest first (failures carry their error)' })
  backgroundJobRuns(
    @Arg('job', () => String) job: string,
    @Arg('states', () => [JobRunState], { nullable: true }) states: JobRunState[] | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
  ): Promise<JobRun[]> {
    return this.jobs.runs(job, states ?? undefined, first);
  }

  @Authorized(Role.HQ_ADMIN)
  @Mutation(() => JobRun, { description: 'Runs a failed background job run again (one more attempt); audited' })
  retryBackgroundJobRun(
    @Arg('job', () => String) job: string,
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: AuthRequestContext,
  ): Promise<JobRun> {
    return this.jobs.retry(job, id, { viewer: requireViewer(ctx), meta: ctx.meta });
  }
}
