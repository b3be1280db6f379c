import { HttpApp } from '../http.js';
import type { Infra } from '../infra.js';
import type { Logger } from '../logger.js';
import { ServiceMetrics } from '../metrics.js';
import type { Service } from '../service.js';
import type { JobDefinition, JobSendOptions } from './job.js';
import { JobRunner, type JobRunnerOptions } from './runner.js';

/** The worker's port variable and default (the worker serves only /healthz, /readyz and /metrics). */
export const WORKER_PORT = { variable: 'WORKER_PORT', default: 4009 } as const;

/** What a domain's jobs are built on in the worker. */
export interface JobSourceContext {
  infra: Infra;
  logger: Logger;
  /** The process environment (or a test's), for the domain's own settings. */
  source: NodeJS.ProcessEnv;
  /** Enqueues a declared job; rejects until the runner has started (see `started`). */
  send(name: string, data?: object, options?: JobSendOptions): Promise<string | null>;
}

/** What a domain's source opened: its jobs, and what runs once they are declared. */
export interface OpenedJobSource {
  jobs: JobDefinition[];
  /** Called once the runner has started (queues exist): first sends, listeners. */
  started?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A domain's jobs for the worker. The domain opens what its handlers need (its own data source, on its own
 * schema) so the worker runs them beside the subgraph or in a pod of its own alike.
 */
export interface JobSource {
  name: string;
  open(ctx: JobSourceContext): Promise<OpenedJobSource>;
}

export interface WorkerServiceOptions {
  infra: Infra;
  sources: readonly JobSource[];
  port: number;
  host?: string;
  source?: NodeJS.ProcessEnv;
  /** Intervals and drain time (tests shorten them). */
  runner?: Pick<
    JobRunnerOptions,
    'pollIntervalSeconds' | 'maintenanceIntervalSeconds' | 'monitorIntervalSeconds' | 'drainSeconds' | 'schema'
  >;
}

export type WorkerService = Service & {
  /** The port it listens on once started. */
  readonly port: number;
  /** The running job runner; throws before start(). */
  readonly runner: JobRunner;
};

/**
 * The `worker` target: runs the jobs the given domains declare on the shared Postgres, with the service
 * shell every module has (/healthz, /readyz, /metrics with `phub_worker_*`, JSON logs, drain on stop).
 */
export function createWorkerService(options: WorkerServiceOptions): WorkerService {
  const logger = options.infra.logger.child({ service: 'worker' });
  const metrics = new ServiceMetrics('worker');
  let runner: JobRunner | undefined;
  let http: HttpApp | undefined;
  let port = 0;
  const opened: { close(): Promise<void> }[] = [];

  const closeSources = async () => {
    for (const s of opened.splice(0).reverse()) {
      await s.close().catch((err: unknown) => logger.warn({ err }, 'worker: closing a job source failed'));
    }
  };

  return {
    name: 'worker',
    get port() {
      return port;
    },
    get runner() {
      if (!runner) throw new Error('worker: not started');
      return runner;
    },
    async start() {
      const jobs: JobDefinition[] = [];
      const send = (name: string, data: object = {}, sendOptions: JobSendOptions = {}) => {
        if (!runner) return Promise.reject(new Error(`worker: ${name} sent before the runner started`));
        return runner.send(name, data, sendOptions);
      };
      try {
        const sources: OpenedJobSource[] = [];
        for (const source of options.sources) {
          const o = await source.open({ infra: options.infra, logger, source: options.source ?? process.env, send });
          opened.push(o);
          sources.push(o);
          jobs.push(...o.jobs);
        }
        const started = new JobRunner({
          ...options.runner,
          url: options.infra.databaseUrl,
          logger,
          jobs,
          registry: metrics.registry,
        });
        await started.start();
        runner = started;
        for (const o of sources) await o.started?.();
        http = new HttpApp({
          logger,
          metrics,
          readiness: [
            ...options.infra.readiness,
            {
              name: 'jobs',
              check: async () => {
                if (!runner) throw new Error('the job runner is stopped');
              },
            },
          ],
        });
        port = await http.listen(options.port, options.host);
      } catch (err) {
        await runner?.stop();
        runner = undefined;
        await closeSources();
        throw err;
      }
      logger.info({ port, jobs: jobs.map((j) => j.name) }, 'worker ready');
    },
    async stop() {
      http?.startDraining();
      await runner?.stop();
      runner = undefined;
      if (http?.server.listening) {
        const server = http.server;
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      http = undefined;
      await closeSources();
    },
  };
}
