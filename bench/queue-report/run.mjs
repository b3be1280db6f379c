// Queue reports at chain scale: the line_day rollup against raw tickets (see README.md in this folder).
// From the repository root, after `npx tsc -b`: node bench/queue-report/run.mjs
/* global process, performance, URL */
import { createRequire } from 'node:module';
import os from 'node:os';

const require = createRequire(new URL('../../subgraphs/queue/package.json', import.meta.url));
const { DataSource } = require('typeorm');
const pg = require('pg');
const { QueueInitial1764000000500 } =
  await import('../../subgraphs/queue/dist/migrations/1764000000500-queue-initial.js');
const { QueueReportRollup1764000000580 } =
  await import('../../subgraphs/queue/dist/migrations/1764000000580-queue-report-rollup.js');
const { QueueReportService } = await import('../../subgraphs/queue/dist/modules/report/report.service.js');
const { QueueScope } = await import('../../subgraphs/queue/dist/scope.js');

const STORES = Number(process.env.BENCH_STORES ?? 1000);
const LINES = 5;
const DAYS = Number(process.env.BENCH_DAYS ?? 92);
const PER_DAY = Number(process.env.BENCH_TICKETS_PER_LINE_DAY ?? 40);
const RAW_DAYS = Number(process.env.BENCH_RAW_DAYS ?? 7);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const DB = 'phub_bench_queue_report';
const TENANT = '00000000-0000-4000-8000-000000000001';
const ZONES = ['Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo'];

const admin = new pg.Client({ connectionString: BASE });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
await admin.query(`CREATE DATABASE ${DB}`);
const url = BASE.replace(/\/[^/]*$/, `/${DB}`);
const ds = new DataSource({ type: 'postgres', url, schema: 'queue', entities: [] });
await ds.initialize();
await ds.query('CREATE SCHEMA queue');
const runner = ds.createQueryRunner();
await new QueueInitial1764000000500().up(runner);
await new QueueReportRollup1764000000580().up(runner);
await runner.release();
const version = (await ds.query('SHOW server_version'))[0].server_version;
const started = Date.now();
const load = os.loadavg()[0].toFixed(2);

const ms = async (fn, runs = RUNS) => {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
};
const uuid = (kind, n) => `00000000-0000-4000-8${kind}-${n.toString(16).padStart(12, '0')}`;

// Stores in four zones; 5 lines each; DAYS days of rollup rows with PER_DAY waits and services (3 s – 40 min).
await ds.query(
  `INSERT INTO queue.known_store SELECT ('00000000-0000-4000-8001-' || lpad(to_hex(s), 12, '0'))::uuid, $1,
     ($2::text[])[1 + s % 4], '[]', NULL, now() FROM generate_series(1, $3) s`,
  [TENANT, ZONES, STORES],
);
let t = performance.now();
await ds.query(
  `INSERT INTO queue.line_day ("tenant_id", "store_id", "line_id", "day", "joined", "served", "no_shows", "cancelled",
     "cancelled_by_clerk", "served_by_hour", "wait_ms", "service_ms")
   SELECT $1, ('00000000-0000-4000-8001-' || lpad(to_hex(s), 12, '0'))::uuid,
     ('00000000-0000-4000-8002-' || lpad(to_hex(s * 8 + l), 12, '0'))::uuid, DATE '2030-01-01' + d,
     $2, $2 - 3, 2, 1, 0, array_fill(($2 - 3) / 10, ARRAY[24]),
     (SELECT array_agg((3000 + random() * 2400000)::int) FROM generate_series(1, $2) WHERE s > 0 AND l > 0 AND d >= 0),
     (SELECT array_agg((60000 + random() * 1200000)::int) FROM generate_series(1, $2 - 3) WHERE s > 0 AND l > 0 AND d >= 0)
   FROM generate_series(1, $3) s, generate_series(1, ${LINES}) l, generate_series(0, $4 - 1) d`,
  [TENANT, PER_DAY, STORES, DAYS],
);
await ds.query('ANALYZE queue.line_day');
const rollupRows = STORES * LINES * DAYS;
const fillS = (performance.now() - t) / 1000;
const size = (await ds.query(`SELECT pg_size_pretty(pg_total_relation_size('queue.line_day')) AS s`))[0].s;

const service = new QueueReportService(ds, 366); // the bench reads past QUEUE_REPORT_MAX_DAYS on purpose
const hq = new QueueScope({
  tenantId: TENANT,
  roles: ['HQ_ADMIN'],
  storeIds: [],
  scopes: [],
  kind: 'user',
  subject: 'b',
});
const manager = new QueueScope({
  tenantId: TENANT,
  roles: ['STORE_MANAGER'],
  storeIds: [uuid('001', 7)],
  scopes: [],
  kind: 'user',
  subject: 'm',
});
const last = (n) => {
  const to = new Date(Date.UTC(2030, 0, 1 + DAYS - 1));
  const from = new Date(to.getTime() - (n - 1) * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
};
const cases = [
  ['HQ, whole tenant, one day, by store and line', hq, { ...last(1), groupBy: ['STORE', 'LINE'] }],
  ['HQ, whole tenant, 31 days, totals', hq, { ...last(31), groupBy: [] }],
  ['HQ, whole tenant, 31 days, by store', hq, { ...last(31), groupBy: ['STORE'] }],
  [`HQ, whole tenant, ${DAYS} days, by day`, hq, { ...last(DAYS), groupBy: ['DAY'] }],
  [`HQ, whole tenant, ${DAYS} days, totals`, hq, { ...last(DAYS), groupBy: [] }],
  [
    `store manager, one store, ${DAYS} days, by line and day (with hours)`,
    manager,
    { ...last(DAYS), groupBy: ['LINE', 'DAY'] },
  ],
];
const results = [];
for (const [name, scope, filter] of cases) {
  const rows = (await service.report(scope, filter)).rows.length;
  results.push({ name, rows, ms: await ms(() => service.report(scope, filter)) });
}

// The same figures from raw tickets (percentile_cont over ticket rows), at RAW_DAYS days of the same volume.
await ds.query('ALTER TABLE queue.ticket DISABLE TRIGGER USER');
let raw = NaN;
let rollupSame = NaN;
let rawFillS = 0;
const rawRows = STORES * LINES * RAW_DAYS * PER_DAY;
const rawRange = { from: '2030-01-01', to: new Date(Date.UTC(2030, 0, RAW_DAYS)).toISOString().slice(0, 10) };
if (RAW_DAYS > 0) {
  t = performance.now();
  await ds.query(
    `INSERT INTO queue.ticket ("id", "tenant_id", "store_id", "line_id", "number", "day", "state", "source", "queued_at",
     "created_at", "called_at", "served_at", "updated_at")
   SELECT gen_random_uuid(), $1, ('00000000-0000-4000-8001-' || lpad(to_hex(s), 12, '0'))::uuid,
     ('00000000-0000-4000-8002-' || lpad(to_hex(s * 8 + l), 12, '0'))::uuid, 'A' || k, DATE '2030-01-01' + d, 'SERVED', 'DESK',
     c, c, c + w, c + w + sv, c + w + sv
   FROM generate_series(1, $2) s, generate_series(1, ${LINES}) l, generate_series(0, $3 - 1) d, generate_series(1, $4) k,
     LATERAL (SELECT (DATE '2030-01-01' + d)::timestamptz + interval '9 hours' + k * interval '10 minutes' AS c,
       (3 + random() * 2400) * interval '1 second' AS w, (60 + random() * 1200) * interval '1 second' AS sv) x`,
    [TENANT, STORES, RAW_DAYS, PER_DAY],
  );
  await ds.query('ANALYZE queue.ticket');
  rawFillS = (performance.now() - t) / 1000;
  const rawSql = `SELECT "store_id", count(*) FILTER (WHERE "state" = 'SERVED') AS served,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM "called_at" - "created_at")) AS wait,
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM "served_at" - "called_at")) AS service
  FROM queue.ticket WHERE "tenant_id" = $1 AND "day" BETWEEN $2 AND $3 GROUP BY 1`;
  raw = await ms(() => ds.query(rawSql, [TENANT, rawRange.from, rawRange.to]));
  rollupSame = await ms(() => service.report(hq, { ...rawRange, groupBy: ['STORE'] }));
}

// What the trigger costs a ticket change: 1,000 issue → call → serve cycles, trigger off and on.
const cycle = async () => {
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) {
    const [{ id }] = await ds.query(
      `INSERT INTO queue.ticket ("id", "tenant_id", "store_id", "line_id", "number", "day", "state", "source", "queued_at",
         "created_at", "updated_at") VALUES (gen_random_uuid(), $1, $2, $3, 'Z1', '2030-06-01', 'NEW', 'DESK', now(), now(), now())
       RETURNING "id"`,
      [TENANT, uuid('001', 1), uuid('002', 9)],
    );
    await ds.query(`UPDATE queue.ticket SET "state" = 'CALLED', "called_at" = now() WHERE "id" = $1`, [id]);
    await ds.query(`UPDATE queue.ticket SET "state" = 'SERVED', "served_at" = now() WHERE "id" = $1`, [id]);
  }
  return (performance.now() - t0) / 3000;
};
const off = await cycle();
await ds.query('ALTER TABLE queue.ticket ENABLE TRIGGER USER');
const on = await cycle();

const lines = [
  `- Machine: ${os.cpus()[0]?.model}, nproc ${os.cpus().length}, Node ${process.version}, load average ${load} at start; Postgres ${version}`,
  `- Date: ${new Date().toISOString().slice(0, 10)}; the run took ${Math.round((Date.now() - started) / 1000)} s`,
  `- Command: \`node bench/queue-report/run.mjs\` (BENCH_STORES=${STORES}, BENCH_DAYS=${DAYS}, BENCH_TICKETS_PER_LINE_DAY=${PER_DAY}, BENCH_RAW_DAYS=${RAW_DAYS})`,
  `- Rollup: ${rollupRows.toLocaleString('en')} line_day rows (${STORES} stores × ${LINES} lines × ${DAYS} days, ${PER_DAY} tickets each: ${(rollupRows * PER_DAY).toLocaleString('en')} tickets' samples), ${size}, filled in ${fillS.toFixed(0)} s`,
  '',
  `| Report (queueReport, through QueueReportService) | Rows | Median of ${RUNS} |`,
  '| --- | ---: | ---: |',
  ...results.map((r) => `| ${r.name} | ${r.rows.toLocaleString('en')} | ${r.ms.toFixed(0)} ms |`),
  '',
  `Raw tickets instead: ${rawRows.toLocaleString('en')} ticket rows (${RAW_DAYS} days, filled in ${rawFillS.toFixed(0)} s); by store, waits and service p50/p90 with percentile_cont over ticket rows: **${raw.toFixed(0)} ms**; the rollup answers the same report in **${rollupSame.toFixed(0)} ms**.`,
  '',
  `Trigger cost per ticket change (issue, first call, serve; 3,000 statements each way, one connection): ${off.toFixed(2)} ms without, ${on.toFixed(2)} ms with the rollup trigger.`,
];
process.stdout.write(`${lines.join('\n')}\n`);
await ds.destroy();
await admin.query(`DROP DATABASE ${DB}`);
await admin.end();
