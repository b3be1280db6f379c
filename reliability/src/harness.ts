/**
 * The reliability suite's harness: the built binary (`cmd/phub/dist/main.js`) started as split targets, one OS
 * process each, on a fresh database of the real Postgres and on a Redis server of the scenario's own, so that
 * a process can be killed with SIGKILL and started again on the same ports while clients keep going.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { graphql, PlatformProcess, type GraphQLResult } from '@phub/e2e';
import { GATEWAY_SECRET_HEADER } from '@phub/kit';
import { createTestDatabase, waitFor } from '@phub/kit/testing';

/** Shared by the gateway and every subgraph process, so tests can also call a subgraph as the gateway does. */
export const SECRET = 'reliability-suite-gateway-secret-0123456789abcdef';

/**
 * The processes of a split deployment. auth, location and queue share one: the kills here are of campaign and
 * playback. The worker runs every domain's timed jobs (schedule boundaries, health sweeps, key rotation); what
 * they publish reaches the subgraphs' subscribers through Redis.
 */
export const PROCESSES = {
  gateway: 'gateway',
  identity: 'auth,location,queue',
  campaign: 'campaign',
  playback: 'playback',
  worker: 'worker',
} as const;
export type ProcessName = keyof typeof PROCESSES;

const SUBGRAPHS = ['auth', 'location', 'campaign', 'playback', 'queue'] as const;
type Subgraph = (typeof SUBGRAPHS)[number];

/** A port nobody listens on right now (the OS picks it; we release it for the process to take). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The kit's `waitFor`, with a message first and defaults for process-level waits (30 s, every 100 ms). */
export function pollUntil<T>(
  message: string,
  condition: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<NonNullable<T>> {
  return waitFor(condition, { message, timeoutMs, intervalMs });
}

/**
 * A redis-server of this scenario's own, on a free port, without persistence: a restart starts it empty, as a
 * crashed cache node comes back. Never the shared one on 6379: other suites use it, and the demo tenant's
 * fixed ids would make pub/sub channels and cache keys of two platforms collide there.
 */
export class RedisServer {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.launch();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 15_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  }

  /** kill -9 and start again on the same port: every key is gone. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}

export interface SplitPlatformOptions {
  /** Extra environment for every process. */
  env?: Record<string, string>;
  /** Extra environment for one process. */
  envOf?: Partial<Record<ProcessName, Record<string, string>>>;
}

/**
 * Gateway, auth+location+queue, campaign, playback and the worker, each its own process of the built binary, on ports fixed up
 * front (a restarted process comes back where the gateway and the other processes look for it), one fresh
 * database on the real Postgres (bus included: no Kafka) and a Redis of their own.
 */
export class SplitPlatform {
  readonly processes = new Map<ProcessName, PlatformProcess>();
  private readonly dataDirs = new Map<ProcessName, string>();

  private constructor(
    readonly databaseUrl: string,
    private readonly dropDatabase: () => Promise<void>,
    readonly redis: RedisServer,
    readonly ports: Record<Subgraph | 'gateway', number>,
    private readonly options: SplitPlatformOptions,
  ) {}

  static async start(options: SplitPlatformOptions = {}): Promise<SplitPlatform> {
    const db = await createTestDatabase();
    let redis: RedisServer | undefined;
    let platform: SplitPlatform | undefined;
    try {
      redis = await RedisServer.start();
      const ports = {
        gateway: await freePort(),
        auth: await freePort(),
        location: await freePort(),
        campaign: await freePort(),
        playback: await freePort(),
        queue: await freePort(),
      };
      platform = new SplitPlatform(db.url, db.drop, redis, ports, options);
      // auth+location+queue first: it creates the demo tenant, and the others fetch its signing keys.
      await platform.startProcess('identity');
      await Promise.all([
        platform.startProcess('campaign'),
        platform.startProcess('playback'),
        platform.startProcess('worker'),
      ]);
      await platform.startProcess('gateway');
      return platform;
    } catch (err) {
      if (platform) await platform.stop();
      else {
        await redis?.stop();
        await db.drop();
      }
      throw err;
    }
  }

  /** GraphQL URL of the gateway. */
  get gateway(): string {
    return `http://127.0.0.1:${this.ports.gateway}/graphql`;
  }

  /** GraphQL URL of a subgraph's own port (reachable only with the gateway secret). */
  subgraph(name: Subgraph): string {
    return `http://127.0.0.1:${this.ports[name]}/graphql`;
  }

  private envOf(name: ProcessName): Record<string, string> {
    const urls = Object.fromEntries(SUBGRAPHS.map((s) => [`SUBGRAPH_${s.toUpperCase()}_URL`, this.subgraph(s)]));
    return {
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redis.url,
      SUBGRAPH_SHARED_SECRET: SECRET,
      PORT: String(this.ports.gateway),
      AUTH_PORT: String(this.ports.auth),
      LOCATION_PORT: String(this.ports.location),
      CAMPAIGN_PORT: String(this.ports.campaign),
      PLAYBACK_PORT: String(this.ports.playback),
      QUEUE_PORT: String(this.ports.queue),
      WORKER_PORT: '0',
      AUTH_JWKS_URL: `http://127.0.0.1:${this.ports.auth}/.well-known/jwks.json`,
      AUTH_URL: `http://127.0.0.1:${this.ports.auth}`,
      // Teardown need not wait for open sockets to drain.
      SHUTDOWN_TIMEOUT_MS: '2000',
      ...(name === 'gateway' ? urls : {}),
      ...this.options.env,
      ...this.options.envOf?.[name],
    };
  }

  /** Starts (or starts again, with the same data folder and ports) one process; resolves when it is ready. */
  async startProcess(name: ProcessName): Promise<PlatformProcess> {
    const running = this.processes.get(name);
    if (running && !running.exited) throw new Error(`${name} is running already`);
    // No KMS here: the worker rotates signing keys with auth's master key, so it shares auth's DATA_DIR (a volume).
    const dataDir = this.dataDirs.get(name) ?? (name === 'worker' ? this.dataDirs.get('identity') : undefined);
    const proc = await PlatformProcess.start(PROCESSES[name], this.envOf(name), dataDir);
    this.dataDirs.set(name, proc.dataDir);
    this.processes.set(name, proc);
    return proc;
  }

  /** kill -9 of one process: whatever it held in memory is gone. */
  async kill(name: ProcessName): Promise<void> {
    await this.processes.get(name)?.kill();
  }

  logsOf(name: ProcessName): string {
    return this.processes.get(name)?.logs ?? '';
  }

  /** Stops every process (kill -9: nothing here needs a graceful end), the Redis server, and drops the database. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.processes.values()].map((p) => p.kill()));
    await this.redis.stop().catch(() => undefined);
    await this.dropDatabase();
  }
}

/** A GraphQL call straight to a subgraph port, carrying the gateway secret (as only the gateway can). */
export async function direct<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [GATEWAY_SECRET_HEADER]: SECRET,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as Omit<GraphQLResult<T>, 'status'>) };
}

/** `data` of a call, or an error naming what failed. */
export function dataOf<T>(res: GraphQLResult<T>, what: string): T {
  if (res.errors?.length || !res.data) throw new Error(`${what} failed: ${JSON.stringify(res.errors ?? res)}`);
  return res.data;
}

/** The first error code of a call (undefined when it succeeded). */
export const codeOf = (res: GraphQLResult<unknown>): string | undefined => res.errors?.[0]?.extensions?.code;

/** Claims of a token, read without verifying (the test only needs the tenant). */
export function claimsOf(token: string): { tid: string; sub: string } {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { tid: string; sub: string };
}

export interface DemoStore {
  id: string;
  name: string;
  displays: { id: string }[];
}

/** Every demo store with its displays, as HQ sees them. */
export async function demoStores(gateway: string, token: string): Promise<DemoStore[]> {
  const res = await graphql<{ stores: { edges: { node: DemoStore }[] } }>(
    gateway,
    `
      {
        stores(first: 50) {
          edges {
            node {
              id
              name
              displays {
                id
              }
            }
          }
        }
      }
    `,
    {},
    token,
  );
  return dataOf(res, 'stores').stores.edges.map((e) => e.node);
}

export interface PlaylistView {
  version: string;
  items: { campaignId: string | null; creativeId: string }[];
}

export const DISPLAY_PLAYLIST = `query ($d: ID!) { displayPlaylist(displayId: $d) { version items { campaignId creativeId } } }`;

/** A report covering every store's "today" (their days are their own time zones': UTC yesterday to tomorrow). */
export function reportWindow(now = Date.now()): { from: string; to: string } {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(now - 86_400_000), to: day(now + 86_400_000) };
}

/** Total plays of the playback report over `reportWindow()`, through the gateway. */
export async function reportedPlays(gateway: string, token: string): Promise<number> {
  const res = await graphql<{ playbackReport: { totals: { plays: number } } }>(
    gateway,
    `
      query ($f: PlaybackReportFilter!) {
        playbackReport(filter: $f) {
          totals {
            plays
          }
        }
      }
    `,
    { f: { ...reportWindow(), groupBy: [] } },
    token,
  );
  return dataOf(res, 'playbackReport').playbackReport.totals.plays;
}
