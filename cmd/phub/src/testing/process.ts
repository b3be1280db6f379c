import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const MAIN = path.join(ROOT, 'cmd/phub/dist/main.js');

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

/** The built binary, started as a user would start it, on free ports. */
export class PlatformProcess {
  private output = '';
  readonly urls: Record<string, string> = {};

  private constructor(
    readonly child: ChildProcess,
    readonly dataDir: string,
  ) {}

  static async start(
    target: string,
    env: Record<string, string> = {},
    dataDir = mkdtempSync(path.join(tmpdir(), 'phub-e2e-')),
  ): Promise<PlatformProcess> {
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
    const proc = new PlatformProcess(child, dataDir);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`platform did not start in time:\n${proc.output}`)), 90_000);
      const onLine = (chunk: Buffer) => {
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
      };
      child.stdout!.on('data', onLine);
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

  /** SIGTERM and wait; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
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

export async function login(gatewayUrl: string, email: string): Promise<string> {
  const res = await graphql<{ login: { accessToken: string } }>(
    gatewayUrl,
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
