/**
 * End-to-end helpers shared by the binary's tests (cmd/phub) and the browser tests (web-player, web-hq): the
 * platform binary started as a user starts it, on free ports and a fresh data folder; GraphQL over fetch;
 * Debian's Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/** The repository root (this file is packages/e2e/{src,dist}/index.*). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MAIN = path.join(ROOT, 'cmd/phub/dist/main.js');
/** How long the binary may take to be ready; a loaded CI machine may need more (E2E_START_TIMEOUT_MS). */
const START_TIMEOUT_MS = Number(process.env.E2E_START_TIMEOUT_MS) || 180_000;

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** The built binary (`cmd/phub/dist/main.js`), started as a user would start it, on free ports. */
export class PlatformProcess {
  private output = '';
  /** Service URLs the platform logged when ready: `gateway` is the graph, `player` and `hq` the web apps. */
  readonly urls: Record<string, string> = {};

  private constructor(
    readonly child: ChildProcess,
    readonly dataDir: string,
  ) {}

  static async start(
    target = 'all',
    env: Record<string, string> = {},
    dataDir = mkdtempSync(path.join(tmpdir(), 'phub-e2e-')),
  ): Promise<PlatformProcess> {
    const child = spawn(process.execPath, [MAIN, `--target=${target}`], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        // A faked clock (scripts/test-at-hours.sh runs everything under libfaketime) reaches the platform too.
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(FAKETIME\w*|LD_PRELOAD|TZ)$/.test(k))),
        PORT: '0',
        AUTH_PORT: '0',
        LOCATION_PORT: '0',
        CAMPAIGN_PORT: '0',
        PLAYBACK_PORT: '0',
        QUEUE_PORT: '0',
        PROXIMITY_PORT: '0',
        VISITOR_PORT: '0',
        CONTENT_PORT: '0',
        WORKER_PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = new PlatformProcess(child, dataDir);
    await new Promise<void>((resolve, reject) => {
      // A platform that did not start in time is killed: left running, it would hold ports and CPU after the test.
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`platform did not start in ${START_TIMEOUT_MS} ms:\n${proc.output}`));
      }, START_TIMEOUT_MS);
      let partial = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        proc.output += chunk.toString();
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('{')) continue;
          try {
            const entry = JSON.parse(line) as { msg?: string; urls?: Record<string, string> };
            if (entry.msg === 'platform ready' && entry.urls) {
              Object.assign(proc.urls, entry.urls);
              clearTimeout(timer);
              resolve();
            }
          } catch {
            // not a log entry of ours
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

  /** Base URL (no /graphql) of a service. */
  base(service: string): string {
    return this.urls[service]!.replace(/\/graphql$/, '');
  }

  /** True once the process has exited, by itself or by a signal. */
  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGTERM and wait (SIGKILL after 30 s); resolves with the exit code. */
  async stop(): Promise<number | null> {
    // A process ended by a signal has no exit code, and its 'exit' event has passed already.
    if (this.exited) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  /** kill -9, as a crash or an OOM kill ends a pod: no draining, no shutdown hooks. Resolves once it is gone. */
  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }
}

export async function graphql<T = Record<string, unknown>>(
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
  const body = (await res.json()) as Omit<GraphQLResult<T>, 'status'>;
  return { status: res.status, ...body };
}

/** Signs a demo user in (password `demo-password`) and returns the access token. */
export async function login(gatewayUrl: string, email: string, password = 'demo-password'): Promise<string> {
  const res = await graphql<{ login: { accessToken: string } }>(
    gatewayUrl,
    `
      mutation ($email: String!, $password: String!) {
        login(email: $email, password: $password) {
          accessToken
        }
      }
    `,
    { email, password },
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

/** Debian's Chromium (CHROMIUM_PATH overrides), headless, with no calls home: this machine's network is closed. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
