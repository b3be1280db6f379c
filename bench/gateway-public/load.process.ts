// autocannon in a process of its own (pinned beside the subgraphs), so the load generator's CPU is not the runner's.
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { serve } from '../subscriptions/ipc.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  throughput: { total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  durationS: number;
  /** One GraphQL query, sent as is, or with a variable `n` that changes per request (`distinct`). */
  query?: string;
  distinct?: boolean;
  /** Or these requests in turn (each connection cycles through them): the subgraph fetches of one query. */
  replay?: { path: string; body: string }[];
}

export interface LoadResult {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  errors: number;
  bytesPerResponse: number;
}

async function run(options: LoadOptions): Promise<LoadResult> {
  const base = {
    url: options.url,
    method: 'POST',
    headers: options.headers,
    connections: options.connections,
    duration: options.durationS,
    // k6's default, as the public benchmark uses: a slow answer is latency, not an error.
    timeout: 60,
  };
  let requests: unknown[];
  if (options.replay) {
    requests = options.replay.map(({ path, body }) => ({ method: 'POST', path, body }));
  } else {
    let n = 0;
    const body = () => JSON.stringify({ query: options.query, ...(options.distinct ? { variables: { n: n++ } } : {}) });
    requests = [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: body() }) }];
  }
  const result = await autocannon({ ...base, requests });
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    bytesPerResponse: result.throughput.total / Math.max(1, result.requests.total),
  };
}

export interface LatencyOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Requests in flight at once, each on its own kept-alive connection (closed loop: the next when one answers). */
  connections: number;
  durationS: number;
}

export interface LatencyResult {
  total: number;
  /** In ms, from the microsecond clock (autocannon's are whole milliseconds: too coarse for an overhead). */
  p50: number;
  p99: number;
  errors: number;
}

/** One POST; resolves with its status once the whole answer has arrived. */
function post(agent: Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { agent, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Latency of a light load: each connection sends the same request again as soon as it is answered. */
async function latency(options: LatencyOptions): Promise<LatencyResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL(options.url);
  const samples: number[] = [];
  let errors = 0;
  const end = performance.now() + options.durationS * 1000;
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const status = await post(agent, url, options.headers, options.body).catch(() => 0);
        if (status === 200) samples.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  agent.destroy();
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  return { total: samples.length, p50: at(0.5), p99: at(0.99), errors };
}

serve({ run: (options: LoadOptions) => run(options), latency: (options: LatencyOptions) => latency(options) });
