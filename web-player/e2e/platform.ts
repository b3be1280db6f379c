/**
 * Test helpers for the player's browser test: the platform binary started as a user would start it (the same
 * approach as cmd/phub/src/testing/process.ts, copied rather than imported across packages), a GraphQL helper,
 * and a tiny static server for the built player with an optional stand-in for recordPlayback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLAYER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(PLAYER_DIR, '..');
const MAIN = path.join(ROOT, 'cmd/phub/dist/main.js');

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export class PlatformProcess {
  private output = '';
  readonly urls: Record<string, string> = {};

  private constructor(readonly child: ChildProcess) {}

  static async start(target = 'all', env: Record<string, string> = {}): Promise<PlatformProcess> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'phub-player-e2e-'));
    const child = spawn(process.execPath, [MAIN, `--target=${target}`], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        AUTH_PORT: '0',
        LOCATION_PORT: '0',
        CAMPAIGN_PORT: '0',
        PLAYBACK_PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = new PlatformProcess(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`platform did not start in time:\n${proc.output}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        proc.output += chunk.toString();
        for (const line of chunk.toString().split('\n')) {
          if (!line.startsWith('{')) continue;
          try {
            const entry = JSON.parse(line) as { msg?: string; urls?: Record<string, string> };
            if (entry.msg === 'platform ready' && entry.urls) {
              Object.assign(proc.urls, entry.urls);
              clearTimeout(timer);
              resolve();
            }
          } catch {
            // a partial line; the next chunk completes it
          }
        }
      });
      child.stderr!.on('data', (c: Buffer) => (proc.output += c.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`platform exited with ${code}:\n${proc.output}`));
      });
    });
    return proc;
  }

  get logs(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

export async function graphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as Omit<GraphQLResult<T>, 'status'>) };
}

export async function login(gateway: string, email: string): Promise<string> {
  const res = await graphql<{ login: { accessToken: string } }>(
    gateway,
    `
      mutation ($email: String!) {
        login(email: $email, password: "demo-password") {
          accessToken
        }
      }
    `,
    { email },
  );
  if (!res.data?.login) throw new Error(`login failed: ${JSON.stringify(res.errors)}`);
  return res.data.login.accessToken;
}

/** True when `url` answers a graphql-transport-ws upgrade (the gateway's subscription support is there). */
export function acceptsGraphqlWs(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request(url, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        // A key must be 16 random-looking bytes, base64; anything else is refused before the upgrade.
        'Sec-WebSocket-Key': Buffer.from('phub-probe-16byt').toString('base64'),
        'Sec-WebSocket-Protocol': 'graphql-transport-ws',
      },
      timeout: 3000,
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(true);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(false);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

export interface StandIn {
  url: string;
  /** Ids of plays and heartbeats the stand-in recordPlayback accepted. */
  plays: string[];
  heartbeats: string[];
  close(): Promise<void>;
}

/**
 * Serves web-player/dist at /player/ and answers `recordPlayback` at /graphql the way the playback subgraph
 * will (IngestResult: accepts new ids, counts repeated ones as duplicates): a stand-in while that subgraph is unfinished.
 */
export async function startStandIn(): Promise<StandIn> {
  const dist = path.join(PLAYER_DIR, 'dist');
  const seen = new Set<string>();
  const plays: string[] = [];
  const heartbeats: string[] = [];
  const server = http.createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', 'content-type, authorization');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/graphql' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { variables } = JSON.parse(body) as {
          variables: { input: { plays: { id: string }[]; heartbeats: { id: string }[] } };
        };
        let accepted = 0;
        let duplicates = 0;
        for (const e of [...variables.input.plays, ...variables.input.heartbeats]) {
          if (seen.has(e.id)) duplicates++;
          else accepted++;
          seen.add(e.id);
        }
        plays.push(...variables.input.plays.map((p) => p.id));
        heartbeats.push(...variables.input.heartbeats.map((h) => h.id));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { recordPlayback: { accepted, duplicates, rejected: [] } } }));
      });
      return;
    }
    if (url.pathname.startsWith('/player')) {
      let file = path.join(dist, url.pathname.slice('/player'.length) || '/');
      if (!file.startsWith(dist)) return void res.writeHead(403).end();
      if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      return void res.end(readFileSync(file));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    plays,
    heartbeats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
