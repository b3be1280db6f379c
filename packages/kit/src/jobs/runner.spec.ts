import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFileSync } from '@swc/core';
import pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgres } from '../embedded-postgres.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, deferred, waitFor } from '../testing/index.js';
import { defineJob, type JobDefinition } from './job.js';
import { JobRunner, type JobRunnerOptions } from './runner.js';

const logger = createLogger('jobs-test', 'warn');
const KIT_SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Short intervals so a test sees retries and crash recovery within seconds.
const FAST = { pollIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, monitorIntervalSeconds: 1, drainSeconds: 1 };

/** A database to run on: a fresh one on the real server, or an in-memory (or on-disk) PGlite. */
interface Backend {
  name: string;
  open(dataDir?: string): Promise<{ url: string; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'Postgres',
    async open() {
      const db = await createTestDatabase();
      return { url: db.url, close: db.drop };
    },
  },
  {
    name: 'PGlite',
    async open(dataDir) {
      const embedded = await EmbeddedPostgres.start(dataDir ?? null);
      return { url: embedded.url, close: () => embedded.stop() };
    },
  },
];

async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The kit's job modules compiled to plain ESM in a folder under the kit's node_modules (so `pg-boss`, `pg`,
 * `pino` and PGlite resolve), for a child process the test can really kill.
 */
function buildCrashChild(): { entry: string; remove(): void } {
  const cache = path.join(KIT_SRC, '..', 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, 'phub-jobs-crash-'));
  mkdirSync(path.join(dir, 'jobs'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }');
  for (const file of [
    'jobs/job.ts',
    'jobs/metrics.ts',
    'jobs/runner.ts',
    'env.ts',
    'logger.ts',
    'request-context.ts',
    'embedded-postgres.ts',
    'embedded-urls.ts',
  ]) {
    const { code } = transformFileSync(path.join(KIT_SRC, file), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
    });
    writeFileSync(path.join(dir, file.replace(/\.ts$/, '.js')), code);
  }
  // Takes the one job, tells the parent, and hangs in it until it is killed.
  writeFileSync(
    path.join(dir, 'child.js'),
    `import { JobRunner } from './jobs/runner.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { createLogger } from './logger.js';
const config = JSON.parse(process.argv[2]);
const url = config.dataDir ? (await EmbeddedPostgres.start(config.dataDir)).url : config.url;
const runner = new JobRunner({
  url,
  logger: createLogger('crash-child', 'warn'),
  jobs: [{ ...config.job, run: async ({ id, attempt }) => { process.send({ id, attempt }); await new Promise(() => {}); } }],
  ...config.fast,
});
await runner.start();
await runner.send(config.job.name, {});
`,
  );
  return { entry: path.join(dir, 'child.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describe.each(backends)('JobRunner on $name', (backend) => {
  let db: { url: string; close(): Promise<void> };
  const runners: JobRunner[] = [];
  const start = async (options: Omit<JobRunnerOptions, 'url' | 'logger'>, url = db.url) => {
    const runner = new JobRunner({ url, logger, ...FAST, ...options });
    runners.push(runner);
    await runner.start();
    return runner;
  };

  beforeAll(async () => {
    db = await backend.open();
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
  });
  afterAll(async () => {
    await db.close();
  });

  it('runs each job once across two workers on one database, and a once-only job once however many start', async () => {
    const runs: { id: string; worker: string }[] = [];
    const onceRuns: string[] = [];
    const declare = (worker: string): JobDefinition[] => [
      defineJob<{ n: number }>({
        name: 'test.each',
        run: async ({ id }) => {
          runs.push({ id, worker });
          // Long enough that both workers are busy at once.
          await new Promise((resolve) => setTimeout(resolve, 100));
        },
      }),
      defineJob({ name: 'test.once', once: true, run: async () => void onceRuns.push(worker) }),
    ];
    const [a, b] = await Promise.all([start({ jobs: declare('a') }), start({ jobs: declare('b') })]);
    const sent = await Promise.all(Array.from({ length: 20 }, (_, n) => (n % 2 ? a : b).send('test.each', { n })));
    await waitFor(() => runs.length >= 20 && onceRuns.length >= 1, { timeoutMs: 20_000, message: '20 runs' });
    // A third worker starting later finds the once-only job already enqueued.
    await start({ jobs: declare('c') });
    await waitFor(async () => {
      const rows = await query<{ n: string }>(
        db.url,
        `SELECT count(*) n FROM jobs.job WHERE name = 'test.each' AND state = 'completed'`,
      );
      return rows[0]!.n === '20';
    });
    expect(runs.map((r) => r.id).sort()).toEqual([...sent].sort());
    expect(new Set(runs.map((r) => r.worker))).toEqual(new Set(['a', 'b']));
    expect(onceRuns).toHaveLength(1);
    expect(await query(db.url, 'SELECT name FROM jobs.phub_once')).toEqual([{ name: 'test.once' }]);
  });

  it('retries a failed job with a growing delay, and counts outcomes without ids', async () => {
    const registry = new Registry();
    const attempts: { attempt: number; at: number }[] = [];
    const runner = await start({
      registry,
      jobs: [
        defineJob({
          name: 'test.flaky',
          retry: { limit: 3, delaySeconds: 1, backoff: true },
          run: async ({ attempt }) => {
            attempts.push({ attempt, at: Date.now() });
            if (attempt < 3) throw new Error(`attempt ${attempt} fails`);
          },
        }),
      ],
    });
    await runner.send('test.flaky');
    await waitFor(() => attempts.length === 3, { timeoutMs: 20_000, message: 'three attempts' });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Backoff: the first retry waits 1–2 s, the second 2–4 s (jittered), measured from the failure.
    const [first, second, third] = attempts.map((a) => a.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(950);
    expect(third - second).toBeGreaterThanOrEqual(1950);
    await waitFor(async () => (await registry.getSingleMetricAsString('phub_worker_jobs_total')).includes('completed'));
    const text = await registry.metrics();
    expect(text).toContain('phub_worker_jobs_total{job="test.flaky",outcome="retried"} 2');
    expect(text).toContain('phub_worker_jobs_total{job="test.flaky",outcome="completed"} 1');
    expect(text).toContain('phub_worker_job_duration_seconds_count{job="test.flaky"} 3');
  });

  it('keeps a cron schedule in its time zone, and shows queued jobs in the gauges', async () => {
    const registry = new Registry();
    const release = deferred();
    const runner = await start({
      registry,
      jobs: [
        defineJob({
          name: 'test.nightly',
          schedule: { cron: '30 3 * * *', timeZone: 'Europe/London' },
          singleton: true,
          run: () => release.promise,
        }),
      ],
    });
    expect(await query(db.url, `SELECT name, cron, timezone FROM jobs.schedule WHERE name = 'test.nightly'`)).toEqual([
      { name: 'test.nightly', cron: '30 3 * * *', timezone: 'Europe/London' },
    ]);
    // Singleton: one runs, one waits, a third send is dropped while one waits.
    expect(await runner.send('test.nightly')).not.toBeNull();
    await waitFor(async () => (await registry.metrics()).includes('phub_worker_jobs_active{job="test.nightly"} 1'));
    expect(await runner.send('test.nightly')).not.toBeNull();
    expect(await runner.send('test.nightly')).toBeNull();
    await waitFor(async () => (await registry.metrics()).includes('phub_worker_jobs_queued{job="test.nightly"} 1'));
    release.resolve();
  });

  it('keeps a sub-minute cadence as a chain: each run enqueues the next, one at a time, delayed, per key', async () => {
    const runs: number[] = [];
    let concurrent = 0;
    let overlapped = false;
    await start({
      jobs: [
        defineJob({
          name: 'test.sweep',
          schedule: { cron: '* * * * *' },
          singleton: true,
          repeatSeconds: 1,
          run: async () => {
            if (++concurrent > 1) overlapped = true;
            runs.push(Date.now());
            await new Promise((resolve) => setTimeout(resolve, 50));
            concurrent--;
          },
        }),
        defineJob({ name: 'test.keyed', singleton: true, run: () => new Promise(() => undefined) }),
      ],
    }).then(async (runner) => {
      await runner.send('test.sweep');
      await waitFor(() => runs.length >= 3, { timeoutMs: 20_000, message: 'three links of the chain' });
      expect(overlapped).toBe(false);
      // Each link waits its second (polling adds to it, never takes from it).
      for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBeGreaterThanOrEqual(900);
      // Never more than one waiting: the chain does not multiply.
      const waiting = await query<{ n: number }>(
        db.url,
        `SELECT count(*)::int AS n FROM jobs.job WHERE name = 'test.sweep' AND state = 'created'`,
      );
      expect(waiting[0]!.n).toBeLessThanOrEqual(1);
      // A singleton key: one waiting per key, delayed to its instant.
      const at = new Date(Date.now() + 3_600_000);
      expect(await runner.send('test.keyed', {}, { startAfter: at, singletonKey: 'store-1' })).not.toBeNull();
      expect(await runner.send('test.keyed', {}, { startAfter: at, singletonKey: 'store-1' })).toBeNull();
      expect(await runner.send('test.keyed', {}, { startAfter: at, singletonKey: 'store-2' })).not.toBeNull();
      const keyed = await query<{ singleton_key: string; start_after: Date }>(
        db.url,
        `SELECT singleton_key, start_after FROM jobs.job WHERE name = 'test.keyed' ORDER BY singleton_key`,
      );
      expect(keyed.map((k) => [k.singleton_key, new Date(k.start_after).getTime()])).toEqual([
        ['store-1', at.getTime()],
        ['store-2', at.getTime()],
      ]);
    });
  });

  it('runs each link of a chain when it is due, not at the worker’s next poll', async () => {
    const runs: number[] = [];
    const runner = await start({
      // A poll far longer than the chain's second: only the wake-up at the link's time can keep the cadence.
      pollIntervalSeconds: 5,
      jobs: [
        defineJob({
          name: 'test.cadence',
          // Once a year: a per-minute tick that lands while a link runs adds a run of its own, which is the
          // chain's restart at work, not its cadence.
          schedule: { cron: '0 0 1 1 *' },
          singleton: true,
          repeatSeconds: 1,
          run: async () => void runs.push(Date.now()),
        }),
      ],
    });
    await runner.send('test.cadence');
    await waitFor(() => runs.length >= 4, { timeoutMs: 20_000, message: 'four links of the chain' });
    const gaps = runs.slice(1).map((at, i) => at - runs[i]!);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(900);
      expect(gap).toBeLessThan(1_600);
    }
  });

  it('drains a running job on stop, and gives a job that outlives the drain back to the queue', async () => {
    const finished: number[] = [];
    const slow = deferred();
    const started: number[] = [];
    const jobs = (hang: boolean) => [
      defineJob({
        name: 'test.drain',
        retry: { limit: 1, delaySeconds: 0 },
        run: async ({ attempt, signal }) => {
          started.push(attempt);
          if (hang) {
            await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
          }
          await slow.promise;
          finished.push(attempt);
        },
      }),
    ];
    const first = await start({ jobs: jobs(false), drainSeconds: 5 });
    await first.send('test.drain');
    await waitFor(() => started.length === 1);
    const stopping = first.stop();
    setTimeout(() => slow.resolve(), 200);
    await stopping;
    expect(finished).toEqual([1]);

    const second = await start({ jobs: jobs(true) });
    await second.send('test.drain');
    await waitFor(() => started.length === 2);
    await second.stop();
    // Aborted after the drain: failed with a retry left, so the next worker runs it again.
    await start({ jobs: jobs(false) });
    await waitFor(() => finished.length === 2, { timeoutMs: 15_000 });
    expect(started).toEqual([1, 1, 2]);
  });

  it('runs a job again after the worker running it was killed with SIGKILL', async () => {
    const child = buildCrashChild();
    const dataDir = backend.name === 'PGlite' ? mkdtempSync(path.join(tmpdir(), 'phub-jobs-pglite-')) : undefined;
    let target = db;
    let proc: ChildProcess | undefined;
    try {
      // On PGlite the worker holds the database itself (all-in-one): the kill takes both down.
      // The timeout is how a dead worker's job comes back: past the kill, short enough to wait out here.
      const job = { name: 'test.crash', timeoutSeconds: 3, retry: { limit: 2, delaySeconds: 0 } };
      proc = fork(child.entry, [JSON.stringify({ url: db.url, dataDir, job, fast: FAST })], { stdio: 'inherit' });
      const picked = await new Promise<{ id: string; attempt: number }>((resolve, reject) => {
        proc!.once('message', (m) => resolve(m as { id: string; attempt: number }));
        proc!.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
      });
      expect(picked.attempt).toBe(1);
      const exited = new Promise((resolve) => proc!.once('exit', resolve));
      proc.kill('SIGKILL');
      await exited;

      if (dataDir) target = await backend.open(dataDir);
      const reruns: { id: string; attempt: number }[] = [];
      await start(
        { jobs: [{ ...job, run: async ({ id, attempt }) => void reruns.push({ id, attempt }) }] },
        target.url,
      );
      await waitFor(() => reruns.length > 0, { timeoutMs: 20_000, message: 'the job to run again' });
      expect(reruns).toEqual([{ id: picked.id, attempt: 2 }]);
    } finally {
      proc?.kill('SIGKILL');
      for (const runner of runners.splice(0)) await runner.stop();
      if (target !== db) await target.close();
      child.remove();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('job declarations', () => {
  it('refuses bad names, cron and time zones, all at once', () => {
    expect(
      () =>
        new JobRunner({
          url: 'postgres://unused',
          logger,
          jobs: [
            defineJob({ name: 'Retention', run: async () => undefined }),
            defineJob({
              name: 'a.b',
              schedule: { cron: '* * *', timeZone: 'Mars/Olympus' },
              run: async () => undefined,
            }),
            defineJob({ name: 'a.b', run: async () => undefined }),
            defineJob({ name: 'a.chain', repeatSeconds: 15, run: async () => undefined }),
          ],
        }),
    ).toThrow(
      /Retention.*\n.*five fields.*\n.*Mars\/Olympus.*\n.*declared twice.*\n.*a\.chain: repeatSeconds needs singleton/s,
    );
  });
});
