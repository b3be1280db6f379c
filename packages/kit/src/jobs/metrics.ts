import { Counter, Gauge, Histogram, Registry, type Metric } from 'prom-client';

const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

export type JobOutcome = 'completed' | 'retried' | 'failed';

/**
 * The worker's metrics; labels are declared job names and outcomes only (bounded), never ids.
 * Queued and active count every replica's jobs (read from Postgres), so any replica's scrape tells the truth.
 */
export class JobMetrics {
  readonly jobs: Counter<'job' | 'outcome'>;
  readonly duration: Histogram<'job'>;
  readonly queued: Gauge<'job'>;
  readonly active: Gauge<'job'>;

  constructor(readonly registry: Registry = new Registry()) {
    // Several runners may share a registry (one per subgraph in one process): reuse what is registered.
    this.jobs = this.once(
      'phub_worker_jobs_total',
      () =>
        new Counter({
          name: 'phub_worker_jobs_total',
          help: 'Job runs by outcome: completed, retried (failed, will run again), failed (no retries left)',
          labelNames: ['job', 'outcome'],
          registers: [registry],
        }),
    );
    this.duration = this.once(
      'phub_worker_job_duration_seconds',
      () =>
        new Histogram({
          name: 'phub_worker_job_duration_seconds',
          help: 'Time one job run took, whatever its outcome',
          labelNames: ['job'],
          buckets: DURATION_BUCKETS,
          registers: [registry],
        }),
    );
    this.queued = this.once(
      'phub_worker_jobs_queued',
      () =>
        new Gauge({
          name: 'phub_worker_jobs_queued',
          help: 'Jobs waiting to run (new or waiting for a retry), all replicas',
          labelNames: ['job'],
          registers: [registry],
        }),
    );
    this.active = this.once(
      'phub_worker_jobs_active',
      () =>
        new Gauge({
          name: 'phub_worker_jobs_active',
          help: 'Jobs running now, all replicas',
          labelNames: ['job'],
          registers: [registry],
        }),
    );
  }

  private once<T extends Metric>(name: string, create: () => T): T {
    return (this.registry.getSingleMetric(name) as T | undefined) ?? create();
  }
}
