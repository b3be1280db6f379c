import type { Logger } from '../logger.js';

/** One run of a job, as its handler sees it. */
export interface JobRun<T extends object = object> {
  /** The job's id (logs only: never a metric label). */
  id: string;
  data: T;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** Aborted when the worker stops and its drain time is over, or the job ran past `timeoutSeconds`. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * A job a domain declares; the kit's `JobRunner` runs it. Every job is taken by one worker at a time
 * (row locks in Postgres), so with several replicas each queued or scheduled job runs once.
 */
export interface JobDefinition<T extends object = object> {
  /** Queue name and the `job` metric label: `<domain>.<job>`, lower case. */
  name: string;
  run(job: JobRun<T>): Promise<void>;
  /** Enqueued by cron (five fields, minute precision) in `timeZone` (IANA, default UTC), once per tick across replicas. */
  schedule?: { cron: string; timeZone?: string };
  /** Enqueued once for the database's lifetime at the first start that declares it (demo data, backfills). */
  once?: boolean;
  /** Runs after a failure; the n-th retry waits `delaySeconds`·2^(n-1) to twice that with `backoff`. */
  retry?: { limit: number; delaySeconds: number; backoff?: boolean };
  /**
   * A run not finished after this long is given up and retried; it is also how a job held by a worker that
   * crashed gets back to the queue, so keep it above the longest honest run. Default 15 minutes.
   */
  timeoutSeconds?: number;
  /** At most one run at a time across replicas and at most one waiting (later sends are dropped meanwhile). */
  singleton?: boolean;
  /**
   * Sub-minute cadence, which cron cannot give: after each run (whatever its outcome) the runner enqueues the
   * next one this many seconds later. Needs `singleton` (so a chain never doubles) and a `schedule`, whose
   * ticks restart the chain if it ever breaks (a worker killed between a run and its follow-up).
   */
  repeatSeconds?: number;
}

/** What a job run may enqueue (itself later, or another declared job). */
export interface JobSendOptions {
  /** Not before this instant, or this many seconds from now. */
  startAfter?: Date | number;
  /** With a `singleton` job: one waiting job per key (others with the same key are dropped meanwhile). */
  singletonKey?: string;
}

/** Declares a job with its data type checked against its handler. */
export function defineJob<T extends object = Record<string, never>>(job: JobDefinition<T>): JobDefinition<T> {
  return job;
}

const NAME = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/;

/** Problems with a set of declarations, all at once (empty when they are fine). */
export function checkJobs(jobs: readonly JobDefinition<never>[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const job of jobs) {
    if (!NAME.test(job.name)) problems.push(`${job.name}: a job name is <domain>.<job> in lower case`);
    if (seen.has(job.name)) problems.push(`${job.name}: declared twice`);
    seen.add(job.name);
    if (job.schedule && job.once) problems.push(`${job.name}: either a schedule or once, not both`);
    if (job.schedule && job.schedule.cron.trim().split(/\s+/).length !== 5) {
      problems.push(`${job.name}: cron has five fields (minute hour day month weekday)`);
    }
    if (job.schedule?.timeZone && !isTimeZone(job.schedule.timeZone)) {
      problems.push(`${job.name}: unknown time zone ${job.schedule.timeZone}`);
    }
    if (job.retry && (!Number.isInteger(job.retry.limit) || job.retry.limit < 0 || job.retry.delaySeconds < 0)) {
      problems.push(`${job.name}: retry limit and delay are whole numbers ≥ 0`);
    }
    if (job.repeatSeconds !== undefined) {
      if (!(job.repeatSeconds >= 1)) problems.push(`${job.name}: repeatSeconds is ≥ 1`);
      if (!job.singleton || !job.schedule) {
        problems.push(`${job.name}: repeatSeconds needs singleton (one chain) and a schedule (restarts the chain)`);
      }
    }
    if (job.timeoutSeconds !== undefined && (!Number.isInteger(job.timeoutSeconds) || job.timeoutSeconds < 1)) {
      problems.push(`${job.name}: timeoutSeconds is a whole number ≥ 1`);
    }
  }
  return problems;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
