/** A cancellable timer. */
export interface Timer {
  cancel(): void;
}

/**
 * Time as a service sees it: schedules, expiries and background jobs read it,
 * so tests can move it instead of waiting on real timers.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` once, no earlier than `delayMs` from now. Timers must not hold the process open. */
  setTimer(delayMs: number, fn: () => void): Timer;
}

// setTimeout overflows above 2^31-1 ms (~24.8 days) and then fires at once; callers re-arm after a clamp.
export const MAX_TIMER_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, fn) {
    const timer = setTimeout(fn, Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
