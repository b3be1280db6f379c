import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv, sharedEnvSchema } from '../env.js';
import { createInfra, type Infra } from '../infra.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, waitFor } from '../testing/index.js';
import { defineJob } from './job.js';
import { createWorkerService, type JobSource } from './worker.js';

const logger = createLogger('worker-test', 'warn');

describe.each([
  { name: 'PGlite (embedded default)', database: async () => ({ vars: {}, drop: async () => undefined }) },
  {
    name: 'Postgres',
    database: async () => {
      const db = await createTestDatabase();
      return { vars: { DATABASE_URL: db.url }, drop: db.drop };
    },
  },
])('the worker target on $name', ({ database }) => {
  let infra: Infra;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await database();
    drop = db.drop;
    infra = await createInfra({
      env: parseEnv(sharedEnvSchema, db.vars),
      logger,
      standalone: false,
      targets: ['worker'],
      ephemeralDatabase: true,
    });
  });
  afterAll(async () => {
    await infra?.close();
    await drop?.();
  });

  it("opens each domain's jobs, runs them, serves its metrics and readiness, and closes the domains on stop", async () => {
    const ran: string[] = [];
    let closed = 0;
    const source: JobSource = {
      name: 'demo',
      open: async ({ source: env }) => ({
        jobs: [defineJob({ name: 'demo.hello', run: async () => void ran.push(env.GREETING ?? '') })],
        close: async () => void closed++,
      }),
    };
    const worker = createWorkerService({
      infra,
      sources: [source],
      port: 0,
      host: '127.0.0.1',
      source: { GREETING: 'hi' },
      runner: { pollIntervalSeconds: 0.5, drainSeconds: 1 },
    });
    await worker.start();
    try {
      const base = `http://127.0.0.1:${worker.port}`;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      await worker.runner.send('demo.hello');
      await waitFor(() => ran.length === 1);
      expect(ran).toEqual(['hi']);
      const metrics = await waitFor(async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return text.includes('phub_worker_jobs_total{job="demo.hello",outcome="completed",service="worker"} 1') && text;
      });
      expect(metrics).toContain('phub_worker_job_duration_seconds_count{service="worker",job="demo.hello"} 1');
    } finally {
      await worker.stop();
    }
    expect(closed).toBe(1);
    expect(() => worker.runner).toThrow(/not started/);
  });
});
