// Proximity benchmark (issue 15: 5,000 proximity events per second ingested, with p99 from webhook to
// `playlistChanged`). The platform binary (`cmd/phub/dist/main.js --target=all`, as the e2e starts it) runs in its own
// process on a fresh database of the real Postgres; this process is Mist: it posts signed `zone` messages of several
// events each to `POST /webhooks/mist/<tenant>` through the gateway, open loop at the offered event rate, and holds
// one graphql-ws subscriber of `playlistChanged` per probe display (through the gateway, as the e2e does). Probes:
// a zone enter into an empty demo zone whose display a PROXIMITY_ZONE campaign switches, carried inside the load's
// messages; the latency is from sending that message to the subscriber's frame with the campaign in it. Steps, in
// one run: probes alone (no load), the baseline load (same rate and messages, events of mapped sites in unmapped
// zones: signature, parsing, hashing and storage only, no footfall, moment or playlist work), then the full load
// (mapped zones: footfall, presence, moments through the outbox to campaign). Writes the "Proximity" section of
// bench/RESULTS.md.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import pg from 'pg';
import { test } from 'vitest';

import { graphql, login, PlatformProcess } from '../../packages/e2e/src/index.js';
import { DEMO_TENANT_ID } from '../../packages/kit/src/index.js';
import {
  DEMO_MIST_SECRET,
  demoMistSiteId,
  demoMistZoneId,
  MIST_WEBHOOK_PATH,
  signMist,
} from '../../subgraphs/proximity/src/index.js';
import { int, machine, ms, percentile, pidCpuMs, procCpuMs, writeSection } from '../playback/stats.js';
import { cpuMs } from '../subscriptions/ipc.js';

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
/** Offered events per second of the load steps. */
const RATE = env('PROXIMITY_BENCH_RATE', 5000);
/** Events per Mist message (Mist batches a site's events). */
const BATCH = env('PROXIMITY_BENCH_BATCH', 50);
/** Seconds per load step; the probes-only step takes half. */
const SECONDS = env('PROXIMITY_BENCH_SECONDS', 20);
/** HTTP connections the sender keeps open to the gateway (keep-alive; messages queue for a free one). */
const CONNECTIONS = env('PROXIMITY_BENCH_CONNECTIONS', 16);
/** Bench Mist sites (mapped to the six demo stores in turn) and mapped Mist zones per site that carry the load. */
const SITES = env('PROXIMITY_BENCH_SITES', 30);
const ZONES_PER_SITE = env('PROXIMITY_BENCH_ZONES', 4);
/** A folder for the platform's V8 CPU profile of the full step (`proximity-full.cpuprofile`, over its inspector). */
const PROFILE = process.env.PROXIMITY_BENCH_PROFILE;
/** How long answers are awaited after the last send; messages still queued then are abandoned (and counted). */
const GRACE_MS = env('PROXIMITY_BENCH_GRACE_MS', 10_000);
const POSTGRES = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
/** The platform's V8 inspector (started with `--inspect`), for a CPU profile of one step. */
async function inspector(logs: string) {
  const url = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(logs)?.[0];
  if (!url) throw new Error('the platform printed no inspector URL');
  const socket = new (WebSocket as unknown as typeof globalThis.WebSocket)(url);
  await new Promise((resolve, reject) => ((socket.onopen = resolve), (socket.onerror = reject)));
  let id = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.onmessage = (e) => {
    const m = JSON.parse(String(e.data)) as { id?: number; result?: unknown };
    if (m.id !== undefined) pending.get(m.id)?.(m.result);
  };
  const post = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      pending.set(++id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    start: async () => {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 500 });
      await post('Profiler.start');
    },
    stop: async (path: string) => {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(path, JSON.stringify(profile));
      socket.close();
    },
  };
}

const log = (msg: string) => process.stderr.write(`[proximity bench] ${msg}\n`);

// graphql-ws and ws are the binary's dependencies (bench/ has none of its own).
const fromPhub = createRequire(new URL('../../cmd/phub/package.json', import.meta.url));
interface WsClient {
  subscribe(
    payload: { query: string; variables: Record<string, unknown> },
    sink: { next(value: unknown): void; error(err: unknown): void; complete(): void },
  ): () => void;
  dispose(): Promise<void> | void;
}
const { createClient } = fromPhub('graphql-ws') as { createClient(options: Record<string, unknown>): WsClient };
const { WebSocket } = fromPhub('ws') as { WebSocket: unknown };

// Location's deterministic demo ids (subgraphs/location/src/demo/demo-data.ts).
const locationId = (kind: string, n: number) =>
  `00000000-0000-4000-8000-${`${kind}${n.toString(16)}`.padStart(12, '0')}`;
const demoStoreId = (store: number) => locationId('5a', store);
const demoZoneId = (store: number, zone: number) => locationId('a0', store * 16 + zone);
const demoDisplayId = (store: number, display: number) => locationId('d1', store * 16 + display);
const hex12 = (n: number) => n.toString(16).padStart(12, '0');
const benchSiteId = (k: number) => `0000be00-0000-4000-8000-${hex12(k)}`;
const benchZoneId = (k: number, z: number) => `0000be01-0000-4000-8000-${hex12(k * 256 + z)}`;
/** Mist zones of a bench site that no mapping names: the baseline's events (stored, no footfall or moment). */
const unmappedZoneId = (k: number, z: number) => `0000be02-0000-4000-8000-${hex12(k * 256 + z)}`;

/** Probe zones: each demo store's entrance (display 3, "Entrance wall") and queue area (display 4, "Queue screen"). */
const PROBES = [1, 2, 3, 4, 5, 6].flatMap((store) => [
  { store, zone: 1, display: demoDisplayId(store, 3) },
  { store, zone: 4, display: demoDisplayId(store, 4) },
]);
/** A probe zone is entered again at most this often (its exit and the fallback come in between). */
const PROBE_EVERY_MS = 2000;

interface MistEvent {
  site_id: string;
  map_id: string;
  zone_id: string;
  trigger: 'enter' | 'exit';
  timestamp: number;
  type: 'wifi';
  mac: string;
}

interface Probe {
  store: number;
  zone: number;
  display: string;
  campaignId: string;
  state: 'idle' | 'entering' | 'in' | 'leaving' | 'out';
  mac: string;
  sentAt: number;
  nextAt: number;
}

interface StepResult {
  label: string;
  messages: number;
  events: number;
  stored: number;
  duplicates: number;
  rejected: number;
  errors: number;
  /** Messages still unanswered GRACE_MS after the last send, then abandoned. */
  unanswered: number;
  elapsedMs: number;
  webhook: number[];
  probesSent: number;
  probes: number[];
  cpu: { platform: number; driver: number; postgres: number; wallMs: number };
  load: number;
  /** What the bench database's sessions waited on, average count per one-second sample. */
  waits: string;
}

/** POSTs one signed Mist message; resolves with the HTTP status and the per-event answer. */
function postMist(agent: Agent, url: URL, body: string, signal?: AbortSignal) {
  return new Promise<{ status: number; json: { stored?: number; duplicates?: number; rejected?: number } }>(
    (resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Mist-webhook',
            'X-Mist-Signature-v2': signMist(DEMO_MIST_SECRET, body),
          },
          timeout: 60_000,
          signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
            } catch (err) {
              reject(err as Error);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out after 60 s')));
      req.on('error', reject);
      req.end(body);
    },
  );
}

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `phub_proxbench_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: POSTGRES });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function gql<T>(gateway: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await graphql<T>(gateway, query, variables, token);
  if (res.errors?.length || !res.data) throw new Error(JSON.stringify(res.errors ?? res));
  return res.data;
}

/** Maps the bench sites, and makes one LIVE campaign per probe zone as the e2e does (PROXIMITY_ZONE + ZONE). */
async function setup(gateway: string, hq: string): Promise<Probe[]> {
  for (let k = 0; k < SITES; k++) {
    await gql(gateway, hq, `mutation ($i: MapMistSiteInput!) { mapMistSite(input: $i) { mistSiteId } }`, {
      i: {
        mistSiteId: benchSiteId(k),
        storeId: demoStoreId((k % 6) + 1),
        // Zones without displays: footfall and moments, the campaign looks at the store's displays for nothing.
        zones: Array.from({ length: ZONES_PER_SITE }, (_, z) => ({
          mistZoneId: benchZoneId(k, z),
          zoneId: randomUUID(),
        })),
      },
    });
  }
  const creatives = await gql<{ creatives: { edges: { node: { id: string; status: string } }[] } }>(
    gateway,
    hq,
    `{ creatives(first: 20) { edges { node { id status } } } }`,
  );
  const creativeId = creatives.creatives.edges.find((e) => e.node.status === 'READY')!.node.id;
  const probes: Probe[] = [];
  for (const p of PROBES) {
    const zoneId = demoZoneId(p.store, p.zone);
    const { createCampaign } = await gql<{ createCampaign: { id: string } }>(
      gateway,
      hq,
      `mutation ($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
      {
        i: {
          name: `Proximity bench ${p.store}/${p.zone}`,
          priority: 99,
          creativeIds: [creativeId],
          targeting: {
            include: [
              { kind: 'PROXIMITY_ZONE', value: zoneId },
              { kind: 'ZONE', value: zoneId },
            ],
            exclude: [],
          },
        },
      },
    );
    for (const step of ['submitCampaign', 'approveCampaign'])
      await gql(gateway, hq, `mutation ($id: ID!) { ${step}(id: $id) { status } }`, { id: createCampaign.id });
    probes.push({ ...p, campaignId: createCampaign.id, state: 'idle', mac: '', sentAt: 0, nextAt: 0 });
  }
  return probes;
}

test('proximity benchmark', async () => {
  const header = machine();
  const started = Date.now();
  const db = await freshDatabase();
  log(`starting the platform binary on ${db.url}`);
  const clients: WsClient[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const results: StepResult[] = [];
  let platform: PlatformProcess | undefined;
  let closeWatch = async () => {};
  try {
    platform = await PlatformProcess.start('all', {
      DATABASE_URL: db.url,
      ...(PROFILE ? { NODE_OPTIONS: '--inspect=127.0.0.1:0' } : {}),
    });
    const binary = platform;
    const watch = new pg.Client({ connectionString: db.url });
    await watch.connect();
    closeWatch = () => watch.end();
    const gateway = platform.urls.gateway!;
    const webhook = new URL(`${new URL(gateway).origin}${MIST_WEBHOOK_PATH}/${DEMO_TENANT_ID}`);
    const hq = await login(gateway, 'hq@demo.test');
    const probes = await setup(gateway, hq);
    log(`mapped ${SITES} bench sites × ${ZONES_PER_SITE} zones; ${probes.length} probe campaigns LIVE`);

    // One subscriber per probe display, through the gateway; `current: true` sends the playlist first (subscribed).
    let probeSamples: number[] = [];
    let probesSent = 0;
    await Promise.all(
      probes.map(
        (probe) =>
          new Promise<void>((subscribed, failed) => {
            const client = createClient({
              url: gateway.replace(/^http/, 'ws'),
              webSocketImpl: WebSocket,
              connectionParams: { authorization: `Bearer ${hq}` },
              retryAttempts: 5,
            });
            clients.push(client);
            client.subscribe(
              {
                query: `subscription ($d: ID!) { playlistChanged(displayId: $d, current: true) { playlist { items { campaignId } } } }`,
                variables: { d: probe.display },
              },
              {
                next: (value) => {
                  const items = (
                    value as { data?: { playlistChanged?: { playlist: { items: { campaignId: string | null }[] } } } }
                  ).data?.playlistChanged?.playlist.items;
                  if (!items) return;
                  subscribed();
                  const on = items.some((i) => i.campaignId === probe.campaignId);
                  const now = performance.now();
                  if (on && probe.state === 'entering') {
                    probeSamples.push(now - probe.sentAt);
                    probe.state = 'in';
                  } else if (!on && probe.state === 'leaving') {
                    probe.state = 'idle';
                    probe.nextAt = now + PROBE_EVERY_MS * (0.5 + Math.random());
                  }
                },
                error: (err) => failed(err instanceof Error ? err : new Error(JSON.stringify(err))),
                complete: () => {},
              },
            );
          }),
      ),
    );
    log(`${probes.length} probe displays subscribed through the gateway`);

    let macCounter = 0;
    const nextMac = () => hex12(0xbe0000000000 + macCounter++);
    /** Probe events due now: an enter into an idle zone, the exit of a zone whose display switched. */
    const probeEvents = (now: number, at: number): MistEvent[] => {
      const out: MistEvent[] = [];
      for (const p of probes) {
        const base = {
          site_id: demoMistSiteId(p.store),
          map_id: `map-${p.store}`,
          zone_id: demoMistZoneId(p.store, p.zone),
          type: 'wifi' as const,
        };
        if (p.state === 'idle' && now >= p.nextAt) {
          p.mac = nextMac();
          p.state = 'entering';
          p.sentAt = now;
          probesSent++;
          out.push({ ...base, trigger: 'enter', timestamp: at, mac: p.mac });
        } else if (p.state === 'in') {
          p.state = 'leaving';
          out.push({ ...base, trigger: 'exit', timestamp: at, mac: p.mac });
        }
      }
      return out;
    };
    // Load devices: each enters a zone and leaves it a few messages later, so presence stays bounded.
    const present: { site: number; zone: number; mac: string }[] = [];
    const loadEvents = (n: number, mapped: boolean, at: number): MistEvent[] => {
      const out: MistEvent[] = [];
      for (let i = 0; i < n; i++) {
        const leave = present.length > 200 && (i % 2 === 1 || present.length > 2000);
        const d = leave
          ? present.shift()!
          : { site: macCounter % SITES, zone: (macCounter >> 5) % ZONES_PER_SITE, mac: nextMac() };
        if (!leave) present.push(d);
        out.push({
          site_id: benchSiteId(d.site),
          map_id: `map-${d.site}`,
          zone_id: mapped ? benchZoneId(d.site, d.zone) : unmappedZoneId(d.site, d.zone),
          trigger: leave ? 'exit' : 'enter',
          timestamp: at,
          type: 'wifi',
          mac: d.mac,
        });
      }
      return out;
    };

    const step = async (label: string, rate: number, mapped: boolean, seconds: number): Promise<StepResult> => {
      probeSamples = [];
      probesSent = 0;
      present.length = 0;
      for (const p of probes) p.nextAt = 0;
      const messagesPerSecond = rate > 0 ? rate / BATCH : 20; // probes alone: a message whenever one is due
      const ticks = Math.round(messagesPerSecond * seconds);
      const r: StepResult = {
        label,
        messages: 0,
        events: 0,
        stored: 0,
        duplicates: 0,
        rejected: 0,
        errors: 0,
        unanswered: 0,
        elapsedMs: 0,
        webhook: [],
        probesSent: 0,
        probes: [],
        cpu: { platform: 0, driver: 0, postgres: 0, wallMs: 0 },
        load: 0,
        waits: '',
      };
      // What the bench database's sessions are doing or waiting on, once a second while the step sends.
      const waitCounts = new Map<string, number>();
      let waitSamples = 0;
      const sampler = setInterval(() => {
        void watch
          .query(
            `SELECT coalesce(wait_event_type || ':' || wait_event, state) AS w, count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1`,
          )
          .then(({ rows }: { rows: { w: string; n: number }[] }) => {
            waitSamples++;
            for (const row of rows) waitCounts.set(row.w, (waitCounts.get(row.w) ?? 0) + row.n);
          });
      }, 1000);
      const before = {
        platform: pidCpuMs(binary.child.pid!),
        driver: cpuMs(),
        postgres: procCpuMs(['postgres']),
        wall: performance.now(),
      };
      const inFlight = new Set<Promise<void>>();
      const abort = new AbortController();
      let lastAnswer = performance.now();
      let stampMs = 0;
      const t0 = performance.now();
      for (let i = 0; i < ticks; i++) {
        const due = t0 + (i * 1000) / messagesPerSecond;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        const now = performance.now();
        // Mist stamps in epoch seconds with fractions. Each message gets a millisecond of its own: a driver that falls
        // behind sends several messages in one millisecond, and a device's enter and its exit a few messages later
        // would then share (site, zone, device, at) — the idempotency key — and the exit be answered duplicate.
        stampMs = Math.max(Date.now(), stampMs + 1);
        const at = stampMs / 1000;
        const events = [...probeEvents(now, at), ...(rate > 0 ? loadEvents(BATCH, mapped, at) : [])];
        if (!events.length) continue;
        const body = JSON.stringify({ topic: 'zone', events });
        r.messages++;
        r.events += events.length;
        const p = postMist(agent, webhook, body, abort.signal)
          .then(({ status, json }) => {
            lastAnswer = performance.now();
            r.webhook.push(lastAnswer - now);
            if (status !== 200) {
              r.errors++;
              if (r.errors <= 3) log(`message answered ${status}: ${JSON.stringify(json).slice(0, 300)}`);
              return;
            }
            r.stored += json.stored ?? 0;
            r.duplicates += json.duplicates ?? 0;
            r.rejected += json.rejected ?? 0;
          })
          .catch((err: unknown) => {
            if (abort.signal.aborted) return void r.unanswered++;
            r.errors++;
            if (r.errors <= 3) log(`message failed: ${String(err).slice(0, 300)}`);
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      // Open loop: past the offered time plus GRACE_MS, what the platform has not answered is abandoned, not awaited.
      let graceTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(inFlight),
        new Promise((resolve) => (graceTimer = setTimeout(resolve, GRACE_MS))),
      ]);
      clearTimeout(graceTimer);
      clearInterval(sampler);
      r.waits = [...waitCounts]
        .sort((a, b) => b[1] - a[1])
        .map(([w, n]) => `${w} ${(n / Math.max(1, waitSamples)).toFixed(1)}`)
        .join(', ');
      abort.abort();
      await Promise.all(inFlight);
      r.elapsedMs = lastAnswer - t0;
      r.cpu = {
        platform: pidCpuMs(binary.child.pid!) - before.platform,
        driver: cpuMs() - before.driver,
        postgres: procCpuMs(['postgres']) - before.postgres,
        wallMs: performance.now() - before.wall,
      };
      r.load = loadavg()[0]!;
      // Probes still on their way get 10 s more; those that never switch their display count as missing.
      const deadline = performance.now() + 10_000;
      while (probes.some((p) => p.state === 'entering') && performance.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      r.probes = [...probeSamples];
      r.probesSent = probesSent;
      // Leave every probe zone empty before the next step (these exits are sent alone and not measured); a probe
      // that never switched its display is left too.
      const left = probes.filter((p) => p.state === 'in' || p.state === 'entering');
      if (left.length) {
        const at = Date.now() / 1000;
        const exits = left.map((p) => ({
          site_id: demoMistSiteId(p.store),
          map_id: `map-${p.store}`,
          zone_id: demoMistZoneId(p.store, p.zone),
          trigger: 'exit',
          timestamp: at,
          type: 'wifi',
          mac: p.mac,
        }));
        for (const p of left) p.state = 'leaving';
        await postMist(agent, webhook, JSON.stringify({ topic: 'zone', events: exits }));
      }
      const quiet = performance.now() + 10_000;
      while (probes.some((p) => p.state === 'leaving') && performance.now() < quiet)
        await new Promise((resolve) => setTimeout(resolve, 100));
      for (const p of probes) p.state = 'idle';
      const pct = (v: number) => `${Math.round((v / r.cpu.wallMs) * 100)}%`;
      log(
        `${label}: ${int((r.stored / r.elapsedMs) * 1000)} events/s stored of ${int(r.events)} sent (${r.rejected} rejected, ${r.duplicates} duplicates, ${r.errors} errors, ${r.unanswered} messages unanswered), webhook p50 ${ms(percentile(r.webhook, 50))} p99 ${ms(percentile(r.webhook, 99))}; probes ${r.probes.length}/${r.probesSent}, p50 ${ms(percentile(r.probes, 50))} p99 ${ms(percentile(r.probes, 99))}; CPU platform ${pct(r.cpu.platform)}, driver ${pct(r.cpu.driver)}, postgres ${pct(r.cpu.postgres)}; load ${r.load.toFixed(2)}; Postgres sessions: ${r.waits}`,
      );
      return r;
    };

    results.push(await step('probes only, no load', 0, true, Math.max(5, SECONDS / 2)));
    results.push(await step(`baseline: ${int(RATE)}/s offered, unmapped zones (storage only)`, RATE, false, SECONDS));
    const profiler = PROFILE ? await inspector(binary.logs) : undefined;
    await profiler?.start();
    results.push(await step(`full: ${int(RATE)}/s offered, mapped zones (footfall, moments)`, RATE, true, SECONDS));
    await profiler?.stop(join(PROFILE ?? '', 'proximity-full.cpuprofile'));
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    agent.destroy();
    await closeWatch();
    await platform?.stop();
    // The platform's own log (JSON lines), for the errors behind a failed message.
    if (platform) {
      const path = join(tmpdir(), 'proximity-bench-platform.log');
      writeFileSync(path, platform.logs);
      log(`the platform's log: ${path}`);
    }
    await db.drop();
  }

  const [, base, full] = results as [StepResult, StepResult, StepResult];
  const rateOf = (r: StepResult) => (r.stored / r.elapsedMs) * 1000;
  const pct = (r: StepResult, v: 'platform' | 'driver' | 'postgres') =>
    `${Math.round((r.cpu[v] / r.cpu.wallMs) * 100)}%`;
  const cell = (v: number, n: number) => (n ? ms(v) : '–');
  const rows = results.map(
    (r) =>
      `| ${r.label} | ${int(r.messages)} | ${int(r.events)} | ${int(rateOf(r))} | ${int(r.rejected + r.duplicates)} | ${int(r.errors)} | ${int(r.unanswered)} | ${cell(percentile(r.webhook, 50), r.webhook.length)} | ${cell(percentile(r.webhook, 99), r.webhook.length)} | ${r.probes.length}/${r.probesSent} | ${cell(percentile(r.probes, 50), r.probes.length)} | ${cell(percentile(r.probes, 99), r.probes.length)} | ${pct(r, 'platform')} | ${pct(r, 'driver')} | ${pct(r, 'postgres')} | ${r.load.toFixed(1)} |`,
  );
  const body = `Signed Mist \`zone\` messages of ${BATCH} events each, posted open-loop at ${int(RATE)} events/s offered for ${SECONDS} s
per load step to \`POST /webhooks/mist/<tenant>\` through the gateway of the platform binary (\`--target=all\`, its own
process, a fresh database of the real Postgres, in-process pub/sub and the Postgres bus), keep-alive, at most
${CONNECTIONS} connections. Load events: devices entering and, a few messages later, leaving ${SITES} Mist sites mapped to the
six demo stores (${ZONES_PER_SITE} Mist zones each). Probes: an enter into one of 12 empty demo zones (each store's entrance
and queue area) carried in the next load message; a LIVE PROXIMITY_ZONE campaign per zone switches the zone's display,
whose \`playlistChanged\` subscriber (graphql-ws through the gateway) times the frame that has the campaign; the probe's
exit follows once it switched, and the zone is entered again after the fallback (every 1–3 s per zone). Rows: probes
alone (no load: the floor); baseline, the same messages with every event in a Mist zone no mapping names (signature,
parsing, MAC hashing, one multi-row INSERT per message; no footfall, presence, moment or playlist work); full, mapped zones.
"Stored/s": events answered \`stored\` ÷ the time from the first send to the last answer. CPU: CPU time ÷ wall time
(100% = one core) of the platform process, this driver process and all Postgres processes on the machine.

- Machine: ${header}
- Date: ${new Date().toISOString().slice(0, 10)}; the run took ${Math.round((Date.now() - started) / 1000)} s
- Command: \`pnpm bench:proximity\` (from the repository root: \`tsc -b\`, then \`npx vitest run --config bench/proximity/vitest.config.ts\`)

| Step | Messages | Events sent | Stored/s | Rejected + duplicate | Errors | Messages unanswered | webhook p50 | webhook p99 | Probes switched | enter → playlistChanged p50 | p99 | CPU platform | CPU driver | CPU Postgres | load avg after |
| ---- | -------: | ----------: | -------: | -------------------: | -----: | ------------------: | ----------: | ----------: | --------------: | --------------------------: | --: | -----------: | ---------: | -----------: | -------------: |
${rows.join('\n')}

Postgres sessions of the bench database by what they waited on while each step sent (average count per one-second
sample): ${results.map((r) => `${r.label}: ${r.waits || 'none'}`).join('; ')}.

Full ÷ baseline: stored/s ${(rateOf(full) / rateOf(base)).toFixed(2)}×, webhook p99 ${(percentile(full.webhook, 99) / percentile(base.webhook, 99)).toFixed(1)}×.
`;
  await writeSection(new URL('../RESULTS.md', import.meta.url).pathname, body, '## Proximity');
  log('wrote the Proximity section of bench/RESULTS.md');
});
