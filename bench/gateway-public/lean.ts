// What a gateway costs when it does little: its resident memory idle, and the latency it adds to a query answered by
// one subgraph fetch under a light load. Our binary as deployed (`phub --target=gateway`) beside plain
// @apollo/gateway, on the public benchmark's supergraph and subgraphs, in one run. Pinned as run.ts pins: each gateway
// to core 0, the subgraphs, the load and this runner to core 1. See bench/README.md and bench/RESULTS.md ("Gateway,
// public benchmark", its part "Idle memory and one-fetch overhead").
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { LatencyOptions, LatencyResult } from './load.process.js';
import { memoryOf, pinSelf, Proc, TS_NODE_ARGS } from './proc.js';
import { composeSupergraph, LEAN_HEADING, writePart } from './shared.js';

const TRIES = Number(process.env.BENCH_TRIES ?? 3);
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 20);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 2);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,4').split(',').map(Number);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** One subgraph fetch: accounts answers it all. */
const ONE_FETCH_QUERY = 'query OneFetch { users { id name username } }';
const CORES = cpus().length;
const GATEWAY_CPU = CORES >= 2 ? 0 : undefined;
const LOAD_CPU = CORES >= 2 ? 1 : undefined;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const PHUB = here('../../cmd/phub/dist/main.js');
const OWN_SUPERGRAPH = here('../../schema/supergraph.graphql');
/** Into every gateway alike: SIGUSR2 collects garbage (see gc-on-signal.mjs). */
const GC_ARGS = ['--expose-gc', '--import', here('./gc-on-signal.mjs')];
const JSON_HEADERS = { 'content-type': 'application/json' };
const log = (line: string) => process.stdout.write(`${line}\n`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  proc: Proc;
  url: string;
}

interface Gateway {
  id: string;
  label: string;
  /** Ready once it answers `readyQuery` (default the one-fetch query). */
  start(supergraphPath: string, dir: string, readyQuery?: string): Promise<Started>;
}

/** Ready once it answers the query (the binary has no IPC). */
async function waitUntilServing(proc: Proc, url: string, query = ONE_FETCH_QUERY): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    const res = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ query }) }).catch(
      () => undefined,
    );
    if (res?.ok && !(await res.text()).includes('"errors"')) return;
    await sleep(200);
  }
  throw new Error(`${proc.name} did not start serving ${url}`);
}

const body = () => JSON.stringify({ query: ONE_FETCH_QUERY });

/** Our binary as deployed: a gateway on its own, with what that requires. */
function phub(id: string, label: string, main: string): Gateway {
  return {
    id,
    label,
    async start(supergraphPath, dir, readyQuery) {
      const port = await freePort();
      const proc = new Proc(id, GATEWAY_CPU, [...GC_ARGS, main, '--target=gateway'], {
        ipc: false,
        quiet: true,
        env: {
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          HOST: '127.0.0.1',
          PORT: String(port),
          METRICS_PORT: String(await freePort()),
          SUPERGRAPH_PATH: supergraphPath,
          DATA_DIR: join(dir, 'data'),
          BENCH_GC_REPORT: join(dir, `${id}-gc.json`),
          // What a gateway on its own requires; no token is sent, so the JWKS is never fetched.
          REDIS_URL,
          AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
          SUBGRAPH_SHARED_SECRET: 'bench-gateway-public-secret-0123456789abcdef',
        },
      });
      const url = `http://127.0.0.1:${port}/graphql`;
      await waitUntilServing(proc, url, readyQuery);
      return { proc, url };
    },
  };
}

const GATEWAYS: Gateway[] = [
  {
    id: 'apollo',
    label: 'plain @apollo/gateway (bench/gateway-public/apollo-plain.mjs)',
    async start(supergraphPath, dir, readyQuery) {
      const port = await freePort();
      const proc = new Proc('apollo', GATEWAY_CPU, [...GC_ARGS, here('./apollo-plain.mjs')], {
        ipc: false,
        env: {
          BENCH_SUPERGRAPH_PATH: supergraphPath,
          NODE_ENV: 'production',
          PORT: String(port),
          BENCH_GC_REPORT: join(dir, 'apollo-gc.json'),
        },
      });
      const url = `http://127.0.0.1:${port}/graphql`;
      await waitUntilServing(proc, url, readyQuery);
      return { proc, url };
    },
  },
  phub('ours', 'ours: the binary, `phub --target=gateway` (cmd/phub/dist), production settings, no token sent', PHUB),
  // Another build of the binary (e.g. main's, for a before and after in one run).
  ...(process.env.BENCH_PHUB_BEFORE
    ? [
        phub(
          'before',
          `ours before: ${process.env.BENCH_PHUB_BEFORE_LABEL ?? process.env.BENCH_PHUB_BEFORE}`,
          process.env.BENCH_PHUB_BEFORE,
        ),
      ]
    : []),
];

interface Try {
  idleMb: number;
  gcMb: number;
  /** V8 heap in use after the forced collection. */
  heapMb: number;
  latency: Record<number, LatencyResult>;
  loadAvg: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measureLatency(load: Proc, url: string, connections: number): Promise<LatencyResult> {
  const options = (durationS: number): LatencyOptions => ({
    url,
    headers: JSON_HEADERS,
    body: body(),
    connections,
    durationS,
  });
  await load.request<LatencyResult>('latency', options(WARMUP_S));
  return load.request<LatencyResult>('latency', options(DURATION_S), DURATION_S * 4000);
}

/** Idle memory, then (with `load`) one-fetch latency, of a fresh gateway. */
async function gatewayTry(
  gateway: Gateway,
  supergraphPath: string,
  dir: string,
  load?: Proc,
  readyQuery = ONE_FETCH_QUERY,
): Promise<Try> {
  const loadAvg = loadavg()[0]!;
  const started = await gateway.start(supergraphPath, dir, readyQuery);
  try {
    // Idle: started, one query answered (its plan made), then nothing for IDLE_S.
    await waitUntilServing(started.proc, started.url, readyQuery);
    await sleep(IDLE_S * 1000);
    const idleMb = memoryOf(started.proc.pid).rssMb;
    process.kill(started.proc.pid, 'SIGUSR2');
    await sleep(1000);
    const gcMb = memoryOf(started.proc.pid).rssMb;
    const report = JSON.parse(readFileSync(join(dir, `${gateway.id}-gc.json`), 'utf8')) as { heapUsed: number };
    const heapMb = report.heapUsed / 2 ** 20;
    const latency: Record<number, LatencyResult> = {};
    if (load) {
      for (const connections of CONNECTIONS)
        latency[connections] = await measureLatency(load, started.url, connections);
    }
    return { idleMb, gcMb, heapMb, latency, loadAvg };
  } finally {
    await started.proc.kill();
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  if (LOAD_CPU !== undefined) pinSelf(LOAD_CPU);
  const subgraphs = new Proc('subgraphs', LOAD_CPU, [...TS_NODE_ARGS, here('./subgraphs.process.ts')]);
  const load = new Proc('load', LOAD_CPU, [...TS_NODE_ARGS, here('./load.process.ts')]);
  const dir = mkdtempSync(join(tmpdir(), 'phub-bench-lean-'));
  const tries: Record<string, Try[]> = { direct: [], ...Object.fromEntries(GATEWAYS.map((g) => [g.id, []])) };
  /** Idle memory on our own supergraph (schema/, with the partners' contract beside it), subgraphs not running. */
  const own: Record<string, Try[]> = Object.fromEntries(GATEWAYS.map((g) => [g.id, []]));
  let fetchPath = '';
  try {
    await Promise.all([subgraphs.ready, load.ready]);
    const { base, urls } = await subgraphs.request<{ base: string; urls: Record<string, string> }>('info');
    const supergraphPath = join(dir, 'supergraph.graphql');
    writeFileSync(supergraphPath, composeSupergraph(urls));
    // The one fetch plain Apollo makes for the query, sent straight to its subgraph for the direct row.
    const apollo = await GATEWAYS[0]!.start(supergraphPath, dir);
    let fetch1: { path: string; body: string }[];
    try {
      await subgraphs.request('record');
      await waitUntilServing(apollo.proc, apollo.url);
      fetch1 = await subgraphs.request<{ path: string; body: string }[]>('recorded');
    } finally {
      await apollo.proc.kill();
    }
    if (fetch1.length !== 1) throw new Error(`expected one subgraph fetch, got ${fetch1.length}`);
    fetchPath = fetch1[0]!.path;
    log(`load average ${loadAtStart}; the query's one fetch: ${fetchPath}`);
    // Rows interleaved per try (direct, apollo, ours, then again), so a change in the machine's load hits them alike.
    for (let i = 1; i <= TRIES; i++) {
      const direct: Try = { idleMb: NaN, gcMb: NaN, heapMb: NaN, latency: {}, loadAvg: loadavg()[0]! };
      for (const connections of CONNECTIONS) {
        await load.request<LatencyResult>('latency', {
          url: `${base}${fetchPath}`,
          headers: JSON_HEADERS,
          body: fetch1[0]!.body,
          connections,
          durationS: WARMUP_S,
        } satisfies LatencyOptions);
        direct.latency[connections] = await load.request<LatencyResult>(
          'latency',
          {
            url: `${base}${fetchPath}`,
            headers: JSON_HEADERS,
            body: fetch1[0]!.body,
            connections,
            durationS: DURATION_S,
          } satisfies LatencyOptions,
          DURATION_S * 4000,
        );
      }
      tries.direct!.push(direct);
      for (const gateway of GATEWAYS) tries[gateway.id]!.push(await gatewayTry(gateway, supergraphPath, dir, load));
      for (const gateway of GATEWAYS) {
        own[gateway.id]!.push(await gatewayTry(gateway, OWN_SUPERGRAPH, dir, undefined, '{ __typename }'));
        const t = own[gateway.id]!.at(-1)!;
        log(
          `try ${i} ${gateway.id}, own supergraph: RSS idle ${t.idleMb.toFixed(0)} MB, after GC ${t.gcMb.toFixed(0)} MB, heap ${t.heapMb.toFixed(1)} MB`,
        );
      }
      for (const [id, list] of Object.entries(tries)) {
        const t = list.at(-1)!;
        const lat = CONNECTIONS.map(
          (c) => `c=${c} p50 ${t.latency[c]!.p50.toFixed(3)} p99 ${t.latency[c]!.p99.toFixed(3)} ms`,
        );
        log(
          `try ${i} ${id}: RSS idle ${t.idleMb.toFixed(0)} MB, after GC ${t.gcMb.toFixed(0)} MB, heap ${t.heapMb.toFixed(1)} MB; ${lat.join('; ')}; load ${t.loadAvg.toFixed(2)}`,
        );
      }
    }
  } finally {
    await Promise.all([subgraphs.kill(), load.kill()]);
    rmSync(dir, { recursive: true, force: true });
  }
  await writeLean(tries, own, fetchPath, startedAt, loadAtStart);
}

async function writeLean(
  tries: Record<string, Try[]>,
  own: Record<string, Try[]>,
  fetchPath: string,
  startedAt: Date,
  loadAtStart: string,
) {
  const f = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
  const range = (values: number[], digits: number) =>
    `${f(Math.min(...values), digits)}–${f(Math.max(...values), digits)}`;
  const labels: Record<string, string> = {
    direct: `the subgraph direct, no gateway (the query's one fetch, ${fetchPath})`,
    ...Object.fromEntries(GATEWAYS.map((g) => [g.id, g.label])),
  };
  const cellOf = (list: number[], digits = 0) => `${f(median(list), digits)} (${range(list, digits)})`;
  // The goal is a difference (ours ≤ Apollo + 20 MB), taken per try: both gateways of a try ran minutes apart at most.
  const memoryTable = (tries: Record<string, Try[]>) => {
    const minusApollo = (id: string, pick: (t: Try) => number) =>
      id === 'apollo' ? '—' : tries[id]!.map((t, i) => (pick(t) - pick(tries.apollo![i]!)).toFixed(0)).join(', ');
    return [
      '| Gateway | RSS MB idle (median, range) | − apollo, per try | RSS MB after a forced GC (median, range) | ' +
        '− apollo, per try | V8 heap used MB after the GC (median, range) |',
      '|---|--:|--:|--:|--:|--:|',
      ...GATEWAYS.map(({ id }) => {
        const list = tries[id]!;
        return (
          `| ${labels[id]} | ${cellOf(list.map((t) => t.idleMb))} | ${minusApollo(id, (t) => t.idleMb)} | ` +
          `${cellOf(list.map((t) => t.gcMb))} | ${minusApollo(id, (t) => t.gcMb)} | ` +
          `${cellOf(
            list.map((t) => t.heapMb),
            1,
          )} |`
        );
      }),
    ];
  };
  // The overhead of a try: its p50 less the direct row's p50 of the same try and connections.
  const overhead = (id: string, i: number, c: number) =>
    tries[id]![i]!.latency[c]!.p50 - tries.direct![i]!.latency[c]!.p50;
  const latency = [
    '| Connections | Row | p50 ms (median of tries) | p99 ms (median) | p50 overhead over direct, ms (median, per try) | overhead × apollo, per try | requests / try | errors | load avg before (per try) |',
    '|--:|---|--:|--:|--:|--:|--:|--:|---|',
    ...CONNECTIONS.flatMap((c) =>
      Object.keys(tries).map((id) => {
        const list = tries[id]!;
        const perTry = list.map((_, i) => overhead(id, i, c));
        const ratios = list.map((_, i) => overhead(id, i, c) / overhead('apollo', i, c));
        return (
          `| ${c} | ${labels[id]} | ${f(median(list.map((t) => t.latency[c]!.p50)), 3)} | ` +
          `${f(median(list.map((t) => t.latency[c]!.p99)), 3)} | ` +
          (id === 'direct' ? '— | ' : `${f(median(perTry), 3)} (${perTry.map((v) => v.toFixed(3)).join(', ')}) | `) +
          (id === 'direct' || id === 'apollo' ? '— | ' : `${ratios.map((r) => r.toFixed(2)).join(', ')} | `) +
          `${f(median(list.map((t) => t.latency[c]!.total)))} | ${list.reduce((s, t) => s + t.latency[c]!.errors, 0)} | ` +
          `${list.map((t) => t.loadAvg.toFixed(2)).join(', ')} |`
        );
      }),
    ),
  ];
  const cpu = cpus()[0]?.model.trim();
  const text = [
    LEAN_HEADING,
    '',
    `Run: \`node --conditions=source --import ./bench/subscriptions/register.mjs bench/gateway-public/lean.ts\` ` +
      `(after \`npx tsc -b\`: ours is the built binary), ${startedAt.toISOString().slice(0, 16)}Z, ${CORES} × ${cpu}, ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadAtStart} (1, 5, 15 min) ` +
      `at the start. ${TRIES} tries, each with a fresh gateway, rows interleaved per try; pinned as above (gateway ` +
      'core 0; subgraphs, load and runner core 1). The subgraphs and supergraph are the public benchmark’s.',
    '',
    '- Idle: the gateway started, answered the one-fetch query once (its plan made), then got nothing for ' +
      `${IDLE_S} s; RSS is VmRSS from /proc then, and again 1 s after a full garbage collection (every gateway is ` +
      'started with `--expose-gc --import bench/gateway-public/gc-on-signal.mjs`, which collects on SIGUSR2).',
    '',
    ...memoryTable(tries),
    '',
    '- The same on our own supergraph (`schema/supergraph.graphql`, 8 subgraphs, not running: idle only, ready ' +
      'once it answers `{ __typename }`). Ours also loads the partners’ public contract beside it ' +
      '(`schema/public-supergraph.graphql`): a second gateway, which plain Apollo does not have. Besides it, ours ' +
      'loads what plain Apollo has no use for: ioredis (a gateway on its own requires REDIS_URL: token revocations ' +
      'and partner rate limits), Express and the kit’s HTTP app, zod settings, pino, prom-client, jose, graphql-ws, ' +
      'graphql-sse and ws for subscriptions, and its plugins (limits, rate limits, deduplication).',
    '',
    ...memoryTable(own),
    '',
    `- One fetch: \`${ONE_FETCH_QUERY}\`, answered by one fetch to accounts. A closed loop per connection (the next ` +
      `request when the answer has arrived, node:http keep-alive), ${WARMUP_S} s warm-up then ${DURATION_S} s, ` +
      'latency from the microsecond clock. The overhead is a gateway’s p50 less the direct row’s p50 in the same ' +
      'try and connections; "× apollo" divides it by plain Apollo’s of the same try.',
    '',
    ...latency,
  ].join('\n');
  await writePart('lean', text);
  log(text);
}

await main();
