import { conflict, notFound } from '../errors.js';
import { DEFAULT_JOBS_SCHEMA } from './runner.js';

/** Runs one SQL statement on the shared database (a TypeORM `DataSource.query`, or a `pg` pool's). */
export type SqlQuery = (sql: string, params?: unknown[]) => Promise<unknown>;

/** A declared job as the runner keeps it: its schedule and what its queue holds now. */
export interface JobOverview {
  name: string;
  /** Five-field cron, or null for jobs that run only when sent (or once). */
  schedule: string | null;
  timeZone: string | null;
  /** At most one run at a time (and one waiting) across replicas. */
  singleton: boolean;
  retryLimit: number;
  /** Waiting to start (including runs delayed to a later time). */
  queued: number;
  active: number;
  /** Failed, waiting for their next attempt. */
  retrying: number;
  /** Failed with no attempts left, still kept (until archived). */
  failed: number;
  lastCompletedAt: Date | null;
  lastFailedAt: Date | null;
}

export type JobRunState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
export const JOB_RUN_STATES: readonly JobRunState[] = [
  'created',
  'retry',
  'active',
  'completed',
  'cancelled',
  'failed',
];

/** One run (one job row) with its last outcome. */
export interface JobRunRecord {
  id: string;
  job: string;
  state: JobRunState;
  /** Attempts so far (1 on the first run). */
  attempts: number;
  retryLimit: number;
  createdAt: Date;
  startAfter: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  /** The last failure's message (retry and failed states), never its stack or data. */
  error: string | null;
}

// Our job names (`<domain>.<job>`); pg-boss's own queues (`__pgboss__…`) stay out of sight.
const DECLARED = '^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+$';

/**
 * Reads the job runner's tables (pg-boss 10 on the shared Postgres) for operators: what each job is, its
 * counts, its latest runs and failures; and puts a failed run back in the queue. Reads only what pg-boss
 * keeps (jobs are archived after 12 hours and archives dropped after a week); never job data, which may hold
 * a tenant's ids.
 */
export class JobAdmin {
  private readonly s: string;

  constructor(
    private readonly query: SqlQuery,
    schema: string = DEFAULT_JOBS_SCHEMA,
  ) {
    this.s = `"${schema.replace(/"/g, '""')}"`;
  }

  /** Every declared job, by name; empty until a worker has started once. */
  async jobs(): Promise<JobOverview[]> {
    if (!(await this.installed())) return [];
    const s = this.s;
    const rows = (await this.query(
      `WITH counts AS (
         SELECT "name", "state"::text AS "state", count(*)::int AS "n" FROM ${s}."job" GROUP BY 1, 2
       ), finished AS (
         SELECT "name", "state"::text AS "state", "completed_on" FROM ${s}."job" WHERE "state" IN ('completed', 'failed')
         UNION ALL
         SELECT "name", "state"::text, "completed_on" FROM ${s}."archive" WHERE "state" IN ('completed', 'failed')
       ), latest AS (
         SELECT "name",
           max("completed_on") FILTER (WHERE "state" = 'completed') AS "lastCompletedAt",
           max("completed_on") FILTER (WHERE "state" = 'failed') AS "lastFailedAt"
         FROM finished GROUP BY 1
       )
       SELECT q."name", q."policy", q."retry_limit" AS "retryLimit", sc."cron", sc."timezone",
         COALESCE((SELECT "n" FROM counts c WHERE c."name" = q."name" AND c."state" = 'created'), 0) AS "queued",
         COALESCE((SELECT "n" FROM counts c WHERE c."name" = q."name" AND c."state" = 'active'), 0) AS "active",
         COALESCE((SELECT "n" FROM counts c WHERE c."name" = q."name" AND c."state" = 'retry'), 0) AS "retrying",
         COALESCE((SELECT "n" FROM counts c WHERE c."name" = q."name" AND c."state" = 'failed'), 0) AS "failed",
         l."lastCompletedAt", l."lastFailedAt"
       FROM ${s}."queue" q
       LEFT JOIN ${s}."schedule" sc ON sc."name" = q."name"
       LEFT JOIN latest l ON l."name" = q."name"
       WHERE q."name" ~ $1
       ORDER BY q."name"`,
      [DECLARED],
    )) as {
      name: string;
      policy: string;
      retryLimit: number;
      cron: string | null;
      timezone: string | null;
      queued: number;
      active: number;
      retrying: number;
      failed: number;
      lastCompletedAt: Date | null;
      lastFailedAt: Date | null;
    }[];
    return rows.map((r) => ({
      name: r.name,
      schedule: r.cron,
      timeZone: r.cron ? (r.timezone ?? 'UTC') : null,
      singleton: r.policy === 'stately',
      retryLimit: r.retryLimit,
      queued: r.queued,
      active: r.active,
      retrying: r.retrying,
      failed: r.failed,
      lastCompletedAt: r.lastCompletedAt,
      lastFailedAt: r.lastFailedAt,
    }));
  }

  /** A job's latest runs (newest first), optionally in one state; archived runs included. */
  async runs(job: string, options: { states?: readonly JobRunState[]; limit: number }): Promise<JobRunRecord[]> {
    if (!(await this.installed())) return [];
    const s = this.s;
    const states = options.states?.length ? options.states : JOB_RUN_STATES;
    const columns = `"id", "name", "state"::text AS "state", "retry_count" AS "retryCount", "retry_limit" AS "retryLimit",
      "created_on" AS "createdOn", "start_after" AS "startAfter", "started_on" AS "startedOn",
      "completed_on" AS "completedOn", "output"->>'message' AS "error"`;
    const rows = (await this.query(
      `SELECT * FROM (
         SELECT ${columns} FROM ${s}."job" WHERE "name" = $1 AND "state"::text = ANY($2::text[])
         UNION ALL
         SELECT ${columns} FROM ${s}."archive" WHERE "name" = $1 AND "state"::text = ANY($2::text[])
       ) r
       ORDER BY COALESCE(r."completedOn", r."startedOn", r."createdOn") DESC, r."id"
       LIMIT $3`,
      [job, states, options.limit],
    )) as RunRow[];
    return rows.map(toRecord);
  }

  /**
   * Puts a failed run back in its queue with one more attempt (what pg-boss's own `retry` does), so any worker
   * takes it at its next poll. NOT_FOUND when no such run is kept, CONFLICT when it is not failed (or a
   * singleton job already has a run waiting).
   */
  async retry(job: string, id: string): Promise<JobRunRecord> {
    if (!(await this.installed())) throw notFound('JobRun', id);
    const s = this.s;
    let rows: RunRow[];
    try {
      const result = (await this.query(
        `UPDATE ${s}."job" SET "state" = 'retry', "retry_limit" = "retry_limit" + 1, "start_after" = now()
         WHERE "name" = $1 AND "id" = $2 AND "state" = 'failed'
         RETURNING "id", "name", "state"::text AS "state", "retry_count" AS "retryCount", "retry_limit" AS "retryLimit",
           "created_on" AS "createdOn", "start_after" AS "startAfter", "started_on" AS "startedOn",
           "completed_on" AS "completedOn", "output"->>'message' AS "error"`,
        [job, id],
      )) as RunRow[] | [RunRow[], number];
      // TypeORM returns [rows, count] for UPDATE … RETURNING; pg returns the rows.
      rows = Array.isArray(result[0]) ? (result[0] as RunRow[]) : (result as RunRow[]);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw conflict(`${job} already has a run waiting`, { job, id });
      }
      throw err;
    }
    const row = rows[0];
    if (row) return toRecord(row);
    const [existing] = await this.runsById(job, id);
    if (!existing) throw notFound('JobRun', id);
    throw conflict(`Only a failed run can be retried; this one is ${existing.state}`, {
      job,
      id,
      state: existing.state,
    });
  }

  private async runsById(job: string, id: string): Promise<JobRunRecord[]> {
    const rows = (await this.query(
      `SELECT "id", "name", "state"::text AS "state", "retry_count" AS "retryCount", "retry_limit" AS "retryLimit",
         "created_on" AS "createdOn", "start_after" AS "startAfter", "started_on" AS "startedOn",
         "completed_on" AS "completedOn", "output"->>'message' AS "error"
       FROM ${this.s}."job" WHERE "name" = $1 AND "id" = $2`,
      [job, id],
    )) as RunRow[];
    return rows.map(toRecord);
  }

  private async installed(): Promise<boolean> {
    const [row] = (await this.query(`SELECT to_regclass($1) IS NOT NULL AS "ok"`, [`${this.s}."archive"`])) as {
      ok: boolean;
    }[];
    return Boolean(row?.ok);
  }
}

interface RunRow {
  id: string;
  name: string;
  state: JobRunState;
  retryCount: number;
  retryLimit: number;
  createdOn: Date;
  startAfter: Date;
  startedOn: Date | null;
  completedOn: Date | null;
  error: string | null;
}

function toRecord(r: RunRow): JobRunRecord {
  const failedOnce = r.state === 'failed' || r.state === 'retry';
  return {
    id: r.id,
    job: r.name,
    state: r.state,
    // pg-boss counts retries when it takes a run, so every run taken at least once made retry_count + 1 attempts.
    attempts: r.state === 'created' ? 0 : r.retryCount + 1,
    retryLimit: r.retryLimit,
    createdAt: new Date(r.createdOn),
    startAfter: new Date(r.startAfter),
    startedAt: r.startedOn ? new Date(r.startedOn) : null,
    completedAt: r.completedOn ? new Date(r.completedOn) : null,
    error: failedOnce ? r.error : null,
  };
}
