import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's squid (package `squid`; .ci/run installs it). */
export const SQUID_BIN = process.env.SQUID_BIN ?? '/usr/sbin/squid';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A real Squid forward proxy on a free local port, for tests of outside calls: it forwards plain HTTP and tunnels
 * CONNECT to any local port, caches nothing, and writes its access log where `accessLog()` reads it.
 */
export class SquidProxy {
  private constructor(
    readonly url: string,
    private readonly dir: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(): Promise<SquidProxy> {
    const dir = mkdtempSync(join(tmpdir(), 'phub-squid-'));
    // Started as root, squid drops to its own user: that user writes the logs and the pid file.
    chmodSync(dir, 0o777);
    const port = await freePort();
    const conf = join(dir, 'squid.conf');
    writeFileSync(
      conf,
      [
        `http_port 127.0.0.1:${port}`,
        `visible_hostname phub-test-proxy`,
        `pid_filename ${join(dir, 'squid.pid')}`,
        `access_log stdio:${join(dir, 'access.log')} squid`,
        `cache_log ${join(dir, 'cache.log')}`,
        `cache_store_log none`,
        `coredump_dir ${dir}`,
        `cache deny all`,
        `cache_mem 8 MB`,
        `shutdown_lifetime 0 seconds`,
        `acl local src 127.0.0.1/32 ::1`,
        `http_access allow local`,
        `http_access deny all`,
      ].join('\n') + '\n',
    );
    const child = spawn(SQUID_BIN, ['-N', '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const proxy = new SquidProxy(`http://127.0.0.1:${port}`, dir, child);
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`squid exited (${child.exitCode}): ${stderr}${proxy.read('cache.log')}`);
      }
      if (await proxy.listening(port)) return proxy;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`squid did not listen on ${port} within 15 s: ${stderr}${proxy.read('cache.log')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The access log's lines so far (squid writes each when the request ends). */
  accessLog(): string[] {
    return this.read('access.log')
      .split('\n')
      .filter((l) => l.trim());
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private read(file: string): string {
    const path = join(this.dir, file);
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  }

  private listening(port: number): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }
}
