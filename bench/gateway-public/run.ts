// The public federation gateways benchmark (graphql-hive/graphql-gateways-benchmark: four subgraphs, one nested query
// answered with 87,599 bytes, 50 connections) ported to Node, with our gateway, plain @apollo/gateway and Hive Gateway
// measured side by side in one run. Each gateway has core 0 to itself; the subgraphs, autocannon (its own process)
// and this runner share core 1. See bench/README.md for the command and bench/RESULTS.md ("Gateway, public
// benchmark") for the figures.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectedAnswer, QUERY } from './data.js';
import type { LoadOptions, LoadResult } from './load.process.js';
import { childPids, cpuMsOf, machineBusyMs, memoryOf, pinSelf, Proc, TS_NODE_ARGS } from './proc.js';
import { composeSupergraph, writePart } from './shared.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 12);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/**
 * Tries per row, each with a fresh gateway; the row reports the try with the median RPS and the range. The machine is
 * shared, and a gateway's CPU per request varied by up to 1.5× between tries whatever other processes were doing.
 */
const TRIES = Number(process.env.BENCH_TRIES ?? 3);
/** Only these rows (comma list of ids: direct, apollo, hive, hive-bench, ours, ours-nodedup); default all. */
const ONLY = process.env.BENCH_ROWS?.split(',');
/**
 * Ours estimates the benchmark's query at 24,420 objects, above its default MAX_QUERY_COST (20,000), and refuses it
 * (QUERY_TOO_COSTLY): the rows raise the limit just enough; every other setting is the default.
 */
const OURS_MAX_QUERY_COST = 25_000;
const CORES = cpus().length;
const GATEWAY_CPU = CORES >= 2 ? 0 : undefined;
const LOAD_CPU = CORES >= 2 ? 1 : undefined;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const HIVE_BIN = here('./node_modules/@graphql-hive/gateway/dist/bin.js');
const HIVE_VERSION = (
  JSON.parse(readFileSync(here('./node_modules/@graphql-hive/gateway/package.json'), 'utf8')) as { version: string }
).version;
const APOLLO_VERSION = (
  JSON.parse(readFileSync(here('./node_modules/@apollo/gateway/package.json'), 'utf8')) as { version: string }
).version;

const log = (line: string) => process.stdout.write(`${line}\n`);
const JSON_HEADERS = { 'content-type': 'application/json' };

interface Started {
  proc: Proc;
  url: string;
  headers: Record<string, string>;
}
interface Gateway {
  id: string;
  label: string;
  start(supergraphPath: string): Promise<Started>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** For a gateway without IPC: ready once it answers a query (it may take a few seconds to load the supergraph). */
async function waitUntilServing(proc: Proc, url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: '{"query":"{ __typename }"}' });
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${proc.name} did not start serving ${url}`);
}

function hive(id: string, label: string, benchConfig: boolean): Gateway {
  return {
    id,
    label,
    async start(supergraphPath) {
      const port = await freePort();
      const args = [HIVE_BIN, 'supergraph', supergraphPath, '--host', '127.0.0.1', '--port', String(port)];
      args.push('--fork', '1');
      if (benchConfig) args.push('--config-path', here('./hive-gateway.config.ts'), '--jit');
      // In the supergraph's own folder, so no config file is found by default for the defaults row.
      const proc = new Proc(id, GATEWAY_CPU, args, {
        ipc: false,
        quiet: true,
        cwd: join(supergraphPath, '..'),
        env: { NODE_ENV: 'production' },
      });
      const url = `http://127.0.0.1:${port}/graphql`;
      await waitUntilServing(proc, url);
      return { proc, url, headers: JSON_HEADERS };
    },
  };
}

function ours(id: string, label: string, dedup: boolean): Gateway {
  return {
    id,
    label,
    async start(supergraphPath) {
      // Started as bench/gateway starts it: createGatewayService with a test token verifier; every request carries
      // a signed token that the gateway verifies.
      const proc = new Proc(id, GATEWAY_CPU, [...TS_NODE_ARGS, here('../subscriptions/gateway.process.ts')], {
        env: {
          BENCH_SUPERGRAPH_PATH: supergraphPath,
          DEDUPLICATE_INFLIGHT_QUERIES: String(dedup),
          MAX_QUERY_COST: String(OURS_MAX_QUERY_COST),
        },
      });
      await proc.ready;
      const { url, token } = await proc.request<{ url: string; token: string }>('info');
      return { proc, url, headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` } };
    },
  };
}

const GATEWAYS: Gateway[] = [
  {
    id: 'apollo',
    label: `plain @apollo/gateway ${APOLLO_VERSION}`,
    async start(supergraphPath) {
      const proc = new Proc('apollo', GATEWAY_CPU, [...TS_NODE_ARGS, here('./apollo.process.ts')], {
        env: { BENCH_SUPERGRAPH_PATH: supergraphPath, NODE_ENV: 'production' },
      });
      await proc.ready;
      const { url } = await proc.request<{ url: string }>('info');
      return { proc, url, headers: JSON_HEADERS };
    },
  },
  hive('hive', `Hive Gateway ${HIVE_VERSION}, defaults`, false),
  hive('hive-bench', `Hive Gateway ${HIVE_VERSION}, the benchmark's config (inbound dedup, jit)`, true),
  ours('ours', 'ours (phub gateway, token verified, defaults but MAX_QUERY_COST)', true),
  ours('ours-nodedup', 'ours, DEDUPLICATE_INFLIGHT_QUERIES=false', false),
];

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** 'bytes' when the answer is the expected bytes, 'canonical JSON' when only key order or spacing differ. */
async function check(started: Started, expected: string, distinct: boolean): Promise<string> {
  const body = JSON.stringify({ query: QUERY, ...(distinct ? { variables: { n: 0 } } : {}) });
  const res = await fetch(started.url, { method: 'POST', headers: started.headers, body });
  const text = await res.text();
  if (res.status === 200 && text === expected) return 'bytes';
  // Apollo Server's standalone server ends its JSON with a newline.
  if (res.status === 200 && text === `${expected}\n`) return 'bytes (+ newline)';
  let same = false;
  try {
    same = JSON.stringify(canonical(JSON.parse(text))) === JSON.stringify(canonical(JSON.parse(expected)));
  } catch {
    // Not JSON: not the answer.
  }
  if (res.status === 200 && same) return 'canonical JSON';
  throw new Error(
    `${started.proc.name}: unexpected answer (${res.status}, ${text.length} bytes): ${text.slice(0, 300)}`,
  );
}

interface Row {
  id: string;
  label: string;
  load: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  fetchesPerRequest: number;
  gatewayCpuMsPerRequest?: number;
  rssMb?: number;
  peakMb?: number;
  bytesPerResponse: number;
  checked: string;
  loadAvg: number;
  othersCpu: number;
  /** RPS of every try of the row, lowest first. */
  tries: number[];
}

interface Context {
  subgraphs: Proc;
  load: Proc;
  supergraphPath: string;
  expected: string;
}

const fetchesSoFar = async (subgraphs: Proc) =>
  Object.values(await subgraphs.request<Record<string, number>>('counts')).reduce((a, b) => a + b, 0);

/**
 * Until the subgraphs get no request for half a second: autocannon stops with one request outstanding on every
 * connection, which the gateway still works on; the next measurement starts once that is done.
 */
async function idle(subgraphs: Proc): Promise<number> {
  const deadline = Date.now() + 30_000;
  let last = await fetchesSoFar(subgraphs);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await fetchesSoFar(subgraphs);
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** Warm-up, then the timed load, with what every process of ours used meanwhile (the rest is other people's). */
async function timed(
  ctx: Context,
  options: Omit<LoadOptions, 'durationS' | 'connections'>,
  gatewayPids: () => number[],
) {
  const common = { ...options, connections: CONNECTIONS };
  await ctx.load.request<LoadResult>('run', { ...common, durationS: WARMUP_S });
  const ourPids = () => [process.pid, ctx.load.pid, ctx.subgraphs.pid, ...gatewayPids()];
  const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
  const fetches0 = await idle(ctx.subgraphs);
  const t0 = performance.now();
  const busy0 = machineBusyMs();
  const ours0 = cpuOf(ourPids());
  const gateway0 = cpuOf(gatewayPids());
  const result = await ctx.load.request<LoadResult>('run', { ...common, durationS: DURATION_S }, DURATION_S * 4000);
  const othersMs = machineBusyMs() - busy0 - (cpuOf(ourPids()) - ours0);
  const wallMs = performance.now() - t0;
  // The requests left outstanding at the end (one per connection) are finished by the gateway and counted with the
  // answered ones for fetches and CPU per request.
  const fetches = (await idle(ctx.subgraphs)) - fetches0;
  const started = result.total + CONNECTIONS;
  const gatewayCpu = cpuOf(gatewayPids()) - gateway0;
  return {
    result,
    fetchesPerRequest: fetches / started,
    gatewayCpuMsPerRequest: gatewayCpu / started,
    othersCpu: Math.max(0, othersMs / wallMs),
  };
}

/** Runs a row TRIES times and keeps the try with the median RPS (the upper one of an even count). */
async function median(attempt: () => Promise<Row>): Promise<Row> {
  const rows: Row[] = [];
  for (let i = 1; i <= TRIES; i++) {
    const row = await attempt();
    log(
      `${row.label}, ${row.load}, try ${i}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ` +
        `${row.errors} errors, ${row.fetchesPerRequest.toFixed(2)} fetches/request, ` +
        `${row.gatewayCpuMsPerRequest?.toFixed(3) ?? '-'} gateway CPU ms/request, RSS ${row.rssMb?.toFixed(0) ?? '-'} ` +
        `MB (peak ${row.peakMb?.toFixed(0) ?? '-'}), others ${(row.othersCpu * 100).toFixed(0)}% of a core, ` +
        `load ${row.loadAvg.toFixed(2)} before`,
    );
    rows.push(row);
  }
  rows.sort((a, b) => a.rps - b.rps);
  return { ...rows[Math.floor(rows.length / 2)]!, tries: rows.map((r) => r.rps) };
}

async function gatewayRow(ctx: Context, gateway: Gateway, distinct: boolean): Promise<Row> {
  return median(async () => {
    const loadAvg = loadavg()[0]!;
    const started = await gateway.start(ctx.supergraphPath);
    try {
      const checked = await check(started, ctx.expected, distinct);
      const pids = () => [started.proc.pid, ...childPids(started.proc.pid)];
      const run = await timed(ctx, { url: started.url, headers: started.headers, query: QUERY, distinct }, pids);
      const memory = pids().map(memoryOf);
      // autocannon reads no bodies: answers shorter than the expected one (errors sent with 200) show here.
      if (run.result.bytesPerResponse < Buffer.byteLength(ctx.expected)) {
        throw new Error(`${gateway.id}: ${run.result.bytesPerResponse.toFixed(0)} bytes per response under load`);
      }
      return {
        id: gateway.id,
        label: gateway.label,
        load: distinct ? 'distinct (variable `n` changes per request)' : 'the same query',
        rps: run.result.rps,
        p50: run.result.p50,
        p99: run.result.p99,
        errors: run.result.errors,
        fetchesPerRequest: run.fetchesPerRequest,
        gatewayCpuMsPerRequest: run.gatewayCpuMsPerRequest,
        rssMb: memory.reduce((sum, m) => sum + m.rssMb, 0),
        peakMb: memory.reduce((sum, m) => sum + m.peakMb, 0),
        bytesPerResponse: run.result.bytesPerResponse,
        checked,
        loadAvg,
        othersCpu: run.othersCpu,
        tries: [],
      };
    } finally {
      await started.proc.kill();
    }
  });
}

/** The subgraph fetches plain @apollo/gateway makes for one query, to replay straight at the subgraphs. */
async function captureFetches(ctx: Context): Promise<{ path: string; body: string }[]> {
  const started = await GATEWAYS[0]!.start(ctx.supergraphPath);
  try {
    await ctx.subgraphs.request('record');
    await check(started, ctx.expected, false);
    return await ctx.subgraphs.request<{ path: string; body: string }[]>('recorded');
  } finally {
    await started.proc.kill();
  }
}

async function directRow(ctx: Context, base: string): Promise<Row> {
  const replay = await captureFetches(ctx);
  for (const { path, body } of replay) {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: JSON_HEADERS, body });
    const text = await res.text();
    if (res.status !== 200 || text.includes('"errors"')) throw new Error(`subgraph ${path}: ${text.slice(0, 300)}`);
  }
  return median(async () => {
    const loadAvg = loadavg()[0]!;
    const run = await timed(ctx, { url: base, headers: JSON_HEADERS, replay }, () => []);
    return {
      id: 'direct',
      label: `subgraphs direct, no gateway (the ${replay.length} fetches of one query, in turn)`,
      load: 'the same fetches',
      rps: run.result.rps,
      p50: run.result.p50,
      p99: run.result.p99,
      errors: run.result.errors,
      fetchesPerRequest: run.fetchesPerRequest,
      bytesPerResponse: run.result.bytesPerResponse,
      checked: 'no errors',
      loadAvg,
      othersCpu: run.othersCpu,
      tries: [],
    };
  });
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const loadAtStart = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  if (LOAD_CPU !== undefined) pinSelf(LOAD_CPU);
  const expected = expectedAnswer();
  const subgraphs = new Proc('subgraphs', LOAD_CPU, [...TS_NODE_ARGS, here('./subgraphs.process.ts')]);
  const load = new Proc('autocannon', LOAD_CPU, [...TS_NODE_ARGS, here('./load.process.ts')]);
  const dir = mkdtempSync(join(tmpdir(), 'phub-bench-public-'));
  const rows: Row[] = [];
  try {
    await Promise.all([subgraphs.ready, load.ready]);
    const { base, urls } = await subgraphs.request<{ base: string; urls: Record<string, string> }>('info');
    const supergraphPath = join(dir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composeSupergraph(urls));
    const ctx: Context = { subgraphs, load, supergraphPath, expected };
    log(`expected answer: ${Buffer.byteLength(expected)} bytes; load average ${loadAtStart}`);
    if (!ONLY || ONLY.includes('direct')) rows.push(await directRow(ctx, base));
    for (const gateway of GATEWAYS.filter((g) => !ONLY || ONLY.includes(g.id))) {
      for (const distinct of [false, true]) rows.push(await gatewayRow(ctx, gateway, distinct));
    }
  } finally {
    await Promise.all([subgraphs.kill(), load.kill()]);
    rmSync(dir, { recursive: true, force: true });
  }
  await writeSection(rows, loadAtStart, (Date.now() - startedAt) / 1000);
}

const cell = (v: number | undefined, digits = 0) => (v === undefined ? '—' : v.toFixed(digits));

async function writeSection(rows: Row[], loadAtStart: string, totalS: number): Promise<void> {
  const apollo = (r: Row) => rows.find((b) => b.id === 'apollo' && b.load === r.load);
  const ratio = (r: Row, pick: (row: Row) => number) => {
    const base = apollo(r);
    return base ? (pick(r) / pick(base)).toFixed(2) : '—';
  };
  const table = [
    '| Gateway | Load | RPS | RPS of the tries | RPS × apollo | p50 ms | p50 × apollo | p99 ms | errors | subgraph fetches / request | ' +
      'gateway CPU ms / request | gateway RSS MB (end / peak) | answer checked | kB / response | others’ CPU | ' +
      'load avg before |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.load} | ${r.rps.toFixed(0)} | ${r.tries[0]!.toFixed(0)}–${r.tries.at(-1)!.toFixed(0)} | ` +
        `${r.id === 'direct' ? '—' : ratio(r, (x) => x.rps)} | ` +
        `${r.p50} | ${r.id === 'direct' ? '—' : ratio(r, (x) => x.p50)} | ${r.p99} | ${r.errors} | ` +
        `${r.fetchesPerRequest.toFixed(2)} | ${cell(r.gatewayCpuMsPerRequest, 2)} | ` +
        `${r.rssMb === undefined ? '—' : `${cell(r.rssMb)} / ${cell(r.peakMb)}`} | ${r.checked} | ` +
        `${(r.bytesPerResponse / 1000).toFixed(1)} | ` +
        `${(r.othersCpu * 100).toFixed(0)}% | ${r.loadAvg.toFixed(2)} |`,
    ),
  ].join('\n');
  const cpu = cpus()[0]?.model.trim();
  const section = [
    '## Gateway, public benchmark',
    '',
    `Run: \`pnpm bench:gateway-public\` (bench/gateway-public/run.ts), ${new Date().toISOString().slice(0, 16)}Z, ` +
      `${CORES} × ${cpu} (nproc ${CORES}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
      `load average ${loadAtStart} (1, 5, 15 min) at the start; ${DURATION_S} s per row after a ${WARMUP_S} s ` +
      `warm-up, ${CONNECTIONS} connections, ${totalS.toFixed(0)} s in all. ` +
      (GATEWAY_CPU === undefined
        ? 'Not pinned (fewer than 2 cores). '
        : `Each gateway pinned to core ${GATEWAY_CPU} alone (\`taskset\`); the four subgraphs (one Node process), ` +
          `autocannon (its own process) and the runner to core ${LOAD_CPU}. `) +
      'The public federation gateways benchmark (graphql-hive/graphql-gateways-benchmark) ported to Node: its ' +
      'subgraphs accounts, inventory, products and reviews with the same SDL and data (bench/gateway-public/data.ts), ' +
      'composed with @apollo/composition, and its one query (`TestQuery`: users and topProducts, nested four levels ' +
      `through every subgraph), whose answer is ${Buffer.byteLength(expectedAnswer()).toLocaleString('en')} bytes. ` +
      "Every gateway's answer is checked against the one worked out from the data before its row is timed. The " +
      "composed supergraph has the same types, fields and join directives as the benchmark's own. autocannon's " +
      'timeout is 60 s (k6’s default, which the benchmark uses): a slow answer counts as latency, not as an error.',
    '',
    table,
    '',
    '- kB / response: response bytes (headers included) per response under load, as autocannon counts them; ' +
      'a row whose responses are shorter than the expected answer fails (errors answered with status 200).',
    '- RPS: responses per second; for the direct row, subgraph requests per second (one query is all of them in ' +
      'turn). "× apollo": against plain @apollo/gateway in the same run and load. Subgraph fetches are counted at ' +
      'the subgraphs and, like gateway CPU (user + system time of the gateway process), divided by the requests ' +
      'sent: the answered ones and the one left outstanding on each connection when the run stops (the gateway ' +
      'finishes those; the count waits until the subgraphs are idle). ' +
      'RSS from /proc (VmRSS at the end, VmHWM peak), no forced GC. "Others’ CPU": busy time of processes that are ' +
      `not this benchmark's during the try shown, in % of one core (from /proc/stat). Every row is run ${TRIES} ` +
      'times, each with a fresh gateway, and shows the try with the median RPS (its p50, p99, CPU, RSS…) and the ' +
      'RPS of all tries: the machine is shared with other people’s tests, and RPS moved by up to 1.5× between ' +
      "tries. The load average (1 min) includes the benchmark's own previous row.",
    '- Distinct: each request carries `variables: { n: <counter> }`, which the operation does not declare (so it ' +
      'is ignored by execution): the requests differ, so inbound deduplication cannot share them, but their subgraph ' +
      'fetches are the same, which an outbound (subgraph fetch) deduplication can share.',
    '- Ours is started as bench/gateway starts it (bench/subscriptions/gateway.process.ts: `createGatewayService`, ' +
      'NODE_ENV=production, a test JWT verifier; every request carries a token that is verified), with its defaults ' +
      '(query limits, metrics, in-flight deduplication of requests and of subgraph fetches) but ' +
      `MAX_QUERY_COST=${OURS_MAX_QUERY_COST}: its default (20,000) refuses this query (estimated at 24,420 ` +
      'objects: QUERY_TOO_COSTLY), and once more with ' +
      '`DEDUPLICATE_INFLIGHT_QUERIES=false`. Hive Gateway runs from its CLI (`hive-gateway supergraph`, one ' +
      'process, `--fork 1`, NODE_ENV=production), with its defaults and with the benchmark’s own config ' +
      '(bench/gateway-public/hive-gateway.config.ts: `inboundInflightRequestDeduplication` and `jit`, plus `--jit`).',
    '',
  ].join('\n');
  await writePart('throughput', section);
  log(table);
}

await main();
