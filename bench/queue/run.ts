// Queue subgraph benchmark (issue: 1,000 stores × 5 lines, 500 ticket actions per second sustained, p99 from
// action to subscriber). The queue subgraph runs in process on a fresh database of the real Postgres with pub/sub on
// the real Redis (the harness of its tests); one graphql-ws subscriber per store listens to `queueUpdated`. An
// open-loop driver sends clerk actions at a fixed rate over HTTP GraphQL (add a ticket, call next, mark served) and
// each action's subscriber event is matched by ticket id and action. Baseline, in the same run: a bare Redis
// PUBLISH → SUBSCRIBE round trip at the same rate (the floor any pub/sub delivery pays). Writes the "Queue" section
// of bench/RESULTS.md.
import { performance } from 'node:perf_hooks';

import { Redis } from 'ioredis';
import { test } from 'vitest';

import { DEMO_TENANT_ID } from '../../packages/kit/src/index.js';
import { TEST_REDIS_URL, waitFor } from '../../packages/kit/src/testing/index.js';
import { startQueue, type QueueHarness } from '../../subgraphs/queue/src/testing/harness.js';
import { int, machine, ms, percentile, writeSection } from '../playback/stats.js';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const STORES = env('QUEUE_BENCH_STORES', 1000);
const LINES = env('QUEUE_BENCH_LINES', 5);
const RATE = env('QUEUE_BENCH_RATE', 500);
const SECONDS = env('QUEUE_BENCH_SECONDS', 30);
const log = (msg: string) => process.stderr.write(`[queue bench] ${msg}\n`);
const hex12 = (n: number) => n.toString(16).padStart(12, '0');
const storeId = (n: number) => `be0c0000-0000-4000-8000-${hex12(n)}`;
// Open every day 00:00–23:59 in the store's zone (location's hours end by 23:59): the benchmark runs at any hour but that minute.
const ALWAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((day) => ({
  day,
  opens: '00:00',
  closes: '23:59',
}));

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
async function openLoop(send: (i: number) => Promise<void>): Promise<{ sent: number; elapsedMs: number }> {
  const total = RATE * SECONDS;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const p = send(i).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  return { sent: total, elapsedMs: performance.now() - started };
}

const summary = (label: string, samples: Sample[], sent: number, elapsedMs: number, errors: number) => {
  const answered = samples.filter((s) => s.answeredAt !== undefined).map((s) => s.answeredAt! - s.sentAt);
  const delivered = samples.filter((s) => s.deliveredAt !== undefined).map((s) => s.deliveredAt! - s.sentAt);
  return {
    label,
    sent,
    rate: (sent / elapsedMs) * 1000,
    errors,
    answerP50: percentile(answered, 50),
    answerP99: percentile(answered, 99),
    delivered: delivered.length,
    deliveredP50: percentile(delivered, 50),
    deliveredP99: percentile(delivered, 99),
    deliveredMax: Math.max(...delivered),
  };
};

async function redisBaseline() {
  const pub = new Redis(TEST_REDIS_URL);
  const sub = new Redis(TEST_REDIS_URL);
  const samples = new Map<string, Sample>();
  const channel = `queue-bench:${Date.now()}`;
  await sub.subscribe(channel);
  sub.on('message', (_c, message: string) => {
    const s = samples.get(message);
    if (s) s.deliveredAt = performance.now();
  });
  const { sent, elapsedMs } = await openLoop(async (i) => {
    const s: Sample = { sentAt: performance.now() };
    samples.set(String(i), s);
    await pub.publish(channel, String(i));
    s.answeredAt = performance.now();
  });
  await waitFor(() => [...samples.values()].every((s) => s.deliveredAt !== undefined), { timeoutMs: 10_000 });
  await Promise.all([pub.quit(), sub.quit()]);
  return summary('Redis PUBLISH → SUBSCRIBE (baseline)', [...samples.values()], sent, elapsedMs, 0);
}

async function queueRun(h: QueueHarness) {
  const admin = await h.token('hqAdmin');
  log(`publishing ${STORES} stores`);
  for (let i = 0; i < STORES; i++) await h.publishStore(storeId(i), DEMO_TENANT_ID, 'Europe/London', ALWAYS);
  await waitFor(async () => (await h.count('known_store', `"id"::text LIKE 'be0c%'`)) >= STORES, {
    timeoutMs: 120_000,
    message: 'the store projection',
  });
  log(`creating ${STORES * LINES} lines`);
  const lines: Line[] = [];
  for (let i = 0; i < STORES; i++) {
    const ids = await Promise.all(
      Array.from({ length: LINES }, (_, l) => h.createLine(storeId(i), { prefix: 'ABCDE'[l % 5], capacity: 10_000 })),
    );
    for (const id of ids) lines.push({ id, store: storeId(i), waiting: [], called: [] });
  }
  log(`subscribing one client per store`);
  const samples = new Map<string, Sample>();
  const subs = Array.from({ length: STORES }, (_, i) => {
    const sub = h.subscribe<{ queueUpdated: { action: string; ticket: { id: string } } }>(
      `subscription($s: ID!) { queueUpdated(storeId: $s) { action ticket { id } } }`,
      { s: storeId(i) },
      admin,
    );
    return sub;
  });
  // A subscriber is listening once a change of its store reaches it: add a ticket to each silent store until all hear.
  const firstLines = lines.filter((_, i) => i % LINES === 0);
  await waitFor(
    async () => {
      const silent = firstLines.filter((_, i) => subs[i]!.events.length === 0);
      await Promise.all(silent.map(async (line) => line.waiting.push(await h.addTicket(line.id, {}, 'hqAdmin'))));
      if (silent.length) await new Promise((resolve) => setTimeout(resolve, 500));
      return silent.length === 0;
    },
    { timeoutMs: 120_000, message: 'every subscriber' },
  );
  // Events are matched as they arrive (every 2 ms) and dropped, so 1,000 subscribers hold no backlog.
  const poll = setInterval(() => {
    for (const sub of subs) {
      for (let k = 0; k < sub.events.length; k++) {
        const e = sub.events[k]!.data?.queueUpdated;
        if (!e) continue;
        const s = samples.get(`${e.ticket.id}:${e.action}`);
        if (s && s.deliveredAt === undefined) s.deliveredAt = performance.now();
      }
      sub.events.length = 0;
    }
  }, 2);
  let errors = 0;
  const gql = async (query: string, variables: Record<string, unknown>) => {
    const res = await h.gql<Record<string, { id: string } | null>>(query, variables, admin);
    if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  };
  log(`driving ${RATE} actions/s for ${SECONDS} s`);
  const { sent, elapsedMs } = await openLoop(async (i) => {
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
          samples.set(`${id}:CALLED`, { sentAt, answeredAt: performance.now() });
          line.called.push(id);
        }
      } else {
        const data = await gql(`mutation($l: ID!) { addTicket(input: { lineId: $l }) { id } }`, { l: line.id });
        const id = data.addTicket!.id;
        samples.set(`${id}:CREATED`, { sentAt, answeredAt: performance.now() });
        line.waiting.push(id);
      }
    } catch (err) {
      errors++;
      if (errors <= 3) log(`action failed: ${String(err).slice(0, 300)}`);
    }
  });
  await waitFor(() => [...samples.values()].every((s) => s.deliveredAt !== undefined), { timeoutMs: 15_000 }).catch(
    () => log('some events were not delivered within 15 s'),
  );
  clearInterval(poll);
  await Promise.all(subs.map((s) => s.close()));
  return summary(`queue: clerk actions over GraphQL → queueUpdated`, [...samples.values()], sent, elapsedMs, errors);
}

test('queue benchmark', async () => {
  const header = machine();
  const started = Date.now();
  const baseline = await redisBaseline();
  log(`baseline: p99 ${ms(baseline.deliveredP99)}`);
  const h = await startQueue();
  let queue: ReturnType<typeof summary>;
  try {
    queue = await queueRun(h);
  } finally {
    await h.stop();
  }
  const rows = [baseline, queue].map(
    (r) =>
      `| ${r.label} | ${int(r.sent)} | ${int(r.rate)} | ${int(r.errors)} | ${ms(r.answerP50)} | ${ms(r.answerP99)} | ${int(r.delivered)} | ${ms(r.deliveredP50)} | ${ms(r.deliveredP99)} | ${ms(r.deliveredMax)} | ${(r.deliveredP99 / baseline.deliveredP99).toFixed(1)}× |`,
  );
  const body = `${STORES.toLocaleString('en-GB')} stores × ${LINES} lines (${int(STORES * LINES)} lines), one graphql-ws subscriber of
\`queueUpdated(storeId)\` per store, clerk actions sent open-loop at ${RATE} per second for ${SECONDS} s (add a ticket,
call next, mark served, in turn per line, spread over every line) as HQ admin over HTTP GraphQL to the queue subgraph
(in process, fresh database of the real Postgres, pub/sub on the real Redis, no gateway). "Delivered" matches each
action's event at its store's subscriber by ticket id and action; latencies are from sending the action. Baseline in
the same run: bare Redis PUBLISH → SUBSCRIBE at the same rate with ioredis.

- Machine: ${header}
- Date: ${new Date().toISOString().slice(0, 10)}; the run took ${Math.round((Date.now() - started) / 1000)} s
- Command: \`npx vitest run --config bench/queue/vitest.config.ts\` (from the repository root)

| Path | Actions | Actions/s | Errors | answer p50 | answer p99 | Delivered | delivery p50 | delivery p99 | max | p99 vs baseline |
| ---- | ------: | --------: | -----: | ---------: | ---------: | --------: | -----------: | -----------: | --: | --------------: |
${rows.join('\n')}
`;
  await writeSection(new URL('../RESULTS.md', import.meta.url).pathname, body, '## Queue');
  log('wrote the Queue section of bench/RESULTS.md');
});
