// Machine description, percentiles, CPU time from /proc and the writer of a section of bench/RESULTS.md.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

import { format, resolveConfig } from 'prettier';

export const percentile = (samples: readonly number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpu}, nproc ${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}-${process.arch}, load average ${loadavg()[0]!.toFixed(2)} at start`;
}

export const ms = (v: number): string => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
export const int = (v: number): string => Math.round(v).toLocaleString('en-GB');

/** Replaces (or appends) one section (default "## Playback"), leaving the others alone, and formats with Prettier. */
export async function writeSection(path: string, body: string, heading = '## Playback'): Promise<void> {
  const text = readFileSync(path, 'utf8');
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = text.indexOf(`${heading}\n`);
  let out: string;
  if (start < 0) {
    out = `${text.trimEnd()}\n\n${section}`;
  } else {
    const next = text.indexOf('\n## ', start + heading.length);
    out = `${text.slice(0, start)}${section}${next < 0 ? '' : `\n${text.slice(next + 1)}`}`;
  }
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(out, { ...options, filepath: path }));
}

/** CPU ms (user + system) of one process, from /proc (0 once it has ended). */
export function pidCpuMs(pid: number | string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, USER_HZ = 100
  } catch {
    return 0; // the process ended meanwhile
  }
}

/** CPU ms (user + system) of every process with one of these names, from /proc (Postgres's backends come and go). */
export function procCpuMs(names: string[]): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (names.some((n) => comm.startsWith(n))) total += pidCpuMs(pid);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}
