// Queue subgraph benchmark (issue: 1,000 stores × 5 lines, 500 ticket actions per second sustained, p99 from
// action to subscriber). The queue subgraph runs in its own process (subgraph.process.ts: its tests' harness, a
// fresh database of the real Postgres, pub/sub on the real Redis); this process holds one graphql-ws subscriber
// of `queueUpdated` per store and an open-loop driver that sends clerk actions at a fixed rate over HTTP GraphQL
// (keep-alive, a bounded pool of connections: add a ticket, call next, mark served), matching each action's
// event at its store's subscriber by ticket id and action. Baseline, in the same run: a bare Redis PUBLISH →
// SUBSCRIBE round trip at the same rate (the floor any pub/sub delivery pays). CPU time is read per process
// (subgraph, driver, Postgres's and Redis's processes from /proc), with the SQL statements the subgraph sent per
// action and what Postgres sessions waited on. Writes the "Queue" section of bench/RESULTS.md.
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { Redis } from 'ioredis';
import { test } from 'vitest';

import { TEST_REDIS_URL, waitFor } from '../../packages/kit/src/testing/index.js';
import { int, machine, ms, percentile, procCpuMs, writeSection } from '../playback/stats.js';
import { cpuMs } from '../subscriptions/ipc.js';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const STORES = env('QUEUE_BENCH_STORES', 1000);
const LINES = env('QUEUE_BENCH_LINES', 5);
/** Offered rates, one measured step each, in this order (e.g. "250,500"). */
const RATES = (process.env.QUEUE_BENCH_RATE ?? '500').split(',').map(Number);
const SECONDS = env('QUEUE_BENCH_SECONDS', 30);
/** HTTP connections the driver keeps open to the subgraph (keep-alive; requests queue for a free one). */
const CONNECTIONS = env('QUEUE_BENCH_CONNECTIONS', 32);
/** A folder to write the subgraph's CPU profile of each step to (`.cpuprofile`, for Chrome DevTools). */
const PROFILE = process.env.QUEUE_BENCH_PROFILE;
/**
 * Processes of the queue subgraph on one database, as the deployment runs them (its HorizontalPodAutoscaler keeps
 * at least 2 behind one Service): requests go to them in turn, subscribers to one each by store.
 */
const REPLICAS = env('QUEUE_BENCH_REPLICAS', 1);
const log = (msg: string) => process.stderr.write(`[queue bench] ${msg}\n`);

// graphql-ws and ws are the queue subgraph's dependencies (bench/ has none of its own).
const fromQueue = createRequire(new URL('../../subgraphs/queue/package.json', import.meta.url));
interface WsClient {
  subscribe(
    payload: { query: string; variables: Record<string, unknown> },
    sink: { next(value: unknown): void; error(err: unknown): void; complete(): void },
  ): () => void;
  dispose(): Promise<void> | void;
}
const { createClient } = fromQueue('graphql-ws') as {
  createClient(options: Record<string, unknown>): WsClient;
};
const { WebSocket } = fromQueue('ws') as { WebSocket: unknown };

/** The subgraph's process (subgraph.process.mjs, plain Node on the build), answering requests over IPC. */
class Server {
  private readonly process: ChildProcess;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  readonly ready: Promise<void>;

  constructor(env: NodeJS.ProcessEnv = {}) {
    this.process = fork(fileURLToPath(new URL('./subgraph.process.mjs', import.meta.url)), [], {
      execArgv: ['--max-old-space-size=4096'],
      env: { ...process.env, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let started: () => void;
    let failed: (e: Error) => void;
    this.ready = new Promise((resolve, reject) => ((started = resolve), (failed = reject)));
    this.process.on('message', (reply: { id: number; result?: unknown; error?: string }) => {
      if (reply.id === 0) return started();
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) waiter?.reject(new Error(`queue subgraph: ${reply.error}`));
      else waiter?.resolve(reply.result);
    });
    this.process.on('exit', (code) => {
      failed(new Error(`the queue subgraph exited with ${code}`));
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the queue subgraph exited with ${code}`));
      this.pending.clear();
    });
  }

  request<T>(type: string, args?: unknown, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`queue subgraph: ${type} timed out`)), timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.process.send({ id, type, args });
    });
  }

  async kill(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGKILL');
    await exited;
  }
}

interface Line {
  id: string;
  store: string;
  waiting: string[];
  called: string[];
}

interface Sample {
  sentAt: number;
  answeredAt?: number;
  deliveredAt?: number;
}

/** Runs `send` RATE times per second for SECONDS (open loop: the schedule does not wait for answers). */
async function openLoop(
  rate: number,
  send: (i: number) => Promise<void>,
): Promise<{ sent: number; elapsedMs: number }> {
  const total = rate * SECONDS;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const p = send(i).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return { sent: total, elapsedMs: performance.now() - started };
}

interface Cpu {
  subgraph: number;
  driver: number;
  postgres: number;
  redis: number;
  wallMs: number;
}

const summary = (label: string, samples: Sample[], sent: number, elapsedMs: number, errors: number, cpu?: Cpu) => {
  const answered = samples.filter((s) => s.answeredAt !== undefined).map((s) => s.answeredAt! - s.sentAt);
  const delivered = samples.filter((s) => s.deliveredAt !== undefined).map((s) => s.deliveredAt! - s.sentAt);
  return {
    label,
    sent,
    // Actions answered without error per second, from the first send to the last answer.
    rate: (answered.length / elapsedMs) * 1000,
    errors,
    answerP50: percentile(answered, 50),
    answerP99: percentile(answered, 99),
    delivered: delivered.length,
    deliveredP50: percentile(delivered, 50),
    deliveredP99: percentile(delivered, 99),
    deliveredMax: delivered.reduce((a, b) => Math.max(a, b), 0),
    cpu,
  };
};
type Summary = ReturnType<typeof summary>;

async function redisBaseline(rate: number) {
  const pub = new Redis(TEST_REDIS_URL);
  const sub = new Redis(TEST_REDIS_URL);
  const samples = new Map<string, Sample>();
  const channel = `queue-bench:${Date.now()}`;
  await sub.subscribe(channel);
  sub.on('message', (_c, message: string) => {
    const s = samples.get(message);
    if (s) s.deliveredAt = performance.now();
  });
  const { sent, elapsedMs } = await openLoop(rate, async (i) => {
    const s: Sample = { sentAt: performance.now() };
    samples.set(String(i), s);
    await pub.publish(channel, String(i));
    s.answeredAt = performance.now();
  });
  await waitFor(() => [...samples.values()].every((s) => s.deliveredAt !== undefined), { timeoutMs: 10_000 });
  await Promise.all([pub.quit(), sub.quit()]);
  return summary(`Redis PUBLISH → SUBSCRIBE (baseline, ${rate}/s)`, [...samples.values()], sent, elapsedMs, 0);
}

// undici (the kit's HTTP client) for the driver: its requests cost the driver about half of node:http's CPU, and
// the driver shares the machine's two cores with what it measures.
const fromKit = createRequire(new URL('../../packages/kit/package.json', import.meta.url));
interface HttpPool {
  request(options: {
    path: string;
    method: 'POST';
    headers: Record<string, string>;
    body: string;
    headersTimeout: number;
    bodyTimeout: number;
  }): Promise<{ statusCode: number; body: { json(): Promise<unknown> } }>;
  destroy(): Promise<void>;
}
const { Pool } = fromKit('undici') as {
  Pool: new (origin: string, options: { connections: number; keepAliveTimeout: number }) => HttpPool;
};

/** POSTs one GraphQL operation on the driver's keep-alive pool; rejects on HTTP or GraphQL errors. */
async function graphql(pool: HttpPool, url: URL, bearer: string, query: string, variables: Record<string, unknown>) {
  const { body } = await pool.request({
    path: url.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query, variables }),
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
  });
  const json = (await body.json()) as { data?: Record<string, { id: string } | null>; errors?: unknown[] };
  if (json.errors?.length || !json.data) throw new Error(JSON.stringify(json.errors ?? json));
  return json.data;
}

async function queueRun(servers: Server[]): Promise<{ rows: Summary[]; statements: string[]; waits: string }> {
  const server = servers[0]!;
  log(`publishing ${STORES} stores and creating ${STORES * LINES} lines`);
  const setup = await server.request<{
    url: string;
    admin: string;
    lines: { id: string; store: string }[];
    join: unknown;
  }>('setup', { stores: STORES, lines: LINES }, 600_000);
  // The other replicas join the first one's database, keys and lines.
  for (let r = 1; r < REPLICAS; r++) {
    const replica = new Server({ QUEUE_BENCH_JOIN: JSON.stringify(setup.join) });
    servers.push(replica);
    await replica.ready;
  }
  const urls = [new URL(setup.url)];
  for (const replica of servers.slice(1)) urls.push(new URL(await replica.request<string>('url')));
  if (REPLICAS > 1) log(`${REPLICAS} replicas of the subgraph: ${urls.map((u) => u.port).join(', ')}`);
  const lines: Line[] = setup.lines.map((l) => ({ ...l, waiting: [], called: [] }));
  // The driver's connections, shared out between the replicas (a Service's round robin).
  const pools = urls.map(
    (u) => new Pool(u.origin, { connections: Math.ceil(CONNECTIONS / urls.length), keepAliveTimeout: 60_000 }),
  );
  let bearer = setup.admin;
  let turn = 0;
  const gql = (query: string, variables: Record<string, unknown>) => {
    const r = turn++ % urls.length;
    return graphql(pools[r]!, urls[r]!, bearer, query, variables);
  };
  const allCpu = async () => {
    let total = 0;
    for (const s of servers) total += await s.request<number>('cpu');
    return total;
  };
  const add = (line: Line) => gql(`mutation($l: ID!) { addTicket(input: { lineId: $l }) { id } }`, { l: line.id });

  log(`subscribing one client per store`);
  // Setting up thousands of lines can outlast a token (10 minutes at most): a fresh one for the subscribers.
  bearer = await server.request<string>('token');
  // Events are matched as they arrive, so 1,000 subscribers hold no backlog.
  let samples = new Map<string, Sample>();
  // Events heard before their action's answer was read (a call's or an add's ticket id comes with the answer):
  // when each was heard, for the sample recorded after it.
  let early = new Map<string, number>();
  const recordAnswer = (key: string, sample: Sample) => {
    samples.set(key, sample);
    const heardAt = early.get(key);
    if (heardAt !== undefined) {
      sample.deliveredAt = heardAt;
      early.delete(key);
    }
  };
  const heard = new Set<string>();
  const clients: WsClient[] = [];
  let failedSubscriptions = 0;
  const stores = [...new Set(lines.map((l) => l.store))];
  // Fifty connections at a time, each batch acknowledged (connection_ack) before the next: a thousand handshakes at
  // once (a token check each) overran graphql-ws's 3 s wait for connection_init on this 2-core machine.
  for (let k = 0; k < stores.length; k += 50) {
    await Promise.all(
      stores.slice(k, k + 50).map(
        (store) =>
          new Promise<void>((connected) => {
            const client = createClient({
              url: urls[stores.indexOf(store) % urls.length]!.href.replace(/^http/, 'ws'),
              webSocketImpl: WebSocket,
              connectionParams: { authorization: `Bearer ${bearer}` },
              lazy: false,
              retryAttempts: 5,
              on: { connected: () => connected() },
            });
            clients.push(client);
            client.subscribe(
              {
                query: `subscription($s: ID!) { queueUpdated(storeId: $s) { action ticket { id } } }`,
                variables: { s: store },
              },
              {
                next: (value) => {
                  const e = (value as { data?: { queueUpdated?: { action: string; ticket: { id: string } } } }).data
                    ?.queueUpdated;
                  if (!e) return;
                  heard.add(store);
                  const key = `${e.ticket.id}:${e.action}`;
                  const s = samples.get(key);
                  if (!s) early.set(key, performance.now());
                  else if (s.deliveredAt === undefined) s.deliveredAt = performance.now();
                },
                error: (err) => {
                  connected(); // given up: counted, and the next batch goes on
                  const e = err as { code?: number; reason?: string; message?: string };
                  if (!failedSubscriptions++) {
                    log(`subscription of ${store} failed: ${e.code ?? ''} ${e.reason ?? e.message ?? ''}`);
                  }
                },
                complete: () => {},
              },
            );
          }),
      ),
    );
  }
  // A subscriber is listening once a change of its store reaches it: add a ticket to each silent store until all hear.
  const firstLines = lines.filter((_, i) => i % LINES === 0);
  await waitFor(
    async () => {
      const silent = firstLines.filter((l) => !heard.has(l.store));
      for (let k = 0; k < silent.length; k += CONNECTIONS) {
        await Promise.all(
          silent.slice(k, k + CONNECTIONS).map(async (line) => line.waiting.push((await add(line)).addTicket!.id)),
        );
      }
      if (silent.length) await new Promise((resolve) => setTimeout(resolve, 500));
      return silent.length === 0;
    },
    { timeoutMs: 120_000, message: 'every subscriber' },
  );

  const rows: Summary[] = [];
  let statements: string[] = [];
  const waitCounts = new Map<string, number>();
  let waitSamples = 0;
  for (const rate of RATES) {
    samples = new Map();
    early = new Map();
    let errors = 0;
    bearer = await server.request<string>('token');
    for (const s of servers) await s.request('resetStatements');
    if (PROFILE) await server.request('profileStart');
    const before = {
      subgraph: await allCpu(),
      driver: cpuMs(),
      postgres: procCpuMs(['postgres']),
      redis: procCpuMs(['redis-server']),
      wall: performance.now(),
    };
    // What the bench database's sessions wait on, once a second.
    const sampler = setInterval(() => {
      void server.request<{ w: string; n: number }[]>('waits').then((rows) => {
        waitSamples++;
        for (const r of rows) waitCounts.set(r.w, (waitCounts.get(r.w) ?? 0) + r.n);
      });
    }, 1000);
    log(`driving ${rate} actions/s for ${SECONDS} s over ${CONNECTIONS} connections`);
    const { sent, elapsedMs } = await openLoop(rate, async (i) => {
      const line = lines[(i * 7919) % lines.length]!;
      try {
        const sentAt = performance.now();
        // Serve what was called, call what waits, else add: each line cycles through the ticket life.
        if (line.called.length) {
          const id = line.called.shift()!;
          const s: Sample = { sentAt };
          samples.set(`${id}:SERVED`, s);
          await gql(`mutation($id: ID!) { markTicketServed(id: $id) { id } }`, { id });
          s.answeredAt = performance.now();
        } else if (line.waiting.length && i % 2 === 0) {
          line.waiting.shift();
          const data = await gql(`mutation($l: ID!) { callNext(lineId: $l) { id } }`, { l: line.id });
          const id = data.callNext?.id;
          if (id) {
            recordAnswer(`${id}:CALLED`, { sentAt, answeredAt: performance.now() });
            line.called.push(id);
          }
        } else {
          const data = await add(line);
          const id = data.addTicket!.id;
          recordAnswer(`${id}:CREATED`, { sentAt, answeredAt: performance.now() });
          line.waiting.push(id);
        }
      } catch (err) {
        errors++;
        if (errors <= 3) log(`action failed: ${String(err).slice(0, 300)}`);
      }
    });
    clearInterval(sampler);
    const cpu: Cpu = {
      subgraph: (await allCpu()) - before.subgraph,
      driver: cpuMs() - before.driver,
      postgres: procCpuMs(['postgres']) - before.postgres,
      redis: procCpuMs(['redis-server']) - before.redis,
      wallMs: performance.now() - before.wall,
    };
    if (PROFILE) {
      const path = `${PROFILE}/queue-${rate}.cpuprofile`;
      await server.request('profileStop', { path });
      log(`wrote ${path}`);
    }
    await waitFor(() => [...samples.values()].every((s) => s.deliveredAt !== undefined), {
      timeoutMs: 15_000,
    }).catch(() => log('some events were not delivered within 15 s'));
    const row = summary(
      `queue: clerk actions over GraphQL → queueUpdated, ${rate}/s offered${REPLICAS > 1 ? `, ${REPLICAS} replicas` : ''}`,
      [...samples.values()],
      sent,
      elapsedMs,
      errors,
      cpu,
    );
    rows.push(row);
    const pct = (v: number) => `${Math.round((v / cpu.wallMs) * 100)}%`;
    const per = (v: number) => `${(v / Math.max(1, row.sent - errors)).toFixed(2)} ms/action`;
    log(
      `${rate}/s: ${row.rate.toFixed(0)}/s answered, ${errors} errors, answer p50 ${ms(row.answerP50)} p99 ${ms(row.answerP99)}, delivered p99 ${ms(row.deliveredP99)}; CPU subgraph ${pct(cpu.subgraph)} (${per(cpu.subgraph)}), driver ${pct(cpu.driver)}, postgres ${pct(cpu.postgres)} (${per(cpu.postgres)}), redis ${pct(cpu.redis)}; load average ${loadavg()[0]!.toFixed(2)}`,
    );
    // Every replica's statements, by text.
    const merged = new Map<string, { text: string; calls: number; ms: number }>();
    for (const s of servers) {
      const part = await s.request<{ statements: { text: string; calls: number; ms: number }[] }>('stats');
      for (const st of part.statements) {
        const m = merged.get(st.text) ?? { text: st.text, calls: 0, ms: 0 };
        merged.set(st.text, { text: st.text, calls: m.calls + st.calls, ms: m.ms + st.ms });
      }
    }
    const stats = { statements: [...merged.values()].sort((a, b) => b.ms - a.ms) };
    const answered = Math.max(1, row.sent - errors);
    const total = stats.statements.reduce((a, s) => a + s.calls, 0);
    statements = [
      `${(total / answered).toFixed(1)} statements per action (${int(total)} in all, subgraph + outbox relay + bus)`,
      ...stats.statements
        .slice(0, 25)
        .map((s) => `${(s.calls / answered).toFixed(2)}/action, ${(s.ms / s.calls).toFixed(2)} ms each: ${s.text}`),
    ];
    for (const line of statements) log(`  ${line}`);
  }
  const tables = await server.request<unknown>('tables');
  log(`tables: ${JSON.stringify(tables)}`);
  const waits = [...waitCounts]
    .sort((a, b) => b[1] - a[1])
    .map(([w, n]) => `${w} ${(n / Math.max(1, waitSamples)).toFixed(1)}`)
    .join(', ');
  log(`Postgres sessions by wait (average per sample): ${waits}`);
  await Promise.all(clients.map((c) => c.dispose()));
  await Promise.all(pools.map((p) => p.destroy()));
  return { rows, statements, waits };
}

test('queue benchmark', async () => {
  const header = machine();
  const started = Date.now();
  const baseline = await redisBaseline(Math.max(...RATES));
  log(`baseline: p99 ${ms(baseline.deliveredP99)}`);
  const servers = [new Server()];
  let result: Awaited<ReturnType<typeof queueRun>>;
  try {
    await servers[0]!.ready;
    result = await queueRun(servers);
    // The first replica last: it drops the database.
    for (const s of [...servers].reverse()) await s.request('stop', undefined, 120_000);
  } finally {
    await Promise.all(servers.map((s) => s.kill()));
  }
  const pct = (r: Summary, v: keyof Omit<Cpu, 'wallMs'>) =>
    r.cpu ? `${Math.round((r.cpu[v] / r.cpu.wallMs) * 100)}%` : '–';
  const rows = [baseline, ...result.rows].map(
    (r) =>
      `| ${r.label} | ${int(r.sent)} | ${int(r.rate)} | ${int(r.errors)} | ${ms(r.answerP50)} | ${ms(r.answerP99)} | ${int(r.delivered)} | ${ms(r.deliveredP50)} | ${ms(r.deliveredP99)} | ${ms(r.deliveredMax)} | ${(r.deliveredP99 / baseline.deliveredP99).toFixed(1)}× | ${pct(r, 'subgraph')} | ${pct(r, 'driver')} | ${pct(r, 'postgres')} |`,
  );
  const body = `${STORES.toLocaleString('en-GB')} stores × ${LINES} lines (${int(STORES * LINES)} lines), one graphql-ws subscriber of
\`queueUpdated(storeId)\` per store, clerk actions sent open-loop at the offered rate for ${SECONDS} s each (add a ticket,
call next, mark served, in turn per line, spread over every line) as HQ admin over HTTP GraphQL (keep-alive, at most
${CONNECTIONS} connections) to the queue subgraph in its own process (fresh database of the real Postgres, pub/sub on
the real Redis, outbox relay to the Postgres bus running, no gateway)${REPLICAS > 1 ? `; ${REPLICAS} replicas (processes) of it on one database, requests to them in turn and each store's subscriber on one of them, as the deployment runs at least 2 behind one Service` : ''}. The driver and the 1,000 subscribers share one
other process. "Actions/s" counts answered actions from the first send to the last answer; "Delivered" matches each
action's event at its store's subscriber by ticket id and action; latencies are from sending the action. CPU columns
are CPU time over wall time (100% = one core) of the subgraph's process(es), the driver process and all of Postgres's
processes. Baseline in the same run: bare Redis PUBLISH → SUBSCRIBE at the highest offered rate with ioredis.

- Machine: ${header}
- Date: ${new Date().toISOString().slice(0, 10)}; the run took ${Math.round((Date.now() - started) / 1000)} s
- Command: \`npx vitest run --config bench/queue/vitest.config.ts\` (from the repository root)

| Path | Actions | Actions/s | Errors | answer p50 | answer p99 | Delivered | delivery p50 | delivery p99 | max | p99 vs baseline | CPU subgraph | CPU driver | CPU Postgres |
| ---- | ------: | --------: | -----: | ---------: | ---------: | --------: | -----------: | -----------: | --: | --------------: | -----------: | ---------: | -----------: |
${rows.join('\n')}

SQL the subgraph sent during the last step (its pool, the outbox relay and the Postgres bus; per answered action):

${result.statements
  .slice(0, 12)
  .map((s) => `- ${s.replace(/\|/g, '\\|')}`)
  .join('\n')}

Postgres sessions of the bench database by what they waited on (average count per one-second sample): ${result.waits || 'none'}.
`;
  await writeSection(new URL('../RESULTS.md', import.meta.url).pathname, body, '## Queue');
  log('wrote the Queue section of bench/RESULTS.md');
});
