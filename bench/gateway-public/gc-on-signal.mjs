// Preloaded (`--expose-gc --import`) into every gateway lean.ts measures, ours and plain Apollo alike: SIGUSR2 runs a
// full garbage collection, so resident memory can be read from /proc once what is garbage is gone; the heap in use
// after it is written to BENCH_GC_REPORT (JSON) for the runner.
import { writeFileSync } from 'node:fs';
import process from 'node:process';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const { heapUsed, heapTotal } = process.memoryUsage();
  if (process.env.BENCH_GC_REPORT) writeFileSync(process.env.BENCH_GC_REPORT, JSON.stringify({ heapUsed, heapTotal }));
});
