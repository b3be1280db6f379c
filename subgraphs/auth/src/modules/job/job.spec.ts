import { randomUUID } from 'node:crypto';
import { createLogger, defineJob, DEMO_FIRST_STORE_ID, JobRunner, Role } from '@phub/kit';
import { openJobSource, waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from '../../index.js';
import { outcome, startAuth, type AuthHarness } from '../../testing/harness.js';
import { AUTH_MAINTENANCE_JOB } from './job.definitions.js';
import { JobResolver } from './job.resolver.js';

const logger = createLogger('auth-jobs-test', 'silent');
const JOBS = `{ backgroundJobs { name schedule timeZone singleton retryLimit queued active retrying failed lastCompletedAt lastFailedAt } }`;
const RUNS = `query($job: String!, $states: [BackgroundJobRunState!], $first: Int) {
  backgroundJobRuns(job: $job, states: $states, first: $first) { id job state attempts retryLimit error completedAt }
}`;
const RETRY = `mutation($job: String!, $id: ID!) { retryBackgroundJobRun(job: $job, id: $id) { id state attempts retryLimit } }`;

interface JobRow {
  name: string;
  schedule: string | null;
  singleton: boolean;
  queued: number;
  failed: number;
  lastCompletedAt: string | null;
  lastFailedAt: string | null;
}
interface RunRow {
  id: string;
  state: string;
  attempts: number;
  retryLimit: number;
  error: string | null;
}

let h: AuthHarness;
let admin: string;
let runner: JobRunner;
let failures = 0;

beforeAll(async () => {
  h = await startAuth();
  admin = (await h.login('hq@demo.test')).accessToken;
  // A real runner on the harness's database: one job that fails (no retries) and one that works.
  runner = new JobRunner({
    url: h.infra.databaseUrl,
    logger,
    pollIntervalSeconds: 0.5,
    drainSeconds: 1,
    jobs: [
      defineJob({
        name: 'test.fails',
        run: async () => {
          failures++;
          throw new Error(`the disk is full (${failures})`);
        },
      }),
      defineJob({
        name: 'test.works',
        schedule: { cron: '0 4 * * *', timeZone: 'Europe/London' },
        run: async () => {},
      }),
    ],
  });
  await runner.start();
});
afterAll(async () => {
  await runner?.stop();
  await h?.stop();
});

describe(JobResolver.name, () => {
  it('lists every job with its schedule, and its runs with their outcomes and errors', async () => {
    await runner.send('test.works');
    await runner.send('test.fails');
    await waitFor(
      async () =>
        (await h.ok<{ backgroundJobs: JobRow[] }>(JOBS, {}, admin)).backgroundJobs.some((j) => j.failed === 1),
      {
        message: 'the failing job to fail',
        timeoutMs: 20_000,
      },
    );
    await waitFor(
      async () =>
        (await h.ok<{ backgroundJobs: JobRow[] }>(JOBS, {}, admin)).backgroundJobs.find((j) => j.name === 'test.works')
          ?.lastCompletedAt,
      { message: 'the working job to complete', timeoutMs: 20_000 },
    );
    const { backgroundJobs } = await h.ok<{ backgroundJobs: JobRow[] }>(JOBS, {}, admin);
    // pg-boss's own queues stay out of sight.
    expect(backgroundJobs.map((j) => j.name)).toEqual(['test.fails', 'test.works']);
    expect(backgroundJobs[0]).toMatchObject({ schedule: null, failed: 1, lastCompletedAt: null });
    expect(backgroundJobs[0]!.lastFailedAt).not.toBeNull();
    expect(backgroundJobs[1]).toMatchObject({ schedule: '0 4 * * *', timeZone: 'Europe/London', failed: 0 });

    const { backgroundJobRuns } = await h.ok<{ backgroundJobRuns: RunRow[] }>(
      RUNS,
      { job: 'test.fails', states: ['FAILED'] },
      admin,
    );
    expect(backgroundJobRuns).toEqual([
      expect.objectContaining({ state: 'FAILED', attempts: 1, retryLimit: 0, error: 'the disk is full (1)' }),
    ]);
  });

  it('runs a failed run again on request, once, and audits who asked', async () => {
    const [failed] = (
      await h.ok<{ backgroundJobRuns: RunRow[] }>(RUNS, { job: 'test.fails', states: ['FAILED'] }, admin)
    ).backgroundJobRuns;
    const retried = await h.ok<{ retryBackgroundJobRun: RunRow }>(RETRY, { job: 'test.fails', id: failed!.id }, admin);
    expect(retried.retryBackgroundJobRun).toMatchObject({ id: failed!.id, state: 'RETRY', retryLimit: 1 });
    // A worker takes it again: it fails a second time, for good.
    await waitFor(() => failures === 2, { message: 'the retried run', timeoutMs: 20_000 });
    await waitFor(
      async () =>
        (await h.ok<{ backgroundJobRuns: RunRow[] }>(RUNS, { job: 'test.fails' }, admin)).backgroundJobRuns[0]
          ?.state === 'FAILED',
      { message: 'the retried run to fail', timeoutMs: 20_000 },
    );
    const [again] = (await h.ok<{ backgroundJobRuns: RunRow[] }>(RUNS, { job: 'test.fails' }, admin)).backgroundJobRuns;
    expect(again).toMatchObject({ id: failed!.id, attempts: 2, error: 'the disk is full (2)' });
    const { rows } = await h.db.query(
      `SELECT actor_id, subject_type, subject_id, details FROM auth.audit_event WHERE type = 'JOB_RUN_RETRIED'`,
    );
    expect(rows).toEqual([
      expect.objectContaining({
        subject_type: 'JOB_RUN',
        subject_id: failed!.id,
        details: expect.objectContaining({ job: 'test.fails' }),
      }),
    ]);
  });

  it.each([
    ['a run that is not failed', async () => ({ job: 'test.works', id: await completedRun() }), 'CONFLICT'],
    ['an unknown run', () => ({ job: 'test.fails', id: randomUUID() }), 'NOT_FOUND'],
    ['an id that is no run id', () => ({ job: 'test.fails', id: 'x' }), 'BAD_USER_INPUT'],
  ])('refuses to retry %s, changing nothing', async (_name, variables, code) => {
    const res = await h.gql(RETRY, await variables(), admin);
    expect(outcome(res)).toBe(code);
    const { rows } = await h.db.query(`SELECT count(*)::int AS n FROM auth.audit_event WHERE type = 'JOB_RUN_RETRIED'`);
    expect(rows[0].n).toBe(1);
  });

  it('refuses first outside 1..100', async () => {
    expect(outcome(await h.gql(RUNS, { job: 'test.fails', first: 0 }, admin))).toBe('BAD_USER_INPUT');
    expect(outcome(await h.gql(RUNS, { job: 'test.fails', first: 101 }, admin))).toBe('BAD_USER_INPUT');
  });

  it.each([Role.HQ_EDITOR, Role.HQ_VIEWER, Role.STORE_MANAGER, Role.STORE_STAFF, Role.PARTNER])(
    'is for HQ admins only: %s is FORBIDDEN everywhere, and retries nothing',
    async (role) => {
      const person =
        role === Role.PARTNER
          ? await h.partner(admin)
          : await h.person(admin, [role], role.startsWith('STORE_') ? [DEMO_FIRST_STORE_ID] : undefined);
      const [failed] = (
        await h.ok<{ backgroundJobRuns: RunRow[] }>(RUNS, { job: 'test.fails', states: ['FAILED'] }, admin)
      ).backgroundJobRuns;
      expect(outcome(await h.gql(JOBS, {}, person.accessToken))).toBe('FORBIDDEN');
      expect(outcome(await h.gql(RUNS, { job: 'test.fails' }, person.accessToken))).toBe('FORBIDDEN');
      expect(outcome(await h.gql(RETRY, { job: 'test.fails', id: failed!.id }, person.accessToken))).toBe('FORBIDDEN');
      const [after] = (await h.ok<{ backgroundJobRuns: RunRow[] }>(RUNS, { job: 'test.fails' }, admin))
        .backgroundJobRuns;
      expect(after).toMatchObject({ id: failed!.id, state: 'FAILED' });
    },
  );

  it('tells anonymous callers to authenticate', async () => {
    expect(outcome(await h.gql(JOBS))).toBe('UNAUTHENTICATED');
  });
});

async function completedRun(): Promise<string> {
  const runs = await h.ok<{ backgroundJobRuns: RunRow[] }>(RUNS, { job: 'test.works', states: ['COMPLETED'] }, admin);
  return runs.backgroundJobRuns[0]!.id;
}

describe('auth.maintenance', () => {
  it('is auth’s job for the worker: hourly, once at a time, and it rotates a due signing key', async () => {
    const jobs = await openJobSource(auth.jobSource({ clock: h.clock, env: h.env }), { infra: h.infra, logger });
    try {
      expect(jobs.jobs.map((j) => [j.name, j.schedule, j.singleton])).toEqual([
        [AUTH_MAINTENANCE_JOB, { cron: '13 * * * *', timeZone: 'UTC' }, true],
      ]);
      const before = await h.login('hq@demo.test');
      h.clock.advance(h.env.AUTH_KEY_ROTATION_INTERVAL + 1);
      await jobs.run(AUTH_MAINTENANCE_JOB);
      // The subgraph signs with the key the worker activated (it reloads keys it did not rotate itself).
      h.clock.advance(60);
      const after = await h.login('hq@demo.test');
      const kid = (t: string) => JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString()).kid as string;
      expect(kid(after.accessToken)).not.toBe(kid(before.accessToken));
      const { rows } = await h.db.query(
        `SELECT actor_type, details FROM auth.audit_event WHERE type = 'SIGNING_KEY_ROTATED' ORDER BY id DESC LIMIT 1`,
      );
      expect(rows[0]).toMatchObject({ actor_type: 'SYSTEM', details: { trigger: 'schedule' } });
    } finally {
      await jobs.close();
    }
  });
});
