// Processes pinned to a core with `taskset` (which execs the program, so the pid is the program's own), driven over
// IPC when they are ours, and their CPU and memory read from /proc, so every gateway is measured the same way whatever
// it runs on.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const REGISTER = fileURLToPath(new URL('../subscriptions/register.mjs', import.meta.url));
/** Node flags that let a child run the TypeScript sources (SWC), as the other benches do. */
export const TS_NODE_ARGS = ['--conditions=source', '--import', REGISTER];

/** Every process started here and still running, ended when the runner exits (however it exits). */
const live = new Set<ChildProcess>();
const killAll = () => live.forEach((child) => child.kill('SIGKILL'));
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => (killAll(), process.exit(130)));

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

export class Proc {
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private readonly child: ChildProcess;
  /** Resolves when an IPC child says it is ready (never for a child without IPC). */
  readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    /** Core to pin to; undefined: not pinned. */
    cpu: number | undefined,
    args: string[],
    options: { env?: NodeJS.ProcessEnv; ipc?: boolean; cwd?: string; quiet?: boolean } = {},
  ) {
    const command = cpu === undefined ? process.execPath : 'taskset';
    const argv = cpu === undefined ? args : ['-c', String(cpu), process.execPath, ...args];
    this.child = spawn(command, argv, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: [
        'ignore',
        options.quiet ? 'ignore' : 'inherit',
        'inherit',
        ...(options.ipc === false ? [] : ['ipc' as const]),
      ],
    });
    live.add(this.child);
    this.child.once('exit', () => live.delete(this.child));
    let started: () => void;
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      void this.exited.then((code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    });
    // Awaited only for IPC children; a child without IPC never reports ready, and its exit is no error here.
    this.ready.catch(() => undefined);
    this.child.on('message', (reply: Reply) => {
      if (reply.id === 0) return started();
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) waiter?.reject(new Error(`${name}: ${reply.error}`));
      else waiter?.resolve(reply.result);
    });
    this.child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited with ${code}`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  request<T>(type: string, args?: unknown, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${type} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.send({ id, type, args });
    });
  }

  /** Ends the process (nothing to save) and waits until it is gone. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Pins the calling process (every thread) to one core. */
export function pinSelf(cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || 100);

/** CPU time (user + system, all threads) a process has used, in ms. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Resident memory now and at its peak, in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Busy CPU time of the whole machine so far (every core, every process), in ms. */
export function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is user, nice, system and steal. Interrupt time is left out:
  // it is mostly the loopback traffic of the benchmark itself, which no process is charged for.
  const busy = cpu[0]! + cpu[1]! + cpu[2]! + cpu[7]!;
  return busy * TICK_MS;
}

/** Processes started by `pid` (direct children), for gateways that fork workers. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
