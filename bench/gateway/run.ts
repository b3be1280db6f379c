// Query throughput through the gateway with inbound in-flight deduplication on and off, in the same run: one
// federated query (products → reviews), sent by 50 connections, the same each time or with a variable that changes
// per request. Every part has its own process; see bench/README.md for the command and bench/RESULTS.md ("Gateway
// queries") for the figures.
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { writeResultsSection } from '../results.js';
import { Child } from '../subscriptions/ipc.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const QUERY = 'query Catalogue { products { id name sku reviews { stars body } } }';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface Row {
  label: string;
  load: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  fetchesPerRequest: number;
  rssMb: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

async function scenario(dedup: boolean, distinct: boolean, supergraphPath: string, expected: string): Promise<Row> {
  const gateway = new Child('gateway', '../subscriptions/gateway.process.ts', {
    BENCH_SUPERGRAPH_PATH: supergraphPath,
    DEDUPLICATE_INFLIGHT_QUERIES: String(dedup),
  });
  try {
    await gateway.ready;
    const { url, token } = await gateway.request<{ url: string; token: string }>('info');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    // The answer is checked byte for byte before it is timed.
    const check = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: QUERY }) });
    const text = await check.text();
    if (text !== expected) throw new Error(`unexpected answer: ${text.slice(0, 200)}`);
    let n = 0;
    const body = (): string => JSON.stringify({ query: QUERY, variables: distinct ? { n: n++ } : {} });
    // Warm-up (plans cached, JIT), then the timed run.
    await autocannon({ url, method: 'POST', headers, body: body(), connections: CONNECTIONS, duration: 2 });
    const before = await gateway.request<number>('fetches');
    const result = await autocannon({
      url,
      method: 'POST',
      headers,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }) }],
    });
    const fetches = (await gateway.request<number>('fetches')) - before;
    const { rss } = await gateway.request<{ rss: number }>('memory');
    return {
      label: dedup ? 'ours, in-flight dedup on' : 'ours, dedup off (baseline)',
      load: distinct ? 'a variable that changes per request' : 'the same query',
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.non2xx,
      fetchesPerRequest: fetches / Math.max(1, result.requests.total),
      rssMb: rss / 1024 / 1024,
    };
  } finally {
    await gateway.kill();
  }
}

async function main(): Promise<void> {
  const subgraphs = new Child('subgraphs', '../subscriptions/subgraphs.process.ts');
  await subgraphs.ready;
  const rows: Row[] = [];
  const load = loadavg()[0]!.toFixed(1);
  try {
    const { supergraphPath } = await subgraphs.request<{ supergraphPath: string }>('info');
    // The expected answer: from the baseline gateway, checked once more against every other configuration.
    const reference = new Child('gateway', '../subscriptions/gateway.process.ts', {
      BENCH_SUPERGRAPH_PATH: supergraphPath,
      DEDUPLICATE_INFLIGHT_QUERIES: 'false',
    });
    await reference.ready;
    const { url, token } = await reference.request<{ url: string; token: string }>('info');
    const expected = await (
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: QUERY }),
      })
    ).text();
    await reference.kill();
    if (!expected.startsWith('{"data":{"products":[')) throw new Error(`reference answer: ${expected.slice(0, 200)}`);
    for (const distinct of [false, true]) {
      for (const dedup of [false, true]) {
        const row = await scenario(dedup, distinct, supergraphPath, expected);
        log(
          `${row.label}, ${row.load}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ` +
            `${row.errors} errors, ${row.fetchesPerRequest.toFixed(2)} fetches/request`,
        );
        rows.push(row);
      }
    }
  } finally {
    await subgraphs.request('cleanup').catch(() => undefined);
    await subgraphs.kill();
  }
  await writeSection(rows, load);
}

async function writeSection(rows: Row[], load: string): Promise<void> {
  const baseline = (r: Row) => rows.find((b) => b.load === r.load && b.label.includes('baseline'))!;
  const table = [
    '| Gateway | Load | RPS | × baseline | p50 ms | p99 ms | errors | subgraph fetches / request | RSS MB |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.load} | ${r.rps.toFixed(0)} | ${(r.rps / baseline(r).rps).toFixed(2)} | ${r.p50} | ` +
        `${r.p99} | ${r.errors} | ${r.fetchesPerRequest.toFixed(2)} | ${r.rssMb.toFixed(0)} |`,
    ),
  ].join('\n');
  const section = [
    '## Gateway queries',
    '',
    `Run: \`pnpm bench:gateway\` (bench/gateway/run.ts), ${new Date().toISOString().slice(0, 10)}, ` +
      `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ` +
      `${load} at the start. The products and reviews test subgraphs (gateway/src/testing) in one process, the ` +
      `gateway in another, autocannon in the runner; ${CONNECTIONS} connections, ${DURATION_S} s per row after ` +
      `a 2 s warm-up; the query \`${QUERY}\` (two subgraph fetches), its answer checked byte for byte first.`,
    '',
    table,
    '',
    'The changing variable (`n`) is one the subgraph fetches do not use: the requests differ, their fetches do not, ' +
      'so the upstream sharing answers them; a variable that reached a subgraph would make distinct fetches. ' +
      "Not yet the issue's benchmark: the public federation benchmark's four subgraphs, plain @apollo/gateway and " +
      'Hive Gateway rows, and pinned cores are still to come; the baseline here is our own gateway with ' +
      '`DEDUPLICATE_INFLIGHT_QUERIES=false`, measured in the same run.',
    '',
  ].join('\n');
  await writeResultsSection(section);
  log(table);
}

await main();
