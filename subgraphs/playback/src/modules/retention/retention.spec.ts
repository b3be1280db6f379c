import { randomUUID } from 'node:crypto';
import {
  createInfra,
  createLogger,
  JobRunner,
  openDatabase,
  parseEnv,
  sharedEnvSchema,
  type DataSource,
  type Infra,
} from '@phub/kit';
import { createTestDatabase, ManualClock, waitFor } from '@phub/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playback, playbackEntities, playbackMigrations } from '../../index.js';
import { PLAYBACK_RETENTION_JOB, playbackRetentionJob } from './retention.job.js';
import { PlaybackRetention } from './retention.service.js';

const logger = createLogger('playback-retention-test', 'warn');
const NOW = Date.parse('2031-06-01T12:00:00Z');
const DAY = 86_400_000;
const TENANTS = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000a2'];

const backends = [
  {
    name: 'Postgres',
    async open() {
      const db = await createTestDatabase();
      return { vars: { DATABASE_URL: db.url }, drop: db.drop };
    },
  },
  // Without DATABASE_URL the infra serves an embedded PGlite, as the all-in-one binary does.
  { name: 'PGlite', open: async () => ({ vars: {}, drop: async () => undefined }) },
];

describe.each(backends)('playback retention job on $name', (backend) => {
  let db: { url: string; close(): Promise<void> };
  let infra: Infra;
  let ds: DataSource;

  beforeAll(async () => {
    const opened = await backend.open();
    infra = await createInfra({
      env: parseEnv(sharedEnvSchema, opened.vars),
      logger,
      standalone: false,
      targets: ['playback', 'worker'],
      ephemeralDatabase: true,
    });
    db = {
      url: infra.databaseUrl,
      close: async () => {
        await infra.close();
        await opened.drop();
      },
    };
    ds = await openDatabase({
      url: db.url,
      schema: 'playback',
      entities: playbackEntities,
      migrations: playbackMigrations,
      logger,
    });
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.close();
  });

  async function insertPlays(tenantId: string, ageDays: number, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const started = new Date(NOW - ageDays * DAY - i * 60_000);
      await ds.query(
        `INSERT INTO "playback"."play" ("id", "tenant_id", "display_id", "store_id", "campaign_id", "creative_id",
           "playlist_version", "started_at", "ended_at", "duration_ms", "received_at")
         VALUES ($1, $2, $3, $3, $3, $3, 'v1', $4, $4, 10000, $4)`,
        [randomUUID(), tenantId, randomUUID(), started],
      );
    }
  }

  const count = async (sql: string): Promise<number> => ((await ds.query(sql)) as [{ n: number }])[0].n;

  it('deletes raw plays past the retention age in batches, for every tenant, and keeps recent plays and rollups', async () => {
    // 400 days is the boundary: 401 days old goes, 399 stays.
    for (const tenant of TENANTS) {
      await insertPlays(tenant, 401, 7);
      await insertPlays(tenant, 399, 3);
    }
    await ds.query(
      `INSERT INTO "playback"."play_rollup" ("tenant_id", "day", "campaign_id", "creative_id", "store_id", "display_id", "plays", "play_ms")
       VALUES ($1, $2, $1, $1, $1, $1, 7, 70000)`,
      [TENANTS[0], new Date(NOW - 401 * DAY).toISOString().slice(0, 10)],
    );
    const retention = new PlaybackRetention(ds, new ManualClock(NOW), logger, { rawRetentionDays: 400, batchSize: 3 });
    const runner = new JobRunner({
      url: db.url,
      logger,
      jobs: [playbackRetentionJob(retention)],
      pollIntervalSeconds: 0.5,
      drainSeconds: 1,
    });
    await runner.start();
    try {
      // The job as playback declares it, run by the kit's worker.
      await runner.send(PLAYBACK_RETENTION_JOB);
      await waitFor(async () => (await runner.metrics.registry.metrics()).includes('outcome="completed"} 1'), {
        timeoutMs: 20_000,
        message: 'the retention job to complete',
      });
    } finally {
      await runner.stop();
    }
    expect(await count(`SELECT count(*)::int n FROM "playback"."play"`)).toBe(6);
    for (const tenant of TENANTS) {
      const [{ oldest }] = (await ds.query(
        `SELECT min("started_at") oldest FROM "playback"."play" WHERE "tenant_id" = $1`,
        [tenant],
      )) as [{ oldest: Date }];
      expect(oldest.getTime()).toBeGreaterThan(NOW - 400 * DAY);
      expect(await count(`SELECT count(*)::int n FROM "playback"."play" WHERE "tenant_id" = '${tenant}'`)).toBe(3);
    }
    expect(await count(`SELECT count(*)::int n FROM "playback"."play_rollup"`)).toBe(1);
    expect(await count(`SELECT "plays"::int n FROM "playback"."play_rollup"`)).toBe(7);
  });

  it('stops between batches when the worker stops, and the next run deletes the rest', async () => {
    await insertPlays(TENANTS[0]!, 500, 5);
    const retention = new PlaybackRetention(ds, new ManualClock(NOW), logger, { rawRetentionDays: 400, batchSize: 2 });
    const aborted = new AbortController();
    aborted.abort();
    expect(await retention.deleteOldPlays(aborted.signal)).toMatchObject({ deleted: 0, complete: false });
    const done = await retention.deleteOldPlays();
    expect(done).toMatchObject({ deleted: 5, complete: true, cutoff: new Date(NOW - 400 * DAY).toISOString() });
    expect(await count(`SELECT count(*)::int n FROM "playback"."play" WHERE "started_at" < '2030-01-01'`)).toBe(0);
  });

  it("is what playback gives the worker: playback's schema, and PLAYBACK_RAW_RETENTION_DAYS from its settings", async () => {
    const tenant = '00000000-0000-4000-8000-0000000000a3';
    await insertPlays(tenant, 31, 2);
    await insertPlays(tenant, 29, 1);
    const opened = await playback.jobSource({ clock: new ManualClock(NOW) }).open({
      infra,
      logger,
      source: { PLAYBACK_RAW_RETENTION_DAYS: '30' },
      send: () => Promise.reject(new Error('not sent here')),
    });
    try {
      const retention = opened.jobs.filter((j) => j.name === PLAYBACK_RETENTION_JOB);
      expect(retention.map((j) => [j.name, j.schedule, j.singleton])).toEqual([
        [PLAYBACK_RETENTION_JOB, { cron: '17 3 * * *', timeZone: 'UTC' }, true],
      ]);
      const runner = new JobRunner({
        url: db.url,
        logger,
        jobs: retention,
        pollIntervalSeconds: 0.5,
        drainSeconds: 1,
      });
      await runner.start();
      try {
        await runner.send(PLAYBACK_RETENTION_JOB);
        await waitFor(
          async () =>
            (await count(`SELECT count(*)::int n FROM "playback"."play" WHERE "tenant_id" = '${tenant}'`)) === 1,
          {
            timeoutMs: 20_000,
            message: 'the 31-day-old plays to go',
          },
        );
      } finally {
        await runner.stop();
      }
    } finally {
      await opened.close();
    }
  });
});
