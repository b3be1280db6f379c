// Preloaded (`--expose-gc --import`) into every gateway lean.ts measures, ours and plain Apollo alike: SIGUSR2 runs a
// full garbage collection, so resident memory can be read from /proc once what is garbage is gone. The heap figures
// after it go to stderr (the runner's log).
import process from 'node:process';

process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  globalThis.gc?.();
  const after = process.memoryUsage();
  const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
  process.stderr.write(
    `gc (pid ${process.pid}): heap used ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB, heap total ` +
      `${mb(before.heapTotal)} → ${mb(after.heapTotal)} MB, rss ${mb(before.rss)} → ${mb(after.rss)} MB\n`,
  );
});
