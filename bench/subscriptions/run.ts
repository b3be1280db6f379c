// Subscription fan-out: N subscribers of one change through the gateway, against the same change
// delivered by the subgraph directly, in the same run. Every part has its own process; see
// bench/README.md for the command and bench/RESULTS.md ("Subscriptions") for the figures.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { format, resolveConfig } from 'prettier';
import { Child, type MemoryStats } from './ipc.js';

const SIZES = (process.env.BENCH_SUBSCRIBERS ?? '1000,5000,10000').split(',').map(Number);
const CLIENT_PROCESSES = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4);
/** Every wait of a scenario gives up after this; the whole run is bounded by it. */
const STEP_TIMEOUT_MS = Number(process.env.BENCH_STEP_TIMEOUT_MS ?? 120_000);
/** A comma list of modes to run (`direct`, `gateway`, `gateway-federated`); all by default. */
const ONLY = process.env.BENCH_MODES?.split(',');
const RESULTS = new URL('../RESULTS.md', import.meta.url);

// Both selections start at the products subgraph; FEDERATED adds fields of the reviews subgraph.
const LOCAL = 'subscription { productChanged(id: "p1") { version publishedAt product { name } } }';
const FEDERATED =
  'subscription { productChanged(id: "p1") { version publishedAt product { name reviews { stars body } } } }';

type Mode = 'direct' | 'gateway' | 'gateway-federated' | 'gateway-unshared' | 'gateway-unshared-per-token';
const MODES: { mode: Mode; label: string; query: string; maxSubscribers?: number }[] = [
  { mode: 'direct', label: 'subgraph directly (baseline)', query: LOCAL },
  { mode: 'gateway', label: 'gateway, same selection', query: LOCAL },
  { mode: 'gateway-federated', label: 'gateway, + fields from reviews', query: FEDERATED },
  { mode: 'gateway-unshared', label: 'gateway, one token each, on shared sockets', query: LOCAL },
  // The baseline for it, as before: a socket per token. Two sockets per subscriber in the gateway: 10,000 would
  // pass the 20,000 open files allowed here.
  {
    mode: 'gateway-unshared-per-token',
    label: 'gateway, one token each, a socket per token (before)',
    query: LOCAL,
    maxSubscribers: 5_000,
  },
];
/** The gateway's setting per mode: every client's subscriptions on 2 sockets, or (0) one socket per token. */
const UPSTREAM_SOCKETS: Partial<Record<Mode, string>> = { 'gateway-unshared-per-token': '0' };

interface Row {
  label: string;
  subscribers: number;
  received: number;
  p50: number;
  p99: number;
  max: number;
  rssPerSub: number;
  heapPerSub: number;
  connectCpuUsPerSub: number;
  deliveryCpuMs: number;
  /** Gateway → products sockets while all were subscribed (none for the baseline). */
  sockets?: number;
  error?: string;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function scenario(mode: Mode, label: string, query: string, subscribers: number): Promise<Row> {
  const children: Child[] = [];
  const spawn = async (name: string, script: string, env?: NodeJS.ProcessEnv) => {
    const child = new Child(name, script, env);
    children.push(child);
    await child.ready;
    return child;
  };
  try {
    const subgraphs = await spawn('subgraphs', './subgraphs.process.ts');
    const info = await subgraphs.request<{ products: string; supergraphPath: string }>('info');
    let server = subgraphs;
    let url = info.products;
    let authorizations: string[] | undefined;
    let gatewayChild: Child | undefined;
    let registered = async () => (await subgraphs.request<number>('subscribers')) === subscribers;
    if (mode !== 'direct') {
      const gateway = await spawn('gateway', './gateway.process.ts', {
        BENCH_SUPERGRAPH_PATH: info.supergraphPath,
        SUBSCRIPTION_UPSTREAM_SOCKETS: UPSTREAM_SOCKETS[mode],
      });
      gatewayChild = gateway;
      const { url: gatewayUrl, token } = await gateway.request<{ url: string; token: string }>('info');
      server = gateway;
      url = gatewayUrl;
      const shared = mode !== 'gateway-unshared' && mode !== 'gateway-unshared-per-token';
      const tokens = shared ? [] : await gateway.request<string[]>('tokens', { count: subscribers });
      authorizations = Array.from({ length: subscribers }, (_, i) => `Bearer ${shared ? token : tokens[i]}`);
      registered = async () => {
        const counts = await gateway.request<{ active: number; upstreams: number }>('counts');
        const upstream = await subgraphs.request<number>('subscribers');
        return counts.active === subscribers && upstream === (shared ? 1 : subscribers);
      };
    }
    const clients = await Promise.all(
      Array.from({ length: CLIENT_PROCESSES }, (_, i) => spawn(`clients-${i}`, './clients.process.ts')),
    );

    const before = await server.request<MemoryStats>('memory');
    const cpuBeforeConnect = await server.request<number>('cpu');
    const share = (i: number) =>
      Math.floor(subscribers / CLIENT_PROCESSES) + (i < subscribers % CLIENT_PROCESSES ? 1 : 0);
    const offset = (i: number) => Array.from({ length: i }, (_, j) => share(j)).reduce((a, b) => a + b, 0);
    const connected = await Promise.all(
      clients.map((c, i) =>
        c.request<{ open: number; failures: string[] }>(
          'connect',
          {
            url,
            count: share(i),
            query,
            authorizations: authorizations?.slice(offset(i), offset(i) + share(i)),
            concurrency: 50,
          },
          STEP_TIMEOUT_MS,
        ),
      ),
    );
    const open = connected.reduce((sum, c) => sum + c.open, 0);
    if (open !== subscribers)
      throw new Error(`${open} of ${subscribers} connected: ${connected.flatMap((c) => c.failures)}`);
    await until('all subscriptions registered', registered);
    const cpuAfterConnect = await server.request<number>('cpu');
    const after = await server.request<MemoryStats>('memory');
    const sockets = gatewayChild
      ? (await gatewayChild.request<{ connections: number }>('counts')).connections
      : undefined;

    const received = async (version: number) =>
      (await Promise.all(clients.map((c) => c.request<number>('received', { version })))).reduce((a, b) => a + b, 0);
    // A warm-up change first, so both paths run warm code; the second one is measured.
    await subgraphs.request('publish', { version: 1 });
    await until('the warm-up change everywhere', async () => (await received(1)) === subscribers);
    const cpuBefore = await server.request<number>('cpu');
    await subgraphs.request('publish', { version: 2 });
    await until('the change everywhere', async () => (await received(2)) === subscribers);
    const cpuAfter = await server.request<number>('cpu');

    const reports = await Promise.all(
      clients.map((c) => c.request<{ latencies: number[]; failures: string[] }>('latencies', { version: 2 })),
    );
    const all = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
    await subgraphs.request('cleanup');
    return {
      label,
      subscribers,
      received: all.length,
      p50: percentile(all, 50),
      p99: percentile(all, 99),
      max: all.at(-1) ?? NaN,
      rssPerSub: (after.rss - before.rss) / subscribers,
      heapPerSub: (after.heapUsed - before.heapUsed) / subscribers,
      // The stats requests themselves cost a little; negligible next to thousands of handshakes.
      connectCpuUsPerSub: ((cpuAfterConnect - cpuBeforeConnect) * 1000) / subscribers,
      deliveryCpuMs: cpuAfter - cpuBefore,
      sockets,
    };
  } finally {
    await Promise.all(children.map((c) => c.kill()));
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : 'n/a');

async function main(): Promise<void> {
  const started = Date.now();
  const load = loadavg()[0]?.toFixed(2);
  const rows: Row[] = [];
  for (const subscribers of SIZES) {
    const modes = MODES.filter(
      (m) => (!ONLY || ONLY.includes(m.mode)) && subscribers <= (m.maxSubscribers ?? Infinity),
    );
    for (const { mode, label, query } of modes) {
      log(`${label}: ${subscribers} subscribers …`);
      try {
        const row = await scenario(mode, label, query, subscribers);
        rows.push(row);
        log(
          `  p50 ${ms(row.p50)}, p99 ${ms(row.p99)}, ${kb(row.rssPerSub)} RSS/subscriber, ${row.deliveryCpuMs.toFixed(1)} ms CPU`,
        );
      } catch (err) {
        log(`  failed: ${(err as Error).message}`);
        rows.push({
          label,
          subscribers,
          received: 0,
          p50: NaN,
          p99: NaN,
          max: NaN,
          rssPerSub: NaN,
          heapPerSub: NaN,
          connectCpuUsPerSub: NaN,
          deliveryCpuMs: NaN,
          error: (err as Error).message,
        });
      }
    }
  }
  await writeResults(rows, { load: load ?? '?', seconds: Math.round((Date.now() - started) / 1000) });
  log('wrote the "Subscriptions" section of bench/RESULTS.md');
}

async function writeResults(rows: Row[], run: { load: string; seconds: number }): Promise<void> {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const table = [
    '| Path | Subscribers | Delivered | p50 latency | p99 latency | max | RSS / subscriber | heap / subscriber | CPU / subscribe | CPU for the change | Gateway → subgraph sockets |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) =>
      r.error
        ? `| ${r.label} | ${r.subscribers.toLocaleString('en')} | failed: ${r.error} | | | | | | | | |`
        : `| ${r.label} | ${r.subscribers.toLocaleString('en')} | ${r.received.toLocaleString('en')} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${kb(r.rssPerSub)} | ${kb(r.heapPerSub)} | ${r.connectCpuUsPerSub.toFixed(0)} µs | ${r.deliveryCpuMs.toFixed(1)} ms | ${r.sockets?.toLocaleString('en') ?? '–'} |`,
    ),
  ];
  const section = [
    '## Subscriptions',
    '',
    'N graphql-ws subscribers of `productChanged(id: "p1")` receive one change, published by the products test',
    'subgraph (`gateway/src/testing`). Baseline: the same clients subscribed straight to the subgraph. Gateway rows:',
    'the clients subscribe through one gateway process (token verified per connection). In the first two gateway',
    'rows all of them send the same operation with the same token, so the gateway holds one upstream subscription',
    'and resolves each event once (the "+ fields from reviews" rows fetch `reviews` from the reviews subgraph per',
    'event). In the "one token each" rows every subscriber has its own token, as every display player does: one',
    'upstream subscription each, nothing shared between viewers. "On shared sockets" (the default,',
    '`SUBSCRIPTION_UPSTREAM_SOCKETS=2`) carries them all on two gateway → products sockets, each operation with its',
    'client\'s token in `extensions.authorization`; "a socket per token" is how the gateway did it before',
    '(`SUBSCRIPTION_UPSTREAM_SOCKETS=0`), not run at 10,000: two sockets per subscriber would pass the 20,000 open',
    'files a process may have here. Subgraphs, gateway and',
    `${CLIENT_PROCESSES} client processes each run in their own process on loopback; every scenario starts fresh processes.`,
    '',
    `- Machine: ${cpu}, nproc ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}-${process.arch}, load average ${run.load} at start`,
    `- Date: ${new Date().toISOString().slice(0, 10)}; the run took ${run.seconds} s`,
    '- Command: `npx tsc -b gateway && node --conditions=source --import ./bench/subscriptions/register.mjs bench/subscriptions/run.ts` (from the repository root)',
    '',
    ...table,
    '',
    'Latency: from `publish` in the subgraph process to the `next` message parsed in a client process (one clock, one',
    'machine), after one unmeasured warm-up change. RSS and heap per subscriber: growth of the serving process (gateway,',
    'or the subgraph for the baseline) from before the clients connected to after all subscribed, after a full GC,',
    "divided by N. CPU / subscribe: that process's CPU time over the same span ÷ N (handshake, token check,",
    'subscribe). CPU for the change: its CPU time from publishing the measured change until every client had it.',
    'The machine has 2 cores shared by every process, so latency includes waiting for a core.',
    '',
    'Reading it: with shared subscriptions the gateway executes each change once per feed and then only serialises',
    'and writes it per subscriber, while the subgraph executes the selection once per subscriber, so the gateway',
    'spends less CPU on a change than the subgraph serving the same clients directly. Without sharing it receives,',
    "resolves (`executeQueryPlan`) and forwards every event separately: about the subgraph's own cost again per",
    'subscriber, on top of it. At these sizes latency is mostly the time to write N frames one after another (the',
    'last subscriber waits for every earlier write), so p50 is about half and p99 about all of that time.',
    'In the "one token each" rows nothing can be shared between viewers: the subgraph resolves the change once per',
    'subscriber and the gateway runs the plan once per subscriber. Shared sockets take away the socket, handshake',
    'and connection state per token (memory and CPU per subscriber), not that work.',
    '',
  ].join('\n');
  const current = readFileSync(RESULTS, 'utf8');
  const start = current.indexOf('## Subscriptions');
  let next: number;
  if (start < 0) next = -1;
  else {
    const after = current.indexOf('\n## ', start + 1);
    next = after < 0 ? current.length : after + 1;
  }
  const updated =
    start < 0 ? `${current.trimEnd()}\n\n${section}` : `${current.slice(0, start)}${section}\n${current.slice(next)}`;
  const options = await resolveConfig(RESULTS);
  writeFileSync(RESULTS, await format(updated, { ...options, parser: 'markdown' }));
}

await main();
