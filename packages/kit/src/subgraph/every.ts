import type { BackgroundLoop } from './declaration.js';

/**
 * Runs `run` every `intervalMs` while the service serves; a failure is reported and the next tick
 * tries again. The timer never holds the process open.
 */
export function every(
  intervalMs: number,
  run: () => Promise<unknown>,
  onError: (err: unknown) => void,
): BackgroundLoop {
  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      timer = setInterval(() => void run().catch(onError), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
