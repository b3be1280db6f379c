// Playback subgraph benchmark: (1) sustained proof-of-play ingestion through POST /ingest (device tokens →
// in-process bus → PlaybackWriter → play + play_rollup) on embedded PGlite and on the real Postgres + Redis, each
// against a plain multi-row INSERT … ON CONFLICT DO NOTHING of as many events into the same table; (2) playbackReport
// latency (GraphQL over HTTP) over millions of generated plays with rollups built as the writer builds them, against
// the same aggregates computed from the raw play table. Writes the "Playback" section of bench/RESULTS.md.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import pg from 'pg';
import { test } from 'vitest';

import {
  createInfra,
  createLogger,
  DEMO_TENANT_ID,
  type Infra,
  parseEnv,
  Role,
  sharedEnvSchema,
} from '../../packages/kit/src/index.js';
import { createTestDatabase, TestIssuer, waitFor } from '../../packages/kit/src/testing/index.js';
import { ConsumedTopic, createPlaybackService, playbackEnvSchema } from '../../subgraphs/playback/src/index.js';
import { deriveReportRollups } from '../../subgraphs/playback/src/migrations/1764000000410-playback-report-rollups.js';
import { int, machine, ms, percentile, writeSection } from './stats.js';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const INGEST_SECONDS = env('PLAYBACK_BENCH_INGEST_SECONDS', 20);
const BATCH = env('PLAYBACK_BENCH_BATCH', 100);
const CONCURRENCY = env('PLAYBACK_BENCH_CONCURRENCY', 8);
const DEVICES = env('PLAYBACK_BENCH_DEVICES', 200);
const TARGET_ROWS = env('PLAYBACK_BENCH_ROWS', 10_000_000);
const CHUNK = env('PLAYBACK_BENCH_CHUNK', 500_000);
const GEN_BUDGET_S = env('PLAYBACK_BENCH_GEN_SECONDS', 300);
const REPORT_RUNS = env('PLAYBACK_BENCH_REPORT_RUNS', 30);
const RAW_RUNS = env('PLAYBACK_BENCH_RAW_RUNS', 5);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const log = (msg: string) => process.stderr.write(`[playback bench] ${msg}\n`);
const hex12 = (n: number) => n.toString(16).padStart(12, '0');
/** Deterministic ids: the same formulas in JS and in SQL (`uidSql`). */
const uid = (prefix: string, n: number) => `${prefix.padEnd(8, '0')}-0000-4000-8000-${hex12(n)}`;
const uidSql = (prefix: string, expr: string) =>
  `('${prefix.padEnd(8, '0')}-0000-4000-8000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;

interface Running {
  label: string;
  infra: Infra;
  issuer: TestIssuer;
  url: string;
  base: string;
  db: pg.Pool;
  stop(): Promise<void>;
}

async function start(label: string, real: boolean): Promise<Running> {
  const logger = createLogger('playback-bench', 'silent');
  const database = real ? await createTestDatabase() : null;
  const shared = parseEnv(sharedEnvSchema, {
    LOG_LEVEL: 'silent',
    ...(database ? { DATABASE_URL: database.url, REDIS_URL } : {}),
  });
  const infra = await createInfra({
    env: shared,
    logger,
    standalone: false,
    targets: ['playback'],
    ephemeralDatabase: true,
  });
  const issuer = await TestIssuer.create(infra);
  const service = createPlaybackService(infra, {
    port: 0,
    host: '127.0.0.1',
    verifier: issuer.verifier,
    env: parseEnv(playbackEnvSchema, {}),
  });
  await service.start();
  const db = new pg.Pool({ connectionString: infra.databaseUrl, max: CONCURRENCY });
  return {
    label,
    infra,
    issuer,
    url: service.url,
    base: service.url.replace(/\/graphql$/, ''),
    db,
    async stop() {
      await service.stop();
      await db.end();
      await infra.close();
      await database?.drop();
    },
  };
}

const countPlays = async (db: pg.Pool) =>
  Number((await db.query('SELECT count(*)::bigint AS n FROM "playback"."play"')).rows[0].n);

interface IngestFigures {
  label: string;
  requests: number;
  accepted: number;
  sendSeconds: number;
  writtenSeconds: number;
  p50: number;
  p99: number;
  rollupPlays: number;
  rows: number;
  baselineSeconds: number;
  baselineRows: number;
}

type Play = {
  id: string;
  displayId: string;
  campaignId: string;
  creativeId: string;
  playlistVersion: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
};

async function ingest(run: Running): Promise<IngestFigures> {
  const displays = Array.from({ length: DEVICES }, (_, d) => ({ id: uid('d', d), store: uid('5a', d % 6) }));
  for (const d of displays) {
    await run.infra.bus.publish(ConsumedTopic.display, [
      {
        key: d.id,
        value: {
          type: 'DisplayUpserted',
          occurredAt: new Date().toISOString(),
          display: {
            ...d,
            storeId: d.store,
            tenantId: DEMO_TENANT_ID,
            name: 'Screen',
            tags: [],
            orientation: 'LANDSCAPE',
            zoneId: null,
            archivedAt: null,
          },
        },
      },
    ]);
  }
  await waitFor(
    async () =>
      Number((await run.db.query('SELECT count(*)::int AS n FROM "playback"."known_display"')).rows[0].n) === DEVICES,
    { timeoutMs: 60_000, message: 'the display projection' },
  );
  const tokens = await Promise.all(
    displays.map((d) => run.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.DEVICE], did: d.id, stores: [d.store] })),
  );

  const sent: { display: number; plays: Play[] }[] = [];
  const makeBatch = (display: number): Play[] => {
    const now = Date.now();
    return Array.from({ length: BATCH }, (_, i) => {
      const campaign = (display + 5 * (i % 10)) % 50;
      const ended = now - 1000 - (BATCH - i) * 15_000;
      return {
        id: randomUUID(),
        displayId: displays[display]!.id,
        campaignId: uid('ca', campaign),
        creativeId: uid('c', campaign * 2 + (display % 2)),
        playlistVersion: 'v1',
        startedAt: new Date(ended - 15_000).toISOString(),
        endedAt: new Date(ended).toISOString(),
        durationMs: 15_000,
      };
    });
  };

  // Warm-up: one batch per device before the clock starts (JIT, connection pools, prepared paths).
  const post = async (display: number, plays: Play[]) => {
    const res = await fetch(`${run.base}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[display]}` },
      body: JSON.stringify({ plays }),
    });
    const body = (await res.json()) as { accepted?: number; rejected?: unknown[] };
    if (!res.ok || body.accepted !== plays.length)
      throw new Error(`ingest failed: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
    return body.accepted;
  };
  for (let d = 0; d < DEVICES; d += CONCURRENCY) {
    await Promise.all(displays.slice(d, d + CONCURRENCY).map((_, i) => post(d + i, makeBatch(d + i))));
  }
  await waitFor(async () => (await countPlays(run.db)) === DEVICES * BATCH, {
    timeoutMs: 120_000,
    message: 'warm-up rows',
  });
  const before = await countPlays(run.db);

  log(`${run.label}: ingesting for ${INGEST_SECONDS}s, batches of ${BATCH}, ${CONCURRENCY} in flight`);
  const latencies: number[] = [];
  let accepted = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + INGEST_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const display = next++ % DEVICES;
        const plays = makeBatch(display);
        const t0 = performance.now();
        const n = await post(display, plays); // not `accepted += await …`: that loses concurrent updates
        accepted += n;
        latencies.push(performance.now() - t0);
        sent.push({ display, plays });
      }
    }),
  );
  const sendSeconds = (performance.now() - started) / 1000;
  await waitFor(async () => (await countPlays(run.db)) >= before + accepted, {
    timeoutMs: 300_000,
    intervalMs: 50,
    message: 'all accepted plays written',
  });
  const writtenSeconds = (performance.now() - started) / 1000;
  const rows = await countPlays(run.db);
  const rollupPlays = Number(
    (await run.db.query('SELECT coalesce(sum("plays"), 0)::bigint AS n FROM "playback"."play_rollup"')).rows[0].n,
  );
  log(`${run.label}: ${accepted} accepted in ${sendSeconds.toFixed(1)}s, written by ${writtenSeconds.toFixed(1)}s`);

  // Baseline: the same events (fresh ids, so none conflicts) as multi-row INSERT … ON CONFLICT DO NOTHING,
  // the same batch size and the same number of statements in flight, straight into the same table.
  const receivedAt = new Date().toISOString();
  let cursor = 0;
  let baselineRows = 0;
  const b0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = cursor++; i < sent.length; i = cursor++) {
        const { display, plays } = sent[i]!;
        const params: unknown[] = [];
        const values = plays.map((p) => {
          const at = params.length;
          params.push(
            randomUUID(),
            DEMO_TENANT_ID,
            p.displayId,
            displays[display]!.store,
            p.campaignId,
            p.creativeId,
            p.playlistVersion,
            p.startedAt,
            p.endedAt,
            p.durationMs,
            receivedAt,
          );
          return `(${Array.from({ length: 11 }, (_, k) => `$${at + k + 1}`).join(', ')})`;
        });
        const res = await run.db.query(
          `INSERT INTO "playback"."play" ("id", "tenant_id", "display_id", "store_id", "campaign_id", "creative_id",
             "playlist_version", "started_at", "ended_at", "duration_ms", "received_at")
           VALUES ${values.join(', ')} ON CONFLICT ("id") DO NOTHING`,
          params,
        );
        baselineRows += res.rowCount ?? 0;
      }
    }),
  );
  const baselineSeconds = (performance.now() - b0) / 1000;
  log(`${run.label}: baseline ${baselineRows} rows in ${baselineSeconds.toFixed(1)}s`);
  return {
    label: run.label,
    requests: latencies.length,
    accepted,
    sendSeconds,
    writtenSeconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    rollupPlays,
    rows: rows - before,
    baselineSeconds,
    baselineRows,
  };
}

interface ReportCase {
  name: string;
  filter: Record<string, unknown>;
  rawWhere: string;
  rawGroup: { select: string[]; count: number };
}

interface ReportFigures {
  name: string;
  rows: number;
  p50: number;
  p99: number;
  runs: number;
  rawP50: number;
  rawMax: number;
  rawRuns: number;
  totalPlays: number;
}

async function reports(run: Running) {
  const db = run.db;
  const T = '"playback"';
  await db.query(
    `TRUNCATE ${T}."play", ${T}."play_rollup", ${T}."play_daily", ${T}."play_reach", ${T}."display_day", ${T}."display_campaign_day", ${T}."campaign_daily", ${T}."store_daily", ${T}."display_creative_day", ${T}."creative_daily", ${T}."display_state", ${T}."alert", ${T}."sent_message"`,
  );
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const day0 = today - 90 * 86_400_000; // 90 whole days, ending yesterday
  const from = new Date(day0).toISOString().slice(0, 10);
  const to = new Date(today - 86_400_000).toISOString().slice(0, 10);

  // Bulk load without the primary key and index, then build them (timed separately).
  await db.query(`ALTER TABLE ${T}."play" DROP CONSTRAINT "play_pkey"`);
  await db.query(`DROP INDEX ${T}."play_tenant_started"`);
  log(`generating up to ${int(TARGET_ROWS)} plays in chunks of ${int(CHUNK)} (budget ${GEN_BUDGET_S}s)`);
  const g0 = performance.now();
  let generated = 0;
  while (generated < TARGET_ROWS && performance.now() - g0 < GEN_BUDGET_S * 1000) {
    const hi = Math.min(TARGET_ROWS, generated + CHUNK);
    // Row i: display i % 1000 (store display % 6); each display plays 10 of the 50 campaigns (those ≡ display
    // mod 5), one creative each; day (i / 10,000) % 90; second of the day spread by a multiplicative hash.
    await db.query(
      `INSERT INTO ${T}."play" ("id", "tenant_id", "display_id", "store_id", "campaign_id", "creative_id",
         "playlist_version", "started_at", "ended_at", "duration_ms", "received_at")
       SELECT gen_random_uuid(), $3::uuid, ${uidSql('d', 'd')}, ${uidSql('5a', 'd % 6')}, ${uidSql('ca', 'c')},
         ${uidSql('c', 'c * 2 + d % 2')}, 'v1', to_timestamp(t), to_timestamp(t + dur), dur * 1000, to_timestamp(t + dur + 5)
       FROM (
         SELECT d, (d + 5 * ((i / 1000) % 10)) % 50 AS c, $4::bigint + ((i / 10000) % 90) * 86400 + (i * 7919) % 86400 AS t,
           10 + i % 21 AS dur
         FROM (SELECT i, i % 1000 AS d FROM generate_series($1::bigint, $2::bigint - 1) AS i) s0
       ) s`,
      [generated, hi, DEMO_TENANT_ID, day0 / 1000],
    );
    generated = hi;
    log(`  ${int(generated)} rows, ${((performance.now() - g0) / 1000).toFixed(0)}s`);
  }
  const genSeconds = (performance.now() - g0) / 1000;
  const i0 = performance.now();
  await db.query(`ALTER TABLE ${T}."play" ADD CONSTRAINT "play_pkey" PRIMARY KEY ("id")`);
  await db.query(`CREATE INDEX "play_tenant_started" ON ${T}."play" ("tenant_id", "started_at")`);
  const indexSeconds = (performance.now() - i0) / 1000;
  // The writer adds each committed batch to the rollups grouped by these keys; one GROUP BY over all plays is
  // the same. No store time zones are known here, so days are UTC (as the writer does before a store event).
  const stale = Number((await db.query(`SELECT count(*)::bigint AS n FROM ${T}."play_rollup"`)).rows[0].n);
  if (stale) log(`play_rollup held ${stale} rows before the build`);
  const r0 = performance.now();
  await db.query(
    `INSERT INTO ${T}."play_rollup" AS r ("tenant_id", "day", "campaign_id", "creative_id", "store_id", "display_id", "plays", "play_ms")
     SELECT "tenant_id", ("started_at" AT TIME ZONE 'UTC')::date, "campaign_id", "creative_id", "store_id", "display_id",
       count(*), sum("duration_ms")
     FROM ${T}."play" GROUP BY 1, 2, 3, 4, 5, 6
     ON CONFLICT ("tenant_id", "day", "campaign_id", "creative_id", "store_id", "display_id")
     DO UPDATE SET "plays" = r."plays" + EXCLUDED."plays", "play_ms" = r."play_ms" + EXCLUDED."play_ms"`,
  );
  await deriveReportRollups((sql) => db.query(sql), T);
  const rollupSeconds = (performance.now() - r0) / 1000;
  await db.query(`VACUUM ANALYZE ${T}."play"`);
  const rollupTables = [
    'play_rollup',
    'play_daily',
    'play_reach',
    'display_day',
    'display_campaign_day',
    'campaign_daily',
    'store_daily',
    'display_creative_day',
    'creative_daily',
  ];
  for (const table of rollupTables) {
    await db.query(`VACUUM ANALYZE ${T}."${table}"`);
  }
  const rollupRows = Number((await db.query(`SELECT count(*)::bigint AS n FROM ${T}."play_rollup"`)).rows[0].n);
  const sizes = (
    await db.query(
      `SELECT pg_size_pretty(pg_total_relation_size('${T}."play"')) AS play,
         pg_size_pretty(${rollupTables.map((t) => `pg_total_relation_size('${T}."${t}"')`).join(' + ')}) AS rollup`,
    )
  ).rows[0] as { play: string; rollup: string };
  log(
    `generated ${generated} in ${genSeconds.toFixed(0)}s; indexes ${indexSeconds.toFixed(0)}s; rollups ${rollupRows} in ${rollupSeconds.toFixed(0)}s`,
  );

  const campaign = uid('ca', 7);
  const store = uid('5a', 2);
  const day = `to_char(("started_at" AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')`;
  const cases: ReportCase[] = [
    {
      name: 'one campaign, 90 days, by DAY',
      filter: { from, to, campaignId: campaign, groupBy: ['DAY'] },
      rawWhere: `AND "campaign_id" = '${campaign}'`,
      rawGroup: { select: [`${day} AS "day"`], count: 1 },
    },
    {
      name: 'one campaign, 90 days, by STORE',
      filter: { from, to, campaignId: campaign, groupBy: ['STORE'] },
      rawWhere: `AND "campaign_id" = '${campaign}'`,
      rawGroup: { select: ['"store_id"'], count: 1 },
    },
    {
      name: 'all campaigns, 90 days, by CAMPAIGN × STORE',
      filter: { from, to, groupBy: ['CAMPAIGN', 'STORE'] },
      rawWhere: '',
      rawGroup: { select: ['"campaign_id"', '"store_id"'], count: 2 },
    },
    {
      name: 'one store, 90 days, by DAY',
      filter: { from, to, storeId: store, groupBy: ['DAY'] },
      rawWhere: `AND "store_id" = '${store}'`,
      rawGroup: { select: [`${day} AS "day"`], count: 1 },
    },
    {
      name: 'all stores, 90 days, by DAY × STORE',
      filter: { from, to, groupBy: ['DAY', 'STORE'] },
      rawWhere: '',
      rawGroup: { select: [`${day} AS "day"`, '"store_id"'], count: 2 },
    },
    {
      name: 'all campaigns, 90 days, by DAY × CAMPAIGN',
      filter: { from, to, groupBy: ['DAY', 'CAMPAIGN'] },
      rawWhere: '',
      rawGroup: { select: [`${day} AS "day"`, '"campaign_id"'], count: 2 },
    },
    {
      name: 'all creatives, 90 days, by DAY × CREATIVE',
      filter: { from, to, groupBy: ['DAY', 'CREATIVE'] },
      rawWhere: '',
      rawGroup: { select: [`${day} AS "day"`, '"creative_id"'], count: 2 },
    },
  ];
  const hq = await run.issuer.token({ tid: DEMO_TENANT_ID, roles: [Role.HQ_ADMIN] });
  const query = `query($filter: PlaybackReportFilter!) { playbackReport(filter: $filter) {
    rows { day campaignId storeId plays playTimeMs displays } totals { plays playTimeMs displays } } }`;
  const gql = async (filter: Record<string, unknown>) => {
    const res = await fetch(run.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hq}` },
      body: JSON.stringify({ query, variables: { filter } }),
    });
    const body = (await res.json()) as {
      data?: { playbackReport: { rows: unknown[]; totals: { plays: number } } };
      errors?: unknown;
    };
    if (!body.data) throw new Error(`report failed: ${JSON.stringify(body.errors)}`);
    return body.data.playbackReport;
  };
  const metrics = `count(*)::bigint AS "plays", sum("duration_ms")::bigint AS "playTimeMs", count(DISTINCT "display_id")::int AS "displays"`;
  const results: ReportFigures[] = [];
  for (const c of cases) {
    log(`report: ${c.name}`);
    await gql(c.filter);
    await gql(c.filter);
    const samples: number[] = [];
    let report = await gql(c.filter);
    for (let i = 0; i < REPORT_RUNS; i++) {
      const t0 = performance.now();
      report = await gql(c.filter);
      samples.push(performance.now() - t0);
    }
    // Without rollups: the same rows query and totals query as the service, over the raw play table.
    const where = `"tenant_id" = '${DEMO_TENANT_ID}' AND "started_at" >= '${from}T00:00:00Z' AND "started_at" < ('${to}'::date + 1)::timestamp AT TIME ZONE 'UTC' ${c.rawWhere}`;
    const groups = Array.from({ length: c.rawGroup.count }, (_, i) => i + 1).join(', ');
    const raw: number[] = [];
    let rawTotal = 0;
    for (let i = 0; i < RAW_RUNS; i++) {
      const t0 = performance.now();
      const rowsRes = await db.query(
        `SELECT ${c.rawGroup.select.join(', ')}, ${metrics} FROM ${T}."play" WHERE ${where} GROUP BY ${groups} ORDER BY ${groups} LIMIT 10001`,
      );
      const totalRes = await db.query(`SELECT ${metrics} FROM ${T}."play" WHERE ${where}`);
      raw.push(performance.now() - t0);
      rawTotal = Number(totalRes.rows[0].plays);
      if (rowsRes.rows.length !== report.rows.length)
        throw new Error(`${c.name}: raw rows ${rowsRes.rows.length} ≠ ${report.rows.length}`);
    }
    if (rawTotal !== report.totals.plays)
      throw new Error(`${c.name}: raw total ${rawTotal} ≠ report ${report.totals.plays}`);
    results.push({
      name: c.name,
      rows: report.rows.length,
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      runs: samples.length,
      rawP50: percentile(raw, 50),
      rawMax: Math.max(...raw),
      rawRuns: raw.length,
      totalPlays: report.totals.plays,
    });
  }
  return { generated, genSeconds, indexSeconds, rollupSeconds, rollupRows, sizes, from, to, results };
}

test('playback benchmark', async () => {
  const startedAt = Date.now();
  const header = machine();
  const pgVersion = await (async () => {
    const c = new pg.Client({ connectionString: 'postgres://root@127.0.0.1:5432/postgres' });
    await c.connect();
    const v = (await c.query('SHOW server_version')).rows[0].server_version as string;
    await c.end();
    return v;
  })();

  const embedded = await start('embedded PGlite, in-process bus, memory cache', false);
  let embeddedFigures: IngestFigures;
  try {
    embeddedFigures = await ingest(embedded);
  } finally {
    await embedded.stop();
  }
  const real = await start(`Postgres ${pgVersion} + Redis, in-process bus`, true);
  let realFigures: IngestFigures;
  let rep: Awaited<ReturnType<typeof reports>>;
  try {
    realFigures = await ingest(real);
    rep = await reports(real);
  } finally {
    await real.stop();
  }

  const ingestRows = [embeddedFigures, realFigures].map((f) => {
    const accepted = f.accepted / f.sendSeconds;
    const written = f.accepted / f.writtenSeconds;
    const floor = f.baselineRows / f.baselineSeconds;
    return `| ${f.label} | ${int(f.requests)} | ${int(f.accepted)} | ${int(accepted)} | ${int(written)} | ${ms(f.p50)} / ${ms(f.p99)} | ${f.rows === f.accepted && f.rollupPlays >= f.accepted ? 'yes' : `NO (${f.rows} rows, rollup ${f.rollupPlays})`} | ${int(floor)} | ${(floor / written).toFixed(1)}× |`;
  });
  const reportRows = rep.results.map(
    (r) =>
      `| ${r.name} | ${r.rows} | ${int(r.totalPlays)} | ${r.runs} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.rawRuns} | ${ms(r.rawP50)} | ${ms(r.rawMax)} | ${(r.rawP50 / r.p50).toFixed(0)}× |`,
  );
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
  const body = `
Proof-of-play ingestion through the real path and \`playbackReport\` over generated plays. The service is
\`createPlaybackService\` with a \`TestIssuer\` verifier, in the benchmark's own process (the load generator shares
the 2 cores). The bus is the in-process \`MemoryBus\` in both setups: there is no Kafka here.

- Machine: ${header}; Postgres ${pgVersion} at 127.0.0.1:5432, Redis at 127.0.0.1:6379
- Date: ${new Date(startedAt).toISOString().slice(0, 10)}; the run took ${seconds} s
- Command: \`npx vitest run --config bench/playback/vitest.config.ts\` (from the repository root)

### Ingestion

${CONCURRENCY} clients in flight for ${INGEST_SECONDS} s each, cycling over ${DEVICES} displays (one device token each,
known through the display projection); every request is \`POST /ingest\` with a batch of ${BATCH} plays of one display
(so one bus message and one writer transaction per request; the writer runs \`INSERT … ON CONFLICT (id) DO NOTHING\`
on \`play\`, increments \`play_rollup\` and \`display_state\`, then the health evaluator looks at the display). One
unmeasured warm-up batch per display first.

| Setup | Requests | Plays accepted | Accepted/s | Durably written/s | Request p50 / p99 | All in \`play\` and rollups | Baseline INSERT rows/s | Baseline ÷ written |
|---|---:|---:|---:|---:|---:|---|---:|---:|
${ingestRows.join('\n')}

Accepted/s: plays accepted ÷ the time the clients sent. Durably written/s: the same plays ÷ the time from the
first measured request until \`SELECT count(*) FROM play\` showed all of them (committed). Baseline: right after,
in the same run and database, the same events with fresh ids, as one multi-row
\`INSERT INTO play … VALUES (…) × ${BATCH} ON CONFLICT (id) DO NOTHING\` per batch, ${CONCURRENCY} statements in flight over
\`pg\` (no HTTP, validation, token check, duplicate lookup, bus, rollup or display state): the floor.

### Reports

${int(rep.generated)} plays generated with \`INSERT … SELECT generate_series\` in chunks of ${int(CHUNK)} into the real
Postgres (${TARGET_ROWS === rep.generated ? `all ${int(TARGET_ROWS)} asked for` : `the generation budget of ${GEN_BUDGET_S} s stopped it short of the ${int(TARGET_ROWS)} asked for`}):
${rep.from} to ${rep.to} (90 days) × 1,000 displays in 6 stores × 50 campaigns (each display plays 10 of them, one creative
each; 100 creatives), one tenant. Generation ${rep.genSeconds.toFixed(0)} s without the primary key and index, then
${rep.indexSeconds.toFixed(0)} s to build them. Rollups built as the writer builds them (\`play_rollup\`: one
\`INSERT … SELECT … count(*), sum(duration_ms) … GROUP BY tenant, day, campaign, creative, store, display\`, ${int(rep.rollupRows)} rows;
then from it \`play_daily\` (no display; displays counted per cell), \`play_reach\` (a bit per day per display × campaign ×
creative × year), \`display_day\` and \`store_daily\`, \`display_campaign_day\` and \`campaign_daily\`, \`display_creative_day\` and \`creative_daily\`), ${rep.rollupSeconds.toFixed(0)} s in all, then \`VACUUM ANALYZE\`. Days are UTC here: no store time zones are
known in this run (the writer uses each store's zone once location has sent it). Sizes with indexes: \`play\` ${rep.sizes.play},
the nine rollup tables ${rep.sizes.rollup}.

| Report (\`playbackReport\`, HQ admin token) | Rows | Total plays | Runs | p50 | p99 | Raw runs | Raw SQL p50 | Raw SQL max | Raw ÷ service |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${reportRows.join('\n')}

Service latency: GraphQL over HTTP on loopback, after 3 warm-up calls; the service runs three queries at once: sums
for the rows from \`play_daily\` (the totals add them up); displays reached for the rows and for the totals from \`play_reach\` (no DAY grouping), by day
from the kept per-store counts (\`store_daily\`, \`campaign_daily\`, \`creative_daily\`, \`play_daily\`). Raw SQL (baseline, what a report costs without rollups): the same two queries (same
groups, \`count(*)\`, \`sum(duration_ms)\`, \`count(DISTINCT display_id)\`) over \`play\` straight through \`pg\`, no
HTTP; fewer runs because each scans the table. Each raw result was checked to have the report's row count and total plays.
`;
  await writeSection(fileURLToPath(new URL('../RESULTS.md', import.meta.url)), body);
  process.stdout.write(`\n${body}\n`);
});
