// A small timing harness: per-call latencies with performance.now(), percentiles, and a Markdown writer
// that replaces only the "Playlist resolution" section of bench/RESULTS.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

import { format, resolveConfig } from 'prettier';

/** Latency figures of one variant. */
export interface Measurement {
  readonly name: string;
  readonly calls: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly meanUs: number;
  readonly perSecond: number;
}

const percentile = (sorted: Float64Array, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Calls `fn` for every input, `rounds` times after one warm-up round (unless `warmUp` is false), timing each call. */
export function measure<T>(
  name: string,
  inputs: readonly T[],
  rounds: number,
  fn: (input: T) => unknown,
  warmUp = true,
): Measurement {
  let sink = 0;
  if (warmUp) for (const input of inputs) sink += fn(input) ? 1 : 0;
  const samples = new Float64Array(inputs.length * rounds);
  let n = 0;
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const input of inputs) {
      const t0 = performance.now();
      sink += fn(input) ? 1 : 0;
      samples[n++] = performance.now() - t0;
    }
  }
  const elapsedMs = performance.now() - started;
  if (sink < 0) throw new Error('unreachable');
  samples.sort();
  const total = samples.reduce((s, v) => s + v, 0);
  return {
    name,
    calls: n,
    p50Us: percentile(samples, 50) * 1000,
    p99Us: percentile(samples, 99) * 1000,
    meanUs: (total / n) * 1000,
    perSecond: n / (elapsedMs / 1000),
  };
}

/** What the results were measured on. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const load = loadavg()[0]!.toFixed(2);
  return `${cpu}, nproc ${availableParallelism()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}-${process.arch}, load average ${load} at start`;
}

const HEADING = '## Playlist resolution';

/**
 * Replaces (or appends) the "## Playlist resolution" section of a results file, leaving the rest alone, and
 * formats the file with the repository's Prettier settings so `prettier --check` stays green.
 */
export async function writeSection(path: string, body: string): Promise<void> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = '# Benchmark results\n\nFigures written by the benchmarks under `bench/`; see `bench/README.md`.\n';
  }
  const section = `${HEADING}\n\n${body.trim()}\n`;
  const start = text.indexOf(`${HEADING}\n`);
  if (start < 0) {
    text = `${text.trimEnd()}\n\n${section}`;
  } else {
    const next = text.indexOf('\n## ', start + HEADING.length);
    text = `${text.slice(0, start)}${section}${next < 0 ? '' : `\n${text.slice(next + 1)}`}`;
  }
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(text, { ...options, filepath: path }));
}
