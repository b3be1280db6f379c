import type { JobOverview, JobRunRecord, JobRunState as KitJobRunState } from '@phub/kit';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum JobRunState {
  CREATED = 'created',
  RETRY = 'retry',
  ACTIVE = 'active',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
  FAILED = 'failed',
}
registerEnumType(JobRunState, {
  name: 'BackgroundJobRunState',
  description: 'Where a background job run is: waiting, waiting for a retry, running, or finished',
  valuesConfig: {
    CREATED: { description: 'Waiting to start (possibly delayed to a later time)' },
    RETRY: { description: 'Failed; waiting for its next attempt' },
    ACTIVE: { description: 'Running on a worker' },
    COMPLETED: { description: 'Finished without error' },
    CANCELLED: { description: 'Cancelled before it ran' },
    FAILED: { description: 'Failed with no attempts left' },
  },
});

@ObjectType('BackgroundJob', { description: 'A background job the worker runs (platform-wide, not per tenant)' })
export class Job implements JobOverview {
  @Field(() => ID, { description: '`<domain>.<job>`, e.g. `playback.retention`' })
  name: string;

  @Field(() => String, { nullable: true, description: 'Cron (minute hour day month weekday), when scheduled' })
  schedule: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone of the schedule' })
  timeZone: string | null;

  @Field(() => Boolean, { description: 'At most one run at a time across workers' })
  singleton: boolean;

  @Field(() => Int, { description: 'Attempts after the first one, before a run counts as failed' })
  retryLimit: number;

  @Field(() => Int, { description: 'Runs waiting to start' })
  queued: number;

  @Field(() => Int, { description: 'Runs in progress' })
  active: number;

  @Field(() => Int, { description: 'Runs that failed and wait for their next attempt' })
  retrying: number;

  @Field(() => Int, { description: 'Runs that failed with no attempts left (kept about 12 hours)' })
  failed: number;

  @Field(() => Date, { nullable: true })
  lastCompletedAt: Date | null;

  @Field(() => Date, { nullable: true })
  lastFailedAt: Date | null;
}

@ObjectType('BackgroundJobRun', { description: 'One run of a background job' })
export class JobRun implements Omit<JobRunRecord, 'state'> {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: 'The job’s name' })
  job: string;

  @Field(() => JobRunState)
  state: JobRunState;

  @Field(() => Int, { description: 'Attempts made so far' })
  attempts: number;

  @Field(() => Int)
  retryLimit: number;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { description: 'Not started before this instant' })
  startAfter: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'The last failure’s message' })
  error: string | null;
}

export const toJobRun = (r: JobRunRecord): JobRun => ({ ...r, state: r.state as KitJobRunState as JobRunState });
