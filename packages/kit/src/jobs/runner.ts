import PgBoss from 'pg-boss';
import pg from 'pg';
import type { Registry } from 'prom-client';
import { ConfigError } from '../env.js';
import type { Logger } from '../logger.js';
import { checkJobs, type JobDefinition, type JobSendOptions } from './job.js';
import { JobMetrics, type JobOutcome } from './metrics.js';

export interface JobRunnerOptions {
  /** Postgres (or the embedded PGlite's socket URL: `Infra.databaseUrl`). */
  url: string;
  logger: Logger;
  jobs: readonly JobDefinition[];
  /** The Postgres schema holding queues, jobs and schedules. */
  schema?: string;
  /** Where the `phub_worker_*` metrics are registered (the worker's `/metrics`). */
  registry?: Registry;
  /** How often an idle worker looks for jobs (≥ 0.5 s); a chain's next link wakes its worker when due. */
  pollIntervalSeconds?: number;
  /** How often runs past their timeout (crashed workers) are put back and old jobs archived (≥ 1 s). */
  maintenanceIntervalSeconds?: number;
  /** How often the queued and active gauges are refreshed from Postgres (≥ 1 s). */
  monitorIntervalSeconds?: number;
  /** How long `stop()` waits for running jobs before aborting them (they run again later). */
  drainSeconds?: number;
  poolSize?: number;
}

export const DEFAULT_JOBS_SCHEMA = 'jobs';
const DEFAULT_TIMEOUT_SECONDS = 15 * 60;
// A link becomes fetchable once the database's now() passes its start_after (strictly): wake a little after.
const WAKE_AFTER_MS = 20;

interface ActiveRun {
  job: string;
  controller: AbortController;
}

/**
 * Runs declared jobs on Postgres with pg-boss: creates their queues, keeps their cron schedules, enqueues
 * `once` jobs, works every queue, and on `stop()` stops taking jobs and drains the running ones.
 * A job held by a worker that died is put back once its timeout has passed, and runs again on any replica.
 */
export class JobRunner {
  readonly metrics: JobMetrics;
  private boss: PgBoss | undefined;
  private readonly logger: Logger;
  private readonly schema: string;
  private readonly running = new Set<ActiveRun>();
  /** pg-boss worker ids by job name, so a chain's next link can wake its worker. */
  private readonly workers = new Map<string, string>();
  private readonly wakes = new Set<NodeJS.Timeout>();

  constructor(private readonly options: JobRunnerOptions) {
    const problems = checkJobs(options.jobs);
    if (problems.length) throw new ConfigError(problems);
    this.schema = options.schema ?? DEFAULT_JOBS_SCHEMA;
    this.logger = options.logger.child({ component: 'jobs' });
    this.metrics = new JobMetrics(options.registry);
  }

  get jobs(): readonly JobDefinition[] {
    return this.options.jobs;
  }

  async start(): Promise<void> {
    if (this.boss) return;
    const o = this.options;
    const boss = new PgBoss({
      connectionString: o.url,
      schema: this.schema,
      application_name: 'phub-jobs',
      max: o.poolSize ?? 4,
      migrate: true,
      supervise: true,
      schedule: o.jobs.some((j) => j.schedule),
      pollingIntervalSeconds: o.pollIntervalSeconds ?? 2,
      maintenanceIntervalSeconds: o.maintenanceIntervalSeconds ?? 60,
      monitorStateIntervalSeconds: o.monitorIntervalSeconds ?? 15,
    });
    boss.on('error', (err) => this.logger.error({ err }, 'jobs: background error'));
    boss.on('monitor-states', (states) => this.observe(states));
    await boss.start();
    try {
      await this.declare(boss);
      await this.enqueueOnce(
        boss,
        o.jobs.filter((j) => j.once),
      );
      for (const job of o.jobs) {
        const workerId = await boss.work<object>(
          job.name,
          { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: o.pollIntervalSeconds ?? 2 },
          async ([run]) => {
            if (run) await this.execute(job, run);
          },
        );
        this.workers.set(job.name, workerId);
      }
    } catch (err) {
      await boss.stop({ graceful: false }).catch(() => undefined);
      throw err;
    }
    this.boss = boss;
    // A chain starts now, not at the next minute's cron tick (a singleton queue drops it if one already waits).
    for (const job of o.jobs) {
      if (!job.repeatSeconds) continue;
      // Not woken at once: the cron check pg-boss makes as it starts would then find no waiting job and queue a
      // second run beside this one.
      await boss
        .send(job.name, {})
        .catch((err: unknown) => this.logger.warn({ err, job: job.name }, 'jobs: could not start the chain'));
    }
    this.logger.info({ jobs: o.jobs.map((j) => j.name) }, 'jobs: worker started');
  }

  /**
   * Queues and schedules as declared. Replicas starting together deadlock in pg-boss's create_queue (it
   * adds a partition with foreign keys), so they take turns under an advisory lock.
   */
  private async declare(boss: PgBoss): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.url, application_name: 'phub-jobs' });
    await client.connect();
    const key = `phub:jobs:${this.schema}:declare`;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      for (const job of this.options.jobs) {
        const queue: PgBoss.Queue = {
          name: job.name,
          policy: job.singleton ? 'stately' : 'standard',
          retryLimit: job.retry?.limit ?? 0,
          retryDelay: job.retry?.delaySeconds ?? 0,
          retryBackoff: job.retry?.backoff ?? false,
          expireInSeconds: job.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
        };
        await boss.createQueue(job.name, queue);
        // An existing queue keeps its first settings otherwise; the declaration is the truth.
        await boss.updateQueue(job.name, queue);
        if (job.schedule) {
          await boss.schedule(job.name, job.schedule.cron, {}, { tz: job.schedule.timeZone ?? 'UTC' });
        } else {
          await boss.unschedule(job.name);
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
      await client.end();
    }
  }

  /** Enqueues a job (now, or later); null when a singleton job (with that key) is already waiting. */
  async send(name: string, data: object = {}, options: JobSendOptions = {}): Promise<string | null> {
    if (!this.boss) throw new Error('JobRunner: send() before start()');
    if (!this.options.jobs.some((j) => j.name === name)) throw new Error(`JobRunner: ${name} is not declared here`);
    const id = await this.boss.send(name, data, {
      ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    });
    // Due now: this process's worker takes it at once rather than at its next poll.
    if (id && options.startAfter === undefined) this.wake(name);
    return id;
  }

  private wake(name: string): void {
    const workerId = this.workers.get(name);
    if (workerId) this.boss?.notifyWorker(workerId);
  }

  /**
   * Stops taking jobs and waits up to `drainSeconds` for running ones; then aborts their signals and
   * marks what is still running as failed, so it runs again (retries allowing) on a live replica.
   */
  async stop(): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    this.boss = undefined;
    for (const wake of this.wakes) clearTimeout(wake);
    this.wakes.clear();
    this.workers.clear();
    const drainMs = (this.options.drainSeconds ?? 30) * 1000;
    const abort = setTimeout(() => {
      for (const run of this.running) run.controller.abort(new Error('worker stopping'));
    }, drainMs);
    try {
      // One second past the drain, so aborted handlers can fail on their own before pg-boss fails them.
      await boss.stop({ graceful: true, wait: true, timeout: drainMs + 1000 });
    } finally {
      clearTimeout(abort);
    }
    this.logger.info('jobs: worker stopped');
  }

  private async execute(job: JobDefinition, run: PgBoss.JobWithMetadata<object>): Promise<void> {
    const attempt = run.retryCount + 1;
    const logger = this.logger.child({ job: job.name, jobId: run.id, attempt });
    const active: ActiveRun = { job: job.name, controller: new AbortController() };
    const timeoutMs = (job.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const timeout = setTimeout(() => active.controller.abort(new Error('job timed out')), timeoutMs);
    this.running.add(active);
    const started = performance.now();
    let outcome: JobOutcome = 'completed';
    try {
      await job.run({ id: run.id, data: run.data, attempt, signal: active.controller.signal, logger });
      // A sub-minute chain would log every few seconds: its completions are in the metrics only, unless debugging.
      logger[job.repeatSeconds ? 'debug' : 'info'](
        { durationMs: Math.round(performance.now() - started) },
        'job completed',
      );
    } catch (err) {
      outcome = run.retryCount < run.retryLimit ? 'retried' : 'failed';
      logger[outcome === 'failed' ? 'error' : 'warn'](
        { err, durationMs: Math.round(performance.now() - started) },
        outcome === 'failed' ? 'job failed, no retries left' : 'job failed, will retry',
      );
      throw err;
    } finally {
      clearTimeout(timeout);
      this.running.delete(active);
      this.metrics.jobs.inc({ job: job.name, outcome });
      this.metrics.duration.observe({ job: job.name }, (performance.now() - started) / 1000);
      if (job.repeatSeconds) await this.repeat(job, job.repeatSeconds);
    }
  }

  /**
   * The next link of a sub-minute chain; a lost link is restarted by the job's schedule. The worker is woken when
   * the link is due rather than at its next poll, which would add up to a poll interval to every link.
   */
  private async repeat(job: JobDefinition, seconds: number): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    const id = await boss
      .send(job.name, {}, { startAfter: seconds })
      .catch((err: unknown) => this.logger.warn({ err, job: job.name }, 'jobs: could not enqueue the next run'));
    if (!id) return;
    // start_after is the database's now() + seconds at the insert, which came before this timer started.
    const wake = setTimeout(
      () => {
        this.wakes.delete(wake);
        if (this.boss === boss) this.wake(job.name);
      },
      seconds * 1000 + WAKE_AFTER_MS,
    );
    wake.unref();
    this.wakes.add(wake);
  }

  private observe(states: PgBoss.MonitorStates): void {
    for (const job of this.options.jobs) {
      const s = states.queues[job.name];
      this.metrics.queued.set({ job: job.name }, (s?.created ?? 0) + (s?.retry ?? 0));
      this.metrics.active.set({ job: job.name }, s?.active ?? 0);
    }
  }

  /**
   * A `once` job is marked and enqueued in one transaction, so it is enqueued exactly once however many
   * replicas start together and whether or not one crashes halfway.
   */
  private async enqueueOnce(boss: PgBoss, jobs: readonly JobDefinition[]): Promise<void> {
    if (!jobs.length) return;
    const client = new pg.Client({ connectionString: this.options.url, application_name: 'phub-jobs' });
    await client.connect();
    try {
      await client.query('BEGIN');
      // Replicas starting together would race on CREATE TABLE IF NOT EXISTS (pg_type's unique index).
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`phub:jobs:${this.schema}:once`]);
      await client.query(`CREATE TABLE IF NOT EXISTS "${this.schema}"."phub_once" (
        "name" text PRIMARY KEY,
        "enqueued_at" timestamptz NOT NULL DEFAULT now()
      )`);
      const db: PgBoss.Db = { executeSql: (text, values) => client.query(text, values) };
      for (const job of jobs) {
        const marked = await client.query(
          `INSERT INTO "${this.schema}"."phub_once" ("name") VALUES ($1) ON CONFLICT DO NOTHING`,
          [job.name],
        );
        if (marked.rowCount) {
          await boss.send(job.name, {}, { db });
          this.logger.info({ job: job.name }, 'jobs: once-only job enqueued');
        }
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await client.end();
    }
  }
}
