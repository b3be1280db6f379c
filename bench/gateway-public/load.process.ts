// autocannon in a process of its own (pinned beside the subgraphs), so the load generator's CPU is not the runner's.
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

serve({ run: (options: LoadOptions) => run(options) });
