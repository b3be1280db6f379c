// Request/response over the IPC channel of forked processes, so the parent can drive each process.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Request {
  id: number;
  type: string;
  args?: unknown;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

type Handler = (args: never) => unknown;

/** In a child: answers the parent's requests with `handlers[type](args)`. */
export function serve(handlers: Record<string, Handler>): void {
  // An exit of its own on SIGTERM, so that --cpu-prof (BENCH_CPU_PROF_DIR) writes its profile.
  process.once('SIGTERM', () => process.exit(0));
  process.on('message', (message: Request) => {
    const handler = handlers[message.type];
    void (async () => {
      try {
        if (!handler) throw new Error(`no handler for ${message.type}`);
        const result = await handler(message.args as never);
        process.send?.({ id: message.id, result } satisfies Reply);
      } catch (err) {
        process.send?.({ id: message.id, error: (err as Error).stack ?? String(err) } satisfies Reply);
      }
    })();
  });
  process.send?.({ id: 0, result: 'ready' } satisfies Reply);
}

/** A forked TypeScript process, run through the benchmark's loader, with the GC exposed. */
export class Child {
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  readonly ready: Promise<void>;
  private readonly process: ChildProcess;

  constructor(
    readonly name: string,
    script: string,
    env: NodeJS.ProcessEnv = {},
  ) {
    const register = fileURLToPath(new URL('./register.mjs', import.meta.url));
    this.process = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
      execArgv: [
        '--conditions=source',
        '--import',
        register,
        '--expose-gc',
        '--max-old-space-size=4096',
        // BENCH_CPU_PROF_DIR: a V8 CPU profile of every process of the run (written when it exits), to see where time goes.
        ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : []),
      ],
      env: { ...process.env, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let started: () => void;
    this.ready = new Promise((resolve) => (started = resolve));
    this.process.on('message', (reply: Reply) => {
      if (reply.id === 0) return started();
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) waiter?.reject(new Error(`${name}: ${reply.error}`));
      else waiter?.resolve(reply.result);
    });
    this.process.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited with ${code}`));
      this.pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  request<T>(type: string, args?: unknown, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${type} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.process.send({ id, type, args } satisfies Request);
    });
  }

  /** Ends the process (it has nothing to save but a profile) and waits for it to be gone. */
  async kill(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill(process.env.BENCH_CPU_PROF_DIR ? 'SIGTERM' : 'SIGKILL');
    const late = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(late);
  }
}

/** Memory of the calling process after a full GC. */
export interface MemoryStats {
  rss: number;
  heapUsed: number;
}

export function memoryStats(): MemoryStats {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

/** CPU time (user + system) the calling process has used so far, in ms. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** What every benchmark process answers besides its own requests. */
export const statsHandlers = { memory: () => memoryStats(), cpu: () => cpuMs() };

/** Epoch milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export const now = () => performance.timeOrigin + performance.now();
